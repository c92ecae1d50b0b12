Feature: Watching with kubectl get --watch in a second terminal
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/ (--watch, --watch-only, --output-watch-events)
  #
  # The kubernetes.io pages watch in one terminal while they change things in another. The second
  # terminal does the same: `kubectl get pods --watch` prints the list, then a row for every watch
  # event at its instant (a status write that changes no column still prints a row; a deletion
  # prints the Pod's last state), in columns that keep their widths and widen for a longer cell, as
  # the real kubectl v1.32 prints them (src/server/kubectl.watch.test.ts compares both).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A Pod created, running and deleted while another terminal watches
    When I run "kubectl get pods --watch" in a second terminal
    And I run "kubectl run nginx --image=nginx"
    And 10 seconds pass
    And I look at the second terminal
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE
      nginx   0/1     Pending   0          0s
      nginx   0/1     Pending   0          0s
      nginx   0/1     ContainerCreating   0          0s
      nginx   1/1     Running             0          3s
      """
    # nginx exits on SIGTERM with code 0: the deleted Pod's last state is Succeeded (Completed),
    # written by the kubelet, then the Pod is gone (DELETED prints that state once more).
    When I run "kubectl delete pod nginx"
    And I stop the second terminal
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE
      nginx   0/1     Pending   0          0s
      nginx   0/1     Pending   0          0s
      nginx   0/1     ContainerCreating   0          0s
      nginx   1/1     Running             0          3s
      nginx   1/1     Terminating         0          10s
      nginx   0/1     Completed           0          10s
      nginx   0/1     Completed           0          10s
      """

  # A watch with a label selector sees a Pod whose labels stop matching as DELETED, with the
  # content it had while it matched (the API server's watch cache sends it so).
  Scenario: Watch events named, and a selection the Pod leaves
    When I run "kubectl run web --image=nginx --labels=app=web"
    And 10 seconds pass
    And I run "kubectl get pods -l app=web --watch --output-watch-events" in a second terminal
    And I run "kubectl label pod web app=other --overwrite"
    And I stop the second terminal
    Then the output is:
      """
      EVENT      NAME   READY   STATUS    RESTARTS   AGE
      ADDED      web    1/1     Running   0          10s
      DELETED    web    1/1     Running   0          10s
      """
