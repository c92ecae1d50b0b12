Feature: Exposing an External IP Address to Access an Application in a Cluster
  # Source: https://kubernetes.io/docs/tutorials/stateless-application/expose-external-ip-address/
  #
  # The page's Hello World Deployment (exercises/docs/service/load-balancer-example.yaml, verbatim:
  # five hello-app 2.0 Pods) exposed by a LoadBalancer Service. The page needs a cloud provider for
  # the external IP; this cluster, like one without a load-balancer provider, leaves EXTERNAL-IP
  # <pending> ("If the external IP address is shown as <pending>, wait for a minute and enter the
  # same command again": it stays so) and describes no "LoadBalancer Ingress". The Service still
  # gets a cluster IP and a node port, which answer. hello-app 2.0 answers "Hello, world!", its
  # version and the Pod's name (the page's "Hello Kubernetes!" is the older node-hello image's).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl apply -f https://k8s.io/examples/service/load-balancer-example.yaml"
    Then the output is:
      """
      deployment.apps/hello-world created
      """

  Scenario: Five Hello World Pods behind a LoadBalancer Service whose external IP stays pending
    When 20 seconds pass
    And I run "kubectl get deployments hello-world"
    Then the output is:
      """
      NAME          READY   UP-TO-DATE   AVAILABLE   AGE
      hello-world   5/5     5            5           20s
      """
    When I run "kubectl describe deployments hello-world"
    Then the output contains:
      """
      Labels:                 app.kubernetes.io/name=load-balancer-example
      Annotations:            deployment.kubernetes.io/revision: 1
      Selector:               app.kubernetes.io/name=load-balancer-example
      Replicas:               5 desired | 5 updated | 5 total | 5 available | 0 unavailable
      """
    When I run "kubectl get replicasets"
    Then the output is:
      """
      NAME                     DESIRED   CURRENT   READY   AGE
      hello-world-664665c4fc   5         5         5       20s
      """
    When I run "kubectl describe replicasets"
    Then the output contains:
      """
      Controlled By:  Deployment/hello-world
      Replicas:       5 current / 5 desired
      Pods Status:    5 Running / 0 Waiting / 0 Succeeded / 0 Failed
      """
    When I run "kubectl expose deployment hello-world --type=LoadBalancer --name=my-service"
    Then the output is:
      """
      service/my-service exposed
      """
    When 60 seconds pass
    And I run "kubectl get services my-service"
    Then the output is:
      """
      NAME         TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)          AGE
      my-service   LoadBalancer   10.105.253.216   <pending>     8080:31227/TCP   60s
      """
    When I run "kubectl describe services my-service"
    Then the output is:
      """
      Name:                     my-service
      Namespace:                default
      Labels:                   app.kubernetes.io/name=load-balancer-example
      Annotations:              <none>
      Selector:                 app.kubernetes.io/name=load-balancer-example
      Type:                     LoadBalancer
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.105.253.216
      IPs:                      10.105.253.216
      Port:                     <unset>  8080/TCP
      TargetPort:               8080/TCP
      NodePort:                 <unset>  31227/TCP
      Endpoints:                10.244.0.2:8080,10.244.0.3:8080,10.244.0.4:8080 + 2 more...
      Session Affinity:         None
      External Traffic Policy:  Cluster
      Internal Traffic Policy:  Cluster
      Events:                   <none>
      """
    # "These are internal addresses of the pods that are running the Hello World application."
    When I run "kubectl get pods --output=wide"
    Then the output is:
      """
      NAME                           READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      hello-world-664665c4fc-29ksx   1/1     Running   0          80s   10.244.0.2   k8s-node1   <none>           <none>
      hello-world-664665c4fc-bkpcb   1/1     Running   0          80s   10.244.1.2   k8s-node2   <none>           <none>
      hello-world-664665c4fc-kkb6h   1/1     Running   0          80s   10.244.0.4   k8s-node1   <none>           <none>
      hello-world-664665c4fc-wm8pl   1/1     Running   0          80s   10.244.1.3   k8s-node2   <none>           <none>
      hello-world-664665c4fc-z2p2f   1/1     Running   0          80s   10.244.0.3   k8s-node1   <none>           <none>
      """
    # With no external IP, the Service's port is reached at its cluster IP and its node port.
    When I run "curl -s http://10.105.253.216:8080" on node "k8s-node1"
    Then the output contains:
      """
      Hello, world!
      Version: 2.0.0
      Hostname: hello-world-664665c4fc-
      """
    When I run "curl -s http://172.18.0.4:31227" on node "k8s-node1"
    Then the output contains:
      """
      Hello, world!
      Version: 2.0.0
      """
    # Clean up.
    When I run "kubectl delete services my-service"
    Then the output is:
      """
      service "my-service" deleted
      """
    When I run "kubectl delete deployment hello-world"
    Then the output is:
      """
      deployment.apps "hello-world" deleted
      """
