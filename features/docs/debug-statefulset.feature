Feature: Debug a StatefulSet
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-statefulset/
  #
  # The page assumes "a StatefulSet running that you want to investigate" whose Pods carry
  # `app=myapp`, and has one command: `kubectl get pods -l app=myapp`. The StatefulSet here is
  # ours (the page gives none): three nginx Pods behind a headless Service. For Pods "in Unknown
  # or Terminating state for an extended period of time" it sends you to "Delete StatefulSet Pods"
  # (tasks/run-application/force-delete-stateful-set-pod), whose force deletion is the last step:
  # a node stops answering, the taint manager deletes its Pod after the 300 s toleration, and the
  # Pod stays Terminating because its kubelet never confirms; the StatefulSet does not replace it
  # until it is force-deleted, then makes myapp-0 again on the node that answers.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: myapp
      spec:
        clusterIP: None
        selector:
          app: myapp
        ports:
        - port: 80
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: myapp
      spec:
        serviceName: myapp
        replicas: 3
        selector:
          matchLabels:
            app: myapp
        template:
          metadata:
            labels:
              app: myapp
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.24
              ports:
              - containerPort: 80
      """
    And 30 seconds pass

  Scenario: The Pods that belong to the StatefulSet
    When I run "kubectl get pods -l app=myapp"
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE
      myapp-0   1/1     Running   0          30s
      myapp-1   1/1     Running   0          27s
      myapp-2   1/1     Running   0          24s
      """

  Scenario: A Pod stuck Terminating on a lost node, force-deleted
    When I run "kubectl get pods -l app=myapp -o wide"
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      myapp-0   1/1     Running   0          30s   10.244.1.2   k8s-node2   <none>           <none>
      myapp-1   1/1     Running   0          27s   10.244.0.2   k8s-node1   <none>           <none>
      myapp-2   1/1     Running   0          24s   10.244.0.3   k8s-node1   <none>           <none>
      """
    When node "k8s-node2" goes down and 6 minutes pass
    And I run "kubectl get pods -l app=myapp"
    Then the output is:
      """
      NAME      READY   STATUS        RESTARTS   AGE
      myapp-0   1/1     Terminating   0          6m30s
      myapp-1   1/1     Running       0          6m27s
      myapp-2   1/1     Running       0          6m24s
      """
    When I run "kubectl get nodes"
    Then the output is:
      """
      NAME        STATUS     ROLES    AGE     VERSION
      k8s-node1   Ready      <none>   6m30s   v1.32.0
      k8s-node2   NotReady   <none>   6m30s   v1.32.0
      """
    # Still there ten minutes later: nothing on the lost node will confirm the deletion.
    When 10 minutes pass
    And I run "kubectl get pods -l app=myapp"
    Then the output is:
      """
      NAME      READY   STATUS        RESTARTS   AGE
      myapp-0   1/1     Terminating   0          16m
      myapp-1   1/1     Running       0          16m
      myapp-2   1/1     Running       0          16m
      """
    When I run "kubectl delete pods myapp-0 --grace-period=0 --force"
    Then the output is:
      """
      pod "myapp-0" force deleted
      """
    And the error output is:
      """
      Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.
      """
    When 30 seconds pass
    And I run "kubectl get pods -l app=myapp -o wide"
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      myapp-0   1/1     Running   0          30s   10.244.0.4   k8s-node1   <none>           <none>
      myapp-1   1/1     Running   0          16m   10.244.0.2   k8s-node1   <none>           <none>
      myapp-2   1/1     Running   0          16m   10.244.0.3   k8s-node1   <none>           <none>
      """
