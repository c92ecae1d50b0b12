Feature: Debug Services
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/
  #
  # The page's walk-through: a Deployment of registry.k8s.io/serve_hostname, whose pods serve their
  # own hostname over HTTP on port 9376, and a Service `hostnames` in front of them (port 80,
  # targetPort 9376), checked step by step from a pod in the cluster.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: hostnames
        name: hostnames
      spec:
        selector:
          matchLabels:
            app: hostnames
        replicas: 3
        template:
          metadata:
            labels:
              app: hostnames
          spec:
            containers:
            - name: hostnames
              image: registry.k8s.io/serve_hostname
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
    And 30 seconds pass

  Scenario: The Pods run and serve their own hostname on port 9376
    When I run "kubectl get pods -l app=hostnames -o custom-columns=READY:.status.containerStatuses[0].ready,STATUS:.status.phase,RESTARTS:.status.containerStatuses[0].restartCount"
    Then the output is:
      """
      READY   STATUS    RESTARTS
      true    Running   0
      true    Running   0
      true    Running   0
      """
    When I run "kubectl logs deployment/hostnames"
    Then the output contains:
      """
      Serving on port 9376.
      """

  Scenario: The Service does not exist until it is created; then DNS, its IP and its Endpoints work
    When I try to run "kubectl get svc hostnames"
    Then the command fails with:
      """
      Error from server (NotFound): services "hostnames" not found
      """
    When I run "kubectl exec client -- sh -c 'wget -qO- hostnames 2>&1; echo exit $?'"
    Then the output is:
      """
      wget: bad address 'hostnames'
      exit 1
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        labels:
          app: hostnames
        name: hostnames
      spec:
        selector:
          app: hostnames
        ports:
        - name: default
          protocol: TCP
          port: 80
          targetPort: 9376
      """
    And 5 seconds pass
    And I run "kubectl exec client -- nslookup hostnames"
    Then the output contains:
      """
      Name:      hostnames
      """
    And the output contains:
      """
      hostnames.default.svc.cluster.local
      """
    When I run "kubectl exec client -- sh -c 'for i in $(seq 1 3); do wget -qO- hostnames:80; echo; done'"
    Then the output contains:
      """
      hostnames-
      """
    When I run "kubectl get endpoints hostnames -o jsonpath={.subsets[0].addresses[*].targetRef.kind}"
    Then the output is:
      """
      Pod Pod Pod
      """
    When I run "kubectl get endpoints hostnames -o jsonpath={.subsets[0].ports[0].port}"
    Then the output is:
      """
      9376
      """
