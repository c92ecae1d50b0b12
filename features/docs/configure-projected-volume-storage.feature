Feature: Configure a Pod to Use a Projected Volume for Storage
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-projected-volume-storage/
  #
  # Two Secrets made from local files (exercises/docs/pods/storage/projected/username.txt and
  # password.txt hold what the page's `echo -n` commands write) are projected into one directory
  # of the page's Pod (exercises/docs/pods/storage/projected.yaml, verbatim). The page watches the
  # Pod with `kubectl get --watch`; the simulation does not stream watches, so the scenario looks
  # at the Pod once the 14 seconds of the page's output have passed.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The Secrets' files appear together in the projected volume
    When I run "kubectl create secret generic user --from-file=exercises/docs/pods/storage/projected/username.txt"
    Then the output is:
      """
      secret/user created
      """
    When I run "kubectl create secret generic pass --from-file=exercises/docs/pods/storage/projected/password.txt"
    Then the output is:
      """
      secret/pass created
      """
    When I run "kubectl apply -f exercises/docs/pods/storage/projected.yaml"
    Then the output is:
      """
      pod/test-projected-volume created
      """
    When 14 seconds pass
    And I run "kubectl get pod test-projected-volume"
    Then the output is:
      """
      NAME                    READY   STATUS    RESTARTS   AGE
      test-projected-volume   1/1     Running   0          14s
      """
    When I run "kubectl exec -it test-projected-volume -- /bin/sh" and type:
      """
      ls /projected-volume/
      cat /projected-volume/username.txt; echo
      exit
      """
    Then the output is:
      """
      password.txt
      username.txt
      admin
      """

  Scenario: The projected volume is mounted read-only
    When I run "kubectl create secret generic user --from-file=exercises/docs/pods/storage/projected/username.txt"
    And I run "kubectl create secret generic pass --from-file=exercises/docs/pods/storage/projected/password.txt"
    And I run "kubectl apply -f exercises/docs/pods/storage/projected.yaml"
    And 14 seconds pass
    And I try to run "kubectl exec test-projected-volume -- touch /projected-volume/new"
    Then the command fails with:
      """
      touch: /projected-volume/new: Read-only file system
      """

  Scenario: Without its Secrets the Pod cannot start
    When I run "kubectl apply -f exercises/docs/pods/storage/projected.yaml"
    And 14 seconds pass
    And I run "kubectl get pod test-projected-volume"
    Then the output is:
      """
      NAME                    READY   STATUS              RESTARTS   AGE
      test-projected-volume   0/1     ContainerCreating   0          14s
      """
    And the events of pod "test-projected-volume" contain:
      """
      Warning FailedMount MountVolume.SetUp failed for volume "all-in-one" : [secret "user" not found, secret "pass" not found]
      """

  Scenario: Clean up
    When I run "kubectl create secret generic user --from-file=exercises/docs/pods/storage/projected/username.txt"
    And I run "kubectl create secret generic pass --from-file=exercises/docs/pods/storage/projected/password.txt"
    And I run "kubectl apply -f exercises/docs/pods/storage/projected.yaml"
    And 14 seconds pass
    And I run "kubectl delete pod test-projected-volume"
    Then the output is:
      """
      pod "test-projected-volume" deleted
      """
    When I run "kubectl delete secret user pass"
    Then the output is:
      """
      secret "user" deleted
      secret "pass" deleted
      """
