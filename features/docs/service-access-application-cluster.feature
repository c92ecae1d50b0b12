Feature: Use a Service to Access an Application in a Cluster
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/service-access-application-cluster/
  #
  # The page runs two instances of Google's hello-app (exercises/docs/service/access/
  # hello-application.yaml, verbatim: a Deployment written as YAML flow mappings) and reaches them
  # through a Service. The page exposes a NodePort and curls a node's public address; here the
  # Service is reached by its name from a pod in the cluster (the simulation has no node ports).
  # hello-app 2.0 answers "Hello, world!", its version and the pod's hostname (its main.go); older
  # versions of the page show "Hello Kubernetes!", the answer of node-hello, the image it used then.

  Background:
    Given a cluster with nodes:
      | name    |
      | worker1 |
      | worker2 |
    When I run "kubectl apply -f exercises/docs/service/access/hello-application.yaml"
    Then the output is:
      """
      deployment.apps/hello-world created
      """

  Scenario: Two instances of the Hello World application run
    When 20 seconds pass
    And I run "kubectl get deployments hello-world"
    Then the output is:
      """
      NAME          READY   UP-TO-DATE   AVAILABLE   AGE
      hello-world   2/2     2            2           20s
      """
    When I run "kubectl get replicasets -o custom-columns=DESIRED:.spec.replicas,READY:.status.readyReplicas"
    Then the output is:
      """
      DESIRED   READY
      2         2
      """

  Scenario: The Service answers with the hello message of one of the pods
    # What `kubectl expose deployment hello-world --name=example-service` creates, as a file (the
    # page's "Using a service configuration file").
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: example-service
        labels:
          run: load-balancer-example
      spec:
        selector:
          run: load-balancer-example
        ports:
        - port: 8080
          protocol: TCP
          targetPort: 8080
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
      spec:
        containers:
        - name: client
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 20 seconds pass
    And I run "kubectl exec client -- wget -qO- http://example-service:8080"
    Then the output contains:
      """
      Hello, world!
      Version: 2.0.0
      Hostname: hello-world-
      """
    When I run "kubectl describe services example-service"
    Then the output contains:
      """
      Selector:                 run=load-balancer-example
      """
