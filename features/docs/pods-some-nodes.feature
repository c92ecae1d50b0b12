Feature: Running Pods on Only Some Nodes
  # Source: https://kubernetes.io/docs/tasks/manage-daemon/pods-some-nodes/
  #
  # A DaemonSet whose Pod template has a nodeSelector (`ssd: "true"`) runs its Pods only on the
  # nodes labelled so; labelling another node makes the DaemonSet controller start one there. The
  # page says "create the DaemonSet from the manifest" without a command: `kubectl apply` of its
  # k8s.io URL here. The page's nodes are example-node-1, -2 and -3; a fourth has no SSD.

  Scenario: Daemon Pods on the nodes labelled ssd=true, and on a node labelled later
    Given a cluster with nodes:
      | name           |
      | example-node-1 |
      | example-node-2 |
      | example-node-3 |
      | example-node-4 |
    When I run "kubectl label nodes example-node-1 example-node-2 ssd=true"
    Then the output is:
      """
      node/example-node-1 labeled
      node/example-node-2 labeled
      """
    When I run "kubectl apply -f https://k8s.io/examples/controllers/daemonset-label-selector.yaml"
    Then the output is:
      """
      daemonset.apps/nginx-ssd created
      """
    When 20 seconds pass
    And I run "kubectl get daemonset nginx-ssd"
    Then the output is:
      """
      NAME        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      nginx-ssd   2         2         2       2            2           ssd=true        20s
      """
    When I run "kubectl label nodes example-node-3 ssd=true"
    Then the output is:
      """
      node/example-node-3 labeled
      """
    When 8 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME              READY   STATUS    RESTARTS   AGE   IP           NODE             NOMINATED NODE   READINESS GATES
      nginx-ssd-q9gjf   1/1     Running   0          28s   10.244.1.2   example-node-2   <none>           <none>
      nginx-ssd-tq5zh   1/1     Running   0          28s   10.244.0.2   example-node-1   <none>           <none>
      nginx-ssd-vnl45   1/1     Running   0          8s    10.244.2.2   example-node-3   <none>           <none>
      """
