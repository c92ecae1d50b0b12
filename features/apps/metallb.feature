@epic:Apps @feature:MetalLB
Feature: MetalLB gives LoadBalancer Services their address, as on a kind cluster
  # Source: https://metallb.universe.tf/installation/ ("Installation by manifest") and
  # https://metallb.universe.tf/configuration/ ("Layer 2 configuration", "Controlling automatic address
  # allocation", "Requesting specific IPs", "IP address sharing"), the pages as website/content/ has them
  # at the release v0.14.9 (tag commit 5765ee504d21a3a237d9dab223ca707661269ecd); the release's
  # config/manifests/metallb-native.yaml is copied verbatim into exercises/apps/metallb/ (exercises/apps/SOURCES),
  # and its images' models follow the tag's source (src/images/programs/metallb.ts). The address pool is
  # the one kind's "LoadBalancer" guide (https://kind.sigs.k8s.io/docs/user/loadbalancer/) takes from the
  # end of kind's docker network, 172.18.0.0/16.
  A LoadBalancer Service asks the cluster for an address outside it. A cloud provider's controller
  gives one; a kind or bare-metal cluster has none, so EXTERNAL-IP stays <pending>. MetalLB fills the
  gap: its controller (a Deployment) assigns each LoadBalancer Service an address from an
  IPAddressPool and writes it into the Service's status; its speaker (a DaemonSet on every node, in
  the node's own network) makes the address reachable: in layer 2 mode one node, elected per address,
  answers ARP for it, and kube-proxy on that node sends the traffic on to the Service's pods. MetalLB
  stays idle until an IPAddressPool and an L2Advertisement tell it which addresses it may give out
  and announce.

  Background:
    Given a cluster with nodes:
      | name         | cpu | memory |
      | kind-worker  | 4   | 8Gi    |
      | kind-worker2 | 4   | 8Gi    |
    When I run "kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml"
    Then the output is:
      """
      namespace/metallb-system created
      customresourcedefinition.apiextensions.k8s.io/bfdprofiles.metallb.io created
      customresourcedefinition.apiextensions.k8s.io/bgpadvertisements.metallb.io created
      customresourcedefinition.apiextensions.k8s.io/bgppeers.metallb.io created
      customresourcedefinition.apiextensions.k8s.io/communities.metallb.io created
      customresourcedefinition.apiextensions.k8s.io/ipaddresspools.metallb.io created
      customresourcedefinition.apiextensions.k8s.io/l2advertisements.metallb.io created
      customresourcedefinition.apiextensions.k8s.io/servicel2statuses.metallb.io created
      serviceaccount/controller created
      serviceaccount/speaker created
      role.rbac.authorization.k8s.io/controller created
      role.rbac.authorization.k8s.io/pod-lister created
      clusterrole.rbac.authorization.k8s.io/metallb-system:controller created
      clusterrole.rbac.authorization.k8s.io/metallb-system:speaker created
      rolebinding.rbac.authorization.k8s.io/controller created
      rolebinding.rbac.authorization.k8s.io/pod-lister created
      clusterrolebinding.rbac.authorization.k8s.io/metallb-system:controller created
      clusterrolebinding.rbac.authorization.k8s.io/metallb-system:speaker created
      configmap/metallb-excludel2 created
      secret/metallb-webhook-cert created
      service/metallb-webhook-service created
      deployment.apps/controller created
      daemonset.apps/speaker created
      validatingwebhookconfiguration.admissionregistration.k8s.io/metallb-webhook-configuration created
      """

  Scenario: The controller and a speaker on each node start; the speakers wait for the memberlist Secret
    When I run "kubectl get pods --namespace metallb-system --output wide"
    Then the output is:
      """
      NAME                          READY   STATUS              RESTARTS   AGE   IP       NODE           NOMINATED NODE   READINESS GATES
      controller-54978f754f-k9sj8   0/1     ContainerCreating   0          0s    <none>   kind-worker    <none>           <none>
      speaker-7vzcm                 0/1     ContainerCreating   0          0s    <none>   kind-worker2   <none>           <none>
      speaker-fbdkg                 0/1     ContainerCreating   0          0s    <none>   kind-worker    <none>           <none>
      """
    # kind's guide waits for MetalLB's pods before configuring it.
    When I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    Then the output is:
      """
      pod/controller-54978f754f-k9sj8 condition met
      pod/speaker-7vzcm condition met
      pod/speaker-fbdkg condition met
      """
    When I run "kubectl get pods --namespace metallb-system --output wide"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
      controller-54978f754f-k9sj8   1/1     Running   0          26s   10.244.0.2   kind-worker    <none>           <none>
      speaker-7vzcm                 1/1     Running   0          26s   172.18.0.4   kind-worker2   <none>           <none>
      speaker-fbdkg                 1/1     Running   0          26s   172.18.0.3   kind-worker    <none>           <none>
      """
    When I run "kubectl get events --namespace metallb-system --field-selector reason=FailedMount"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON        OBJECT              MESSAGE
      26s         Warning   FailedMount   pod/speaker-7vzcm   MountVolume.SetUp failed for volume "memberlist" : secret "memberlist" not found
      26s         Warning   FailedMount   pod/speaker-fbdkg   MountVolume.SetUp failed for volume "memberlist" : secret "memberlist" not found
      """
    When I run "kubectl get secrets --namespace metallb-system"
    Then the output is:
      """
      NAME                   TYPE     DATA   AGE
      memberlist             Opaque   1      25s
      metallb-webhook-cert   Opaque   4      26s
      """
    # The controller made the memberlist key and its webhook's certificate, and gave the webhook
    # configuration the certificate's CA, so that the API server trusts the webhook.
    When I run "kubectl get validatingwebhookconfiguration metallb-webhook-configuration -o jsonpath={.webhooks[4].clientConfig.caBundle} | base64 -d | head -1"
    Then the output is:
      """
      -----BEGIN CERTIFICATE-----
      """

  Scenario: Too early: the API server cannot call MetalLB's webhook until the controller is ready
    # The ValidatingWebhookConfiguration (failurePolicy: Fail) sends every IPAddressPool and
    # L2Advertisement to the controller's webhook, which has no ready endpoint yet: the API server
    # refuses them. This is why the guides wait for the pods first.
    When I try to apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    Then the command fails with:
      """
      Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "ipaddresspoolvalidationwebhook.metallb.io": failed to call webhook: Post "https://metallb-webhook-service.metallb-system.svc:443/validate-metallb-io-v1beta1-ipaddresspool?timeout=10s": dial tcp 10.105.253.216:443: connect: connection refused
      Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "l2advertisementvalidationwebhook.metallb.io": failed to call webhook: Post "https://metallb-webhook-service.metallb-system.svc:443/validate-metallb-io-v1beta1-l2advertisement?timeout=10s": dial tcp 10.105.253.216:443: connect: connection refused
      """
    When I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    And I run "kubectl get ipaddresspools,l2advertisements --namespace metallb-system"
    Then the output is:
      """
      NAME                               AUTO ASSIGN   AVOID BUGGY IPS   ADDRESSES
      ipaddresspool.metallb.io/example   true          false             ["172.18.255.200-172.18.255.250"]

      NAME                               IPADDRESSPOOLS   IPADDRESSPOOL SELECTORS   INTERFACES
      l2advertisement.metallb.io/empty
      """

  Scenario: The kubernetes.io tutorial "Exposing an External IP Address to Access an Application in a Cluster", with MetalLB as the load balancer
    # Source: https://kubernetes.io/docs/tutorials/stateless-application/expose-external-ip-address/ and
    # its service/load-balancer-example.yaml (exercises/docs/service/, verbatim): five hello-app 2.0
    # Pods behind a LoadBalancer Service. The page needs "a cloud provider that supports external
    # load balancers"; MetalLB is that here. features/docs/expose-external-ip-address.feature runs the
    # same page without it: EXTERNAL-IP stays <pending>.
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/load-balancer-example.yaml"
    And I run "kubectl expose deployment hello-world --type=LoadBalancer --name=my-service"
    And 20 seconds pass
    And I run "kubectl get services my-service"
    Then the output is:
      """
      NAME         TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)          AGE
      my-service   LoadBalancer   10.106.159.113   172.18.255.200   8080:31227/TCP   20s
      """
    When I run "kubectl describe services my-service"
    Then the output is:
      """
      Name:                     my-service
      Namespace:                default
      Labels:                   app.kubernetes.io/name=load-balancer-example
      Annotations:              metallb.io/ip-allocated-from-pool: example
      Selector:                 app.kubernetes.io/name=load-balancer-example
      Type:                     LoadBalancer
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.106.159.113
      IPs:                      10.106.159.113
      LoadBalancer Ingress:     172.18.255.200
      Port:                     <unset>  8080/TCP
      TargetPort:               8080/TCP
      NodePort:                 <unset>  31227/TCP
      Endpoints:                10.244.0.3:8080,10.244.0.4:8080,10.244.1.2:8080 + 2 more...
      Session Affinity:         None
      External Traffic Policy:  Cluster
      Internal Traffic Policy:  Cluster
      Events:
        Type    Reason        Age                From                Message
        ----    ------        ----               ----                -------
        Normal  IPAllocated   20s                metallb-controller  Assigned IP ["172.18.255.200"]
        Normal  nodeAssigned  17s (x5 over 19s)  metallb-speaker     announcing from node "kind-worker2" with protocol "layer2"
      """
    # The address is the Service's status, as a cloud provider's would be (ipMode VIP: kube-proxy
    # handles the address on every node).
    When I run "kubectl get service my-service -o jsonpath={.status.loadBalancer}"
    Then the output is:
      """
      {"ingress":[{"ip":"172.18.255.200","ipMode":"VIP"}]}
      """
    # The speaker that won the election for the address records it.
    When I run "kubectl get servicel2statuses --namespace metallb-system"
    Then the output is:
      """
      NAME       ALLOCATED NODE   SERVICE NAME   SERVICE NAMESPACE
      l2-smhvq   kind-worker2     my-service     default
      """
    # "curl http://<external-ip>:<port>": from the node network outside the cluster (the kind host)
    # the request reaches the announcing node, and kube-proxy there one of the five Pods.
    When a client requests "http://172.18.255.200:8080/" every 1 second for 10 seconds
    Then the client saw 10 successful and 0 failed requests
    # From a Pod, kube-proxy sends it to the Service's endpoints directly.
    When I run "kubectl run client --image=busybox:1.36 --restart=Never -- sleep 3600"
    And 10 seconds pass
    And I run "kubectl exec client -- wget -qO- http://172.18.255.200:8080/"
    Then the output contains:
      """
      Hello, world!
      Version: 2.0.0
      Hostname: hello-world-
      """
    # Deleting the Service gives its address back to the pool.
    When I run "kubectl delete services my-service"
    And I run "kubectl expose deployment hello-world --type=LoadBalancer --name=other-service"
    And I run "kubectl get services other-service"
    Then the output is:
      """
      NAME            TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)          AGE
      other-service   LoadBalancer   10.97.186.35   172.18.255.200   8080:32686/TCP   0s
      """

  Scenario: Without an L2Advertisement the address is assigned but no node announces it
    # A common mistake: the pool alone lets the controller assign addresses, but no speaker answers
    # ARP for them, so nothing outside the nodes reaches the address. Inside the cluster kube-proxy
    # still forwards it.
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      """
    When I run "kubectl create deployment web --image=nginx"
    And I run "kubectl expose deployment web --port=80 --type=LoadBalancer"
    And 10 seconds pass
    And I run "kubectl get service web"
    Then the output is:
      """
      NAME   TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)        AGE
      web    LoadBalancer   10.106.159.113   172.18.255.200   80:31227/TCP   10s
      """
    When I run "kubectl get events --field-selector involvedObject.name=web"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON              OBJECT           MESSAGE
      10s         Normal   IPAllocated         service/web      Assigned IP ["172.18.255.200"]
      10s         Normal   ScalingReplicaSet   deployment/web   Scaled up replica set web-6dc5cd68db from 0 to 1
      """
    When a client requests "http://172.18.255.200/" every 1 second for 5 seconds
    Then the client saw 0 successful and 5 failed requests
    When I run "curl -s -o /dev/null -w %{http_code} http://172.18.255.200/" on node "kind-worker"
    Then the output is:
      """
      200
      """
    # With the L2Advertisement (no pools named: every pool), a speaker announces it.
    When I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    And a client requests "http://172.18.255.200/" every 1 second for 5 seconds
    Then the client saw 5 successful and 0 failed requests
    When I run "kubectl get events --field-selector involvedObject.name=web,reason=nodeAssigned"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON         OBJECT        MESSAGE
      5s          Normal   nodeAssigned   service/web   announcing from node "kind-worker2" with protocol "layer2"
      """

  Scenario: The announcing node is cordoned: another node's speaker takes the address over
    # Source: https://metallb.universe.tf/concepts/layer2/ ("Load-balancing behavior": "If the leader
    # node fails for some reason, failover is automatic"). A speaker leaves out the nodes that are
    # unschedulable (`kubectl cordon`, a drain) or labelled
    # node.kubernetes.io/exclude-from-external-load-balancers.
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    When I run "kubectl create deployment web --image=nginx --replicas=2"
    And I run "kubectl expose deployment web --port=80 --type=LoadBalancer"
    And 10 seconds pass
    And I run "kubectl get servicel2statuses --namespace metallb-system"
    Then the output is:
      """
      NAME       ALLOCATED NODE   SERVICE NAME   SERVICE NAMESPACE
      l2-smhvq   kind-worker2     web            default
      """
    When I run "kubectl cordon kind-worker2"
    And 1 second passes
    And I run "kubectl get servicel2statuses --namespace metallb-system"
    Then the output is:
      """
      NAME       ALLOCATED NODE   SERVICE NAME   SERVICE NAMESPACE
      l2-gttpt   kind-worker      web            default
      """
    When I run "kubectl get events --field-selector involvedObject.name=web,reason=nodeAssigned"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON         OBJECT        MESSAGE
      8s          Normal   nodeAssigned   service/web   announcing from node "kind-worker2" with protocol "layer2"
      1s          Normal   nodeAssigned   service/web   announcing from node "kind-worker" with protocol "layer2"
      """
    When a client requests "http://172.18.255.200/" every 1 second for 5 seconds
    Then the client saw 5 successful and 0 failed requests

  Scenario: Requesting a specific address, a specific pool, and sharing an address
    # Source: https://metallb.universe.tf/usage/ ("Requesting specific IPs", "IP address sharing"): the
    # page's Services with addresses from this cluster's pools. The page's annotations are the
    # `metallb.universe.tf/` ones, which v0.14 still reads but calls deprecated (`metallb.io/`).
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: production-public-ips
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.254.0/28
        autoAssign: false
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: nginx
        annotations:
          metallb.universe.tf/loadBalancerIPs: 172.18.255.220
      spec:
        ports:
        - port: 80
          targetPort: 80
        selector:
          app: nginx
        type: LoadBalancer
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: nginx-public
        annotations:
          metallb.io/address-pool: production-public-ips
      spec:
        ports:
        - port: 80
          targetPort: 80
        selector:
          app: nginx
        type: LoadBalancer
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: nginx-default
      spec:
        ports:
        - port: 80
          targetPort: 80
        selector:
          app: nginx
        type: LoadBalancer
      """
    And I run "kubectl get services"
    Then the output is:
      """
      NAME            TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)        AGE
      kubernetes      ClusterIP      10.96.0.1        <none>           443/TCP        26s
      nginx           LoadBalancer   10.106.159.113   172.18.255.220   80:31227/TCP   0s
      nginx-default   LoadBalancer   10.105.189.65    172.18.255.200   80:31759/TCP   0s
      nginx-public    LoadBalancer   10.97.186.35     172.18.254.0     80:32686/TCP   0s
      """
    When I run "kubectl get events --field-selector involvedObject.name=nginx"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON                 OBJECT          MESSAGE
      0s          Normal    IPAllocated            service/nginx   Assigned IP ["172.18.255.220"]
      0s          Warning   deprecatedAnnotation   service/nginx   Service uses deprecated annotation metallb.universe.tf/loadBalancerIPs
      """
    # Two Services with the same sharing key and different ports share one address.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: dns-service-tcp
        namespace: default
        annotations:
          metallb.io/allow-shared-ip: "key-to-share-172.18.255.230"
      spec:
        type: LoadBalancer
        loadBalancerIP: 172.18.255.230
        ports:
          - name: dnstcp
            protocol: TCP
            port: 53
            targetPort: 53
        selector:
          app: dns
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: dns-service-udp
        namespace: default
        annotations:
          metallb.io/allow-shared-ip: "key-to-share-172.18.255.230"
      spec:
        type: LoadBalancer
        loadBalancerIP: 172.18.255.230
        ports:
          - name: dnsudp
            protocol: UDP
            port: 53
            targetPort: 53
        selector:
          app: dns
      """
    And I run "kubectl get services dns-service-tcp dns-service-udp"
    Then the output is:
      """
      NAME              TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)        AGE
      dns-service-tcp   LoadBalancer   10.109.161.193   172.18.255.230   53:31652/TCP   0s
      dns-service-udp   LoadBalancer   10.111.240.62    172.18.255.230   53:30788/UDP   0s
      """
    # An address outside every pool, and one another Service holds without a sharing key.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: outside
      spec:
        type: LoadBalancer
        loadBalancerIP: 10.0.0.5
        ports:
        - port: 80
        selector:
          app: nginx
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: taken
        annotations:
          metallb.io/loadBalancerIPs: 172.18.255.220
      spec:
        type: LoadBalancer
        ports:
        - port: 8080
        selector:
          app: nginx
      """
    And I run "kubectl get events --field-selector reason=AllocationFailed"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON             OBJECT            MESSAGE
      0s          Warning   AllocationFailed   service/outside   Failed to allocate IP for "default/outside": ["10.0.0.5"] is not allowed in config
      0s          Warning   AllocationFailed   service/taken     Failed to allocate IP for "default/taken": can't change sharing key for "default/taken", address also in use by default/nginx
      """

  Scenario: A pool runs out of addresses; a freed address goes to the Service waiting for one
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: small
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200/31
      """
    When I run "kubectl create service loadbalancer one --tcp=80:80"
    And I run "kubectl create service loadbalancer two --tcp=80:80"
    And I run "kubectl create service loadbalancer three --tcp=80:80"
    And I run "kubectl get services"
    Then the output is:
      """
      NAME         TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)        AGE
      kubernetes   ClusterIP      10.96.0.1        <none>           443/TCP        26s
      one          LoadBalancer   10.106.159.113   172.18.255.200   80:31227/TCP   0s
      three        LoadBalancer   10.105.189.65    <pending>        80:31759/TCP   0s
      two          LoadBalancer   10.97.186.35     172.18.255.201   80:32686/TCP   0s
      """
    When I run "kubectl get events --field-selector involvedObject.name=three"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON             OBJECT          MESSAGE
      0s          Warning   AllocationFailed   service/three   Failed to allocate IP for "default/three": no available IPs
      """
    # Deleting a Service, or making it no LoadBalancer any more, frees its address; the controller
    # then looks at every Service again, and the one waiting gets it.
    When I run "kubectl delete service one"
    And I run "kubectl get services three"
    Then the output is:
      """
      NAME    TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE
      three   LoadBalancer   10.105.189.65   172.18.255.200   80:31759/TCP   0s
      """
    When I run:
      """
      kubectl patch service two -p '{"spec":{"type":"ClusterIP"}}'
      """
    And I run "kubectl get services two"
    Then the output is:
      """
      NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE
      two    ClusterIP   10.97.186.35   <none>        80/TCP    0s
      """
    When I run "kubectl create service loadbalancer four --tcp=80:80"
    And I run "kubectl get services four"
    Then the output is:
      """
      NAME   TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)        AGE
      four   LoadBalancer   10.109.161.193   172.18.255.201   80:31652/TCP   0s
      """

  Scenario: The webhook refuses an IPAddressPool that overlaps another, or outside MetalLB's namespace
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: second
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.240/28
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: CIDR "172.18.255.240/28" in pool "second" overlaps with already defined CIDR "172.18.255.240/29"
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: elsewhere
        namespace: default
      spec:
        addresses:
        - 172.18.254.0/24
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: resource must be created in metallb-system namespace
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: typo
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.254.10-172.18.254.1
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: parsing address pool typo: invalid CIDR "172.18.254.10-172.18.254.1" in pool "typo": invalid IP range "172.18.254.10-172.18.254.1": start IP "172.18.254.10" is after the end IP "172.18.254.1"
      """

  Scenario: externalTrafficPolicy Local: only a node with a ready endpoint announces the address
    # Source: https://metallb.universe.tf/usage/ ("Traffic policies", Layer2 "Local"): kube-proxy on the
    # announcing node sends the traffic only to that node's pods, so MetalLB announces from a node
    # that has one.
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        labels:
          app: web
      spec:
        nodeName: kind-worker
        containers:
        - name: nginx
          image: nginx
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        type: LoadBalancer
        externalTrafficPolicy: Local
        selector:
          app: web
        ports:
        - port: 80
      """
    And 10 seconds pass
    And I run "kubectl get events --field-selector involvedObject.name=web,reason=nodeAssigned"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON         OBJECT        MESSAGE
      7s          Normal   nodeAssigned   service/web   announcing from node "kind-worker" with protocol "layer2"
      """
    When a client requests "http://172.18.255.200/" every 1 second for 5 seconds
    Then the client saw 5 successful and 0 failed requests
    And the client's requests were answered by pods "web"

  Scenario: A Service of another load-balancer class is left to its own implementation
    # MetalLB (without --lb-class) handles the LoadBalancer Services that name no
    # spec.loadBalancerClass; one that names another class stays <pending> here, without events.
    Given I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: other
      spec:
        type: LoadBalancer
        loadBalancerClass: example.com/other-lb
        ports:
        - port: 80
      """
    And 10 seconds pass
    And I run "kubectl get services other"
    Then the output is:
      """
      NAME    TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)        AGE
      other   LoadBalancer   10.106.159.113   <pending>     80:31227/TCP   10s
      """
    When I run "kubectl get events --field-selector involvedObject.name=other"
    Then the output is:
      """
      """
