Feature: Connecting Applications with Services
  # Source: https://kubernetes.io/docs/tutorials/services/connect-applications-service/
  #
  # The page's manifests, verbatim: exercises/docs/service/networking/run-my-nginx.yaml (two nginx
  # replicas labelled run=my-nginx), nginx-svc.yaml (the Service `kubectl expose` makes),
  # nginx-secure-app.yaml (a NodePort Service and an nginx serving HTTPS with a Secret's certificate)
  # and curlpod.yaml (a curl client with the same Secret mounted).
  #
  # What the page prints that depends on its cluster is asserted as v1.32 prints it in this
  # simulation: pod names (their random suffixes), IPs (the pod network 10.244.0.0/16, a ClusterIP
  # drawn from 10.96.0.0/12, the node addresses of a kind network), ages and node names. The
  # page's kube-dns Service (10.0.0.10) is kubeadm's here (10.96.0.10, with its metrics port). A
  # Service made by `kubectl expose deployment/my-nginx` carries the Deployment's labels, and
  # run-my-nginx.yaml's Deployment has none: `describe svc` shows `Labels: <none>` where the
  # page's output (from applying nginx-svc.yaml) shows run=my-nginx. v1.32's `describe svc` adds
  # `Internal Traffic Policy`. The environment variables the kubelet sets come from a Go map, so
  # their order varies on a real node; here they are sorted.
  #
  # Commands the page chains with `;` are two steps here (a step runs one command line).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    And CoreDNS runs in kube-system as kubeadm installs it
    When I run "kubectl apply -f exercises/docs/service/networking/run-my-nginx.yaml"
    Then the output is:
      """
      deployment.apps/my-nginx created
      """
    And 13 seconds pass

  Scenario: Exposing pods to the cluster: each pod has its own IP, reachable from any node
    When I run "kubectl get pods -l run=my-nginx -o wide"
    Then the output is:
      """
      NAME                        READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      my-nginx-7875f76dd5-jxkj4   1/1     Running   0          13s   10.244.1.3   k8s-node2   <none>           <none>
      my-nginx-7875f76dd5-skc72   1/1     Running   0          13s   10.244.0.3   k8s-node1   <none>           <none>
      """
    When I run "kubectl get pods -l run=my-nginx -o custom-columns=POD_IP:.status.podIPs"
    Then the output is:
      """
      POD_IP
      [map[ip:10.244.1.3]]
      [map[ip:10.244.0.3]]
      """
    # "You should be able to ssh into any node in your cluster and use a tool such as curl to make
    # queries against both IPs."
    When I run "curl 10.244.1.3" on node "k8s-node1"
    Then the output contains:
      """
      <title>Welcome to nginx!</title>
      """
    When I run "curl 10.244.0.3" on node "k8s-node2"
    Then the output contains:
      """
      <title>Welcome to nginx!</title>
      """

  Scenario: Creating a Service: kubectl expose, its ClusterIP and its EndpointSlice
    When I run "kubectl expose deployment/my-nginx"
    Then the output is:
      """
      service/my-nginx exposed
      """
    And 21 seconds pass
    When I run "kubectl get svc my-nginx"
    Then the output is:
      """
      NAME       TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)   AGE
      my-nginx   ClusterIP   10.105.253.216   <none>        80/TCP    21s
      """
    When I run "kubectl describe svc my-nginx"
    Then the output is:
      """
      Name:                     my-nginx
      Namespace:                default
      Labels:                   <none>
      Annotations:              <none>
      Selector:                 run=my-nginx
      Type:                     ClusterIP
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.105.253.216
      IPs:                      10.105.253.216
      Port:                     <unset>  80/TCP
      TargetPort:               80/TCP
      Endpoints:                10.244.0.3:80,10.244.1.3:80
      Session Affinity:         None
      Internal Traffic Policy:  Cluster
      Events:                   <none>
      """
    When I run "kubectl get endpointslices -l kubernetes.io/service-name=my-nginx"
    Then the output is:
      """
      NAME             ADDRESSTYPE   PORTS   ENDPOINTS               AGE
      my-nginx-9fvjc   IPv4          80      10.244.0.3,10.244.1.3   21s
      """
    # "You should now be able to curl the nginx Service on <CLUSTER-IP>:<PORT> from any node."
    When I run "curl 10.105.253.216:80" on node "k8s-node1"
    Then the output contains:
      """
      <h1>Welcome to nginx!</h1>
      """

  Scenario: The Service as nginx-svc.yaml writes it: the same selector and port, with its label
    When I run "kubectl apply -f exercises/docs/service/networking/nginx-svc.yaml"
    Then the output is:
      """
      service/my-nginx created
      """
    When I run "kubectl describe svc my-nginx"
    Then the output contains:
      """
      Labels:                   run=my-nginx
      Annotations:              <none>
      Selector:                 run=my-nginx
      Type:                     ClusterIP
      """
    And the output contains:
      """
      Endpoints:                10.244.0.3:80,10.244.1.3:80
      """

  Scenario: Environment variables: pods created before the Service do not have its variables, pods created after do
    When I run "kubectl expose deployment/my-nginx"
    When I run "kubectl exec my-nginx-7875f76dd5-jxkj4 -- printenv | grep SERVICE"
    Then the output is:
      """
      KUBERNETES_SERVICE_HOST=10.96.0.1
      KUBERNETES_SERVICE_PORT=443
      KUBERNETES_SERVICE_PORT_HTTPS=443
      """
    When I run "kubectl scale deployment my-nginx --replicas=0"
    Then the output is:
      """
      deployment.apps/my-nginx scaled
      """
    When I run "kubectl scale deployment my-nginx --replicas=2"
    Then the output is:
      """
      deployment.apps/my-nginx scaled
      """
    And 5 seconds pass
    When I run "kubectl get pods -l run=my-nginx -o wide"
    Then the output is:
      """
      NAME                        READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      my-nginx-7875f76dd5-5st7m   1/1     Running   0          5s    10.244.0.4   k8s-node1   <none>           <none>
      my-nginx-7875f76dd5-g4xmb   1/1     Running   0          5s    10.244.1.4   k8s-node2   <none>           <none>
      """
    When I run "kubectl exec my-nginx-7875f76dd5-5st7m -- printenv | grep SERVICE"
    Then the output is:
      """
      KUBERNETES_SERVICE_HOST=10.96.0.1
      KUBERNETES_SERVICE_PORT=443
      KUBERNETES_SERVICE_PORT_HTTPS=443
      MY_NGINX_SERVICE_HOST=10.105.253.216
      MY_NGINX_SERVICE_PORT=80
      """

  Scenario: DNS: the cluster's DNS add-on names the Service
    When I run "kubectl expose deployment/my-nginx"
    When I run "kubectl get services kube-dns --namespace=kube-system"
    Then the output is:
      """
      NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE
      kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   13s
      """
    # The page attaches to a busybox:1.37 shell (`kubectl run -i --tty --image busybox:1.37 dns-test
    # --restart=Never --rm`) and types `nslookup my-nginx`; a scenario types into `kubectl exec`
    # only, so the lookup is the container's command (kubectl prints what it printed, then deletes
    # the pod). The page's output is the busybox 1.28 applet's (`Address 1: …`); busybox 1.37's
    # nslookup asks the DNS server itself: an A and an AAAA query for each domain of the pod's
    # search list, each answer printed (here in the order asked; on a real network, as they
    # arrive). my-nginx.default.svc.cluster.local has the Service's ClusterIP (and no IPv6 address:
    # an empty answer, an empty line); the other search domains do not know the name, which makes
    # the command exit 1, so kubectl reports the pod as failed.
    When I try to run "kubectl run -i --image busybox:1.37 dns-test --restart=Never --rm -- nslookup my-nginx"
    Then the output is:
      """
      Server:		10.96.0.10
      Address:	10.96.0.10:53

      Name:	my-nginx.default.svc.cluster.local
      Address: 10.105.253.216

      ** server can't find my-nginx.svc.cluster.local: NXDOMAIN

      ** server can't find my-nginx.cluster.local: NXDOMAIN


      ** server can't find my-nginx.svc.cluster.local: NXDOMAIN

      ** server can't find my-nginx.cluster.local: NXDOMAIN

      pod "dns-test" deleted
      """
    And the error output contains:
      """
      pod default/dns-test terminated (Error)
      """
    # busybox 1.28's nslookup, the page's output, resolves through the C library's resolver.
    When I run "kubectl run -i --image busybox:1.28 dns-test --restart=Never --rm -- nslookup my-nginx"
    Then the output is:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      Name:      my-nginx
      Address 1: 10.105.253.216 my-nginx.default.svc.cluster.local
      pod "dns-test" deleted
      """

  # The page makes a self-signed certificate with `make keys` (or openssl) at /tmp/nginx.key and
  # /tmp/nginx.crt; here that pair is exercises/docs/connect-applications-service/nginx.key and
  # nginx.crt (made once with the page's `openssl req -x509 -nodes -days 365 -newkey rsa:2048 … -subj
  # "/CN=my-nginx/O=my-nginx"`, for 100 years), and default.conf is the nginx configuration the page
  # links to (kubernetes/examples https-nginx/default.conf). The nginx of bprashanth/nginxhttps:1.0
  # serves the welcome page on 80 and 443. TLS itself is not simulated (docs/divergences.md): an
  # https URL is answered as plain HTTP, so the certificate is not checked. curl's `-k` and
  # `--cacert` change nothing here, where on a real cluster a curl without them fails with
  # "SSL certificate problem: self-signed certificate"; --cacert must still name a file.
  Scenario: Securing the Service: a TLS Secret, nginx's configuration, and HTTPS from a pod
    When I run "kubectl expose deployment/my-nginx"
    And I run "kubectl create secret tls nginxsecret --key exercises/docs/connect-applications-service/nginx.key --cert exercises/docs/connect-applications-service/nginx.crt"
    Then the output is:
      """
      secret/nginxsecret created
      """
    When I run "kubectl get secrets"
    Then the output is:
      """
      NAME          TYPE                DATA   AGE
      nginxsecret   kubernetes.io/tls   2      0s
      """
    When I run "kubectl create configmap nginxconfigmap --from-file=exercises/docs/connect-applications-service/default.conf"
    Then the output is:
      """
      configmap/nginxconfigmap created
      """
    When I run "kubectl get configmaps"
    Then the output is:
      """
      NAME               DATA   AGE
      kube-root-ca.crt   1      13s
      nginxconfigmap     1      0s
      """
    When I run "kubectl describe configmap  nginxconfigmap"
    Then the output is:
      """
      Name:         nginxconfigmap
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      default.conf:
      ----
      server {
              listen 80 default_server;
              listen [::]:80 default_server ipv6only=on;

              listen 443 ssl;

              root /usr/share/nginx/html;
              index index.html;

              server_name localhost;
              ssl_certificate /etc/nginx/ssl/tls.crt;
              ssl_certificate_key /etc/nginx/ssl/tls.key;

              location / {
                      try_files $uri $uri/ =404;
              }
      }



      BinaryData
      ====

      Events:  <none>
      """
    When I run "kubectl delete deployments,svc my-nginx"
    Then the output is:
      """
      deployment.apps "my-nginx" deleted
      service "my-nginx" deleted
      """
    When I run "kubectl create -f exercises/docs/service/networking/nginx-secure-app.yaml"
    Then the output is:
      """
      service/my-nginx created
      deployment.apps/my-nginx created
      """
    And 20 seconds pass
    When I run "kubectl get pods -l run=my-nginx -o custom-columns=POD_IP:.status.podIPs"
    Then the output is:
      """
      POD_IP
      [map[ip:10.244.0.4]]
      """
    When I run "curl -k https://10.244.0.4" on node "k8s-node1"
    Then the output contains:
      """
      <h1>Welcome to nginx!</h1>
      """
    When I run "kubectl apply -f exercises/docs/service/networking/curlpod.yaml"
    Then the output is:
      """
      deployment.apps/curl-deployment created
      """
    And 20 seconds pass
    When I run "kubectl get pods -l app=curlpod"
    Then the output is:
      """
      NAME                               READY   STATUS    RESTARTS   AGE
      curl-deployment-76c5bc9b78-zpr7v   1/1     Running   0          20s
      """
    When I run "kubectl exec curl-deployment-76c5bc9b78-zpr7v -- curl https://my-nginx --cacert /etc/nginx/ssl/tls.crt"
    Then the output contains:
      """
      <title>Welcome to nginx!</title>
      """
    When I try to run "kubectl exec curl-deployment-76c5bc9b78-zpr7v -- curl https://my-nginx --cacert /etc/nginx/ssl/nginx.crt"
    Then the command exits with code 77
    And the error output contains:
      """
      curl: (77) error setting certificate file: /etc/nginx/ssl/nginx.crt
      """
    # Exposing the Service: nginx-secure-app.yaml's Service is a NodePort Service, so every node
    # forwards its node ports to nginx. The nodes of this cluster have no ExternalIP (a kind
    # network's InternalIP only): the page's `curl https://<EXTERNAL-IP>:<NODE-PORT> -k` is asked of
    # a node's InternalIP.
    When I run "kubectl get svc my-nginx -o yaml | grep nodePort -C 5"
    Then the output is:
      """
        ipFamilies:
        - IPv4
        ipFamilyPolicy: SingleStack
        ports:
        - name: http
          nodePort: 31227
          port: 8080
          protocol: TCP
          targetPort: 80
        - name: https
          nodePort: 32686
          port: 443
          protocol: TCP
          targetPort: 443
        selector:
          run: my-nginx
      """
    When I run "kubectl get nodes -o wide"
    Then the output contains:
      """
      k8s-node2   Ready    <none>   53s   v1.32.0   172.18.0.4    <none>
      """
    When I run "curl https://172.18.0.4:32686 -k" on node "k8s-node1"
    Then the output contains:
      """
      <h1>Welcome to nginx!</h1>
      """
    # The page changes the type to LoadBalancer with `kubectl edit`; the editor here is a command
    # (KUBE_EDITOR) making the page's change. Without a cloud provider's load balancer (a kind or
    # kubeadm cluster) the external IP stays pending.
    When I run:
      """
      KUBE_EDITOR="sed -i 's/type: NodePort/type: LoadBalancer/'" kubectl edit svc my-nginx
      """
    Then the output is:
      """
      service/my-nginx edited
      """
    When I run "kubectl get svc my-nginx"
    Then the output is:
      """
      NAME       TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)                        AGE
      my-nginx   LoadBalancer   10.106.159.113   <pending>     8080:31227/TCP,443:32686/TCP   40s
      """
