Feature: The events of a crash-looping Pod over half an hour
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
  #
  # The page's "Copying a Pod while changing its command" starts a container that exits at once
  # (`kubectl run --image=busybox:1.28 myapp -- false`), which `kubectl describe pod myapp` shows
  # in CrashLoopBackOff. Left running, the kubelet keeps restarting it, but its events stop
  # following: every kubelet goes through client-go's EventCorrelator, whose spam filter lets a
  # source send 25 events about one object, then one every 5 minutes. The dropped ones still count,
  # so the next event that passes jumps its count. The Pod's RESTARTS keeps counting; the Created
  # and Started events stay at the first restarts.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl run --image=busybox:1.28 myapp -- false"

  Scenario: Half an hour later: 10 restarts, Created x5, and one BackOff event through every 5 minutes
    When 30 minutes pass
    And I run "kubectl get pod myapp"
    Then the output is:
      """
      NAME    READY   STATUS             RESTARTS         AGE
      myapp   0/1     CrashLoopBackOff   10 (4m49s ago)   30m
      """
    When I run "kubectl describe pod myapp"
    Then the output contains:
      """
        Normal   Scheduled  30m                    default-scheduler  Successfully assigned default/myapp to k8s-node1
        Normal   Pulling    30m                    kubelet            Pulling image "busybox:1.28"
        Normal   Pulled     29m                    kubelet            Successfully pulled image "busybox:1.28" in 1.2s (1.2s including waiting). Image size: 2155365 bytes.
        Normal   Created    28m (x5 over 29m)      kubelet            Created container: myapp
        Normal   Started    28m (x5 over 29m)      kubelet            Started container myapp
        Normal   Pulled     28m (x4 over 29m)      kubelet            Container image "busybox:1.28" already present on machine
        Warning  BackOff    4m58s (x151 over 29m)  kubelet            Back-off restarting failed container myapp in pod myapp_default(
      """
    When I run "kubectl events --for=pod/myapp --types=Warning"
    Then the output contains:
      """
      4m58s (x151 over 29m)   Warning   BackOff   Pod/myapp   Back-off restarting failed container myapp in pod myapp_default(
      """

  Scenario: The first 25 kubelet events about the Pod pass, then nothing until 5 minutes have refilled a token, and that one counts the dropped repeats
    # 1 Pulling + 1 Pulled + 5 Created + 5 Started + 4 Pulled (image present) + 9 BackOff = 25.
    When 100 seconds pass
    And I run "kubectl events --for=pod/myapp"
    Then the output contains:
      """
      100s                Normal    Scheduled   Pod/myapp   Successfully assigned default/myapp to k8s-node1
      100s                Normal    Pulling     Pod/myapp   Pulling image "busybox:1.28"
      99s                 Normal    Pulled      Pod/myapp   Successfully pulled image "busybox:1.28" in 1.2s (1.2s including waiting). Image size: 2155365 bytes.
      29s (x5 over 99s)   Normal    Created     Pod/myapp   Created container: myapp
      29s (x5 over 99s)   Normal    Started     Pod/myapp   Started container myapp
      29s (x4 over 99s)   Normal    Pulled      Pod/myapp   Container image "busybox:1.28" already present on machine
      18s (x9 over 98s)   Warning   BackOff     Pod/myapp   Back-off restarting failed container myapp in pod myapp_default(
      """
    # The kubelet restarts the container again (RESTARTS 5) and repeats BackOff every 10 s: all dropped.
    When 100 seconds pass
    And I run "kubectl get pod myapp"
    Then the output contains:
      """
      myapp   0/1     CrashLoopBackOff   5 (49s ago)   3m20s
      """
    When I run "kubectl events --for=pod/myapp"
    Then the output contains:
      """
      2m9s (x5 over 3m19s)   Normal    Created     Pod/myapp   Created container: myapp
      2m9s (x5 over 3m19s)   Normal    Started     Pod/myapp   Started container myapp
      2m9s (x4 over 3m19s)   Normal    Pulled      Pod/myapp   Container image "busybox:1.28" already present on machine
      118s (x9 over 3m18s)   Warning   BackOff     Pod/myapp   Back-off restarting failed container myapp in pod myapp_default(
      """
    # 300 s after the start the bucket holds a token again: the next BackOff passes with count 31.
    When 130 seconds pass
    And I run "kubectl events --for=pod/myapp --types=Warning"
    Then the output contains:
      """
      28s (x31 over 5m28s)   Warning   BackOff   Pod/myapp   Back-off restarting failed container myapp in pod myapp_default(
      """
