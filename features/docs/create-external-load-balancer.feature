Feature: Create an External Load Balancer
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/
  #
  # "This feature is only available for cloud providers or environments which support external
  # load balancers." A kind cluster is not one: no cloud controller manager runs its service
  # controller, so a LoadBalancer Service gets its cluster IP and node ports but no address
  # (`EXTERNAL-IP <pending>`, no `LoadBalancer Ingress` line, no events, no
  # `service.kubernetes.io/load-balancer-cleanup` finalizer), and stays so. Its node port still
  # reaches the Pods. (features/apps/metallb.feature installs MetalLB, which gives such Services an
  # address on kind.) The page's Deployment named `example` is not given: this one runs
  # registry.k8s.io/serve_hostname, which answers its Pod's name on port 9376, the page's
  # targetPort. exercises/docs/create-external-load-balancer/example-service-local.yaml is the page's
  # manifest of "Preserving the client source IP". With `externalTrafficPolicy: Local` the API server also allocates the Service a
  # health check node port (`HealthCheck NodePort`, what a cloud load balancer would probe).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl create deployment example --image=registry.k8s.io/serve_hostname --replicas=2"
    And 30 seconds pass

  Scenario: kubectl expose --type=LoadBalancer on kind: the address stays pending
    When I run "kubectl expose deployment example --port=8765 --target-port=9376 --name=example-service --type=LoadBalancer"
    Then the output is:
      """
      service/example-service exposed
      """
    When 1 minute passes
    And I run "kubectl describe services example-service"
    Then the output is:
      """
      Name:                     example-service
      Namespace:                default
      Labels:                   app=example
      Annotations:              <none>
      Selector:                 app=example
      Type:                     LoadBalancer
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.105.253.216
      IPs:                      10.105.253.216
      Port:                     <unset>  8765/TCP
      TargetPort:               9376/TCP
      NodePort:                 <unset>  31227/TCP
      Endpoints:                10.244.0.2:9376,10.244.1.2:9376
      Session Affinity:         None
      External Traffic Policy:  Cluster
      Internal Traffic Policy:  Cluster
      Events:                   <none>
      """
    When I run "kubectl get services example-service"
    Then the output is:
      """
      NAME              TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)          AGE
      example-service   LoadBalancer   10.105.253.216   <pending>     8765:31227/TCP   60s
      """
    When I run "kubectl get service example-service -o jsonpath={.metadata.finalizers}"
    Then the output is:
      """
      """
    # The node port answers on every node (kube-proxy), as it does behind a cloud load balancer.
    When I run "curl -s http://172.18.0.3:31227" on node "k8s-node2"
    Then the output contains:
      """
      example-
      """

  Scenario: The page's manifest with externalTrafficPolicy: Local gets a health check node port
    When I run "kubectl apply -f exercises/docs/create-external-load-balancer/example-service-local.yaml"
    Then the output is:
      """
      service/example-service created
      """
    And I run "kubectl describe services example-service"
    Then the output is:
      """
      Name:                     example-service
      Namespace:                default
      Labels:                   <none>
      Annotations:              <none>
      Selector:                 app=example
      Type:                     LoadBalancer
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.105.253.216
      IPs:                      10.105.253.216
      Port:                     <unset>  8765/TCP
      TargetPort:               9376/TCP
      NodePort:                 <unset>  31227/TCP
      Endpoints:                10.244.0.2:9376,10.244.1.2:9376
      Session Affinity:         None
      External Traffic Policy:  Local
      Internal Traffic Policy:  Cluster
      HealthCheck NodePort:     32686
      Events:                   <none>
      """
    When I run "kubectl get service example-service -o jsonpath={.spec.healthCheckNodePort}"
    Then the output is:
      """
      32686
      """
