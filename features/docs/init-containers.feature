Feature: Init Containers
  # Source: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
  #
  # The page's example: a pod whose two init containers wait, with busybox's nslookup, for the
  # Services `myservice` and `mydb`; the app container starts once both exist.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: myapp-pod
        labels:
          app: myapp
      spec:
        containers:
        - name: myapp-container
          image: busybox:1.28
          command: ['sh', '-c', 'echo The app is running! && sleep 3600']
        initContainers:
        - name: init-myservice
          image: busybox:1.28
          command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
        - name: init-mydb
          image: busybox:1.28
          command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
      """

  Scenario: Without the Services the pod stays initializing, the first init container running
    When 6 minutes pass
    And I run "kubectl get pod myapp-pod"
    Then the output is:
      """
      NAME        READY   STATUS     RESTARTS   AGE
      myapp-pod   0/1     Init:0/2   0          6m
      """
    When I run "kubectl describe pod myapp-pod"
    Then the output contains:
      """
      Labels:           app=myapp
      """
    And the output contains:
      """
      Status:           Pending
      """
    And container "init-myservice" of pod "myapp-pod" is running
    And container "init-mydb" of pod "myapp-pod" is waiting with reason "PodInitializing"
    And container "myapp-container" of pod "myapp-pod" is waiting with reason "PodInitializing"

  Scenario: The first init container's log shows busybox's failed lookups
    When 10 seconds pass
    And I run "kubectl logs myapp-pod -c init-myservice"
    Then the output contains:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      nslookup: can't resolve 'myservice.default.svc.cluster.local'
      waiting for myservice
      """

  Scenario: Creating the two Services lets the init containers complete and the app start
    When 1 minute passes
    And I apply the manifest:
      """yaml
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: myservice
      spec:
        ports:
        - protocol: TCP
          port: 80
          targetPort: 9376
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: mydb
      spec:
        ports:
        - protocol: TCP
          port: 80
          targetPort: 9377
      """
    Then within 30 seconds pod "myapp-pod" is Running
    When I run "kubectl get pod myapp-pod"
    Then the output contains:
      """
      myapp-pod   1/1     Running   0
      """
    And the logs of container "myapp-container" of pod "myapp-pod" contain:
      """
      The app is running!
      """
    And container "init-myservice" of pod "myapp-pod" is terminated with reason "Completed"
    And container "init-mydb" of pod "myapp-pod" is terminated with reason "Completed"
