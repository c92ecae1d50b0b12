Feature: Debug Running Pods
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
  #
  # The page's commands verbatim. `kubectl debug -it` attaches to the debug container: the lines the
  # step types are the session's input, and the output is what the container's shell printed (no
  # prompt and no echo of the typed lines, which only a terminal shows; a scenario has no terminal,
  # so kubectl says it cannot use one for -t, as it does when its input is not a terminal).

  Background:
    Given a cluster with nodes:
      | name          |
      | kube-worker-1 |

  Scenario: Debugging with an ephemeral debug container
    When I run "kubectl run ephemeral-demo --image=registry.k8s.io/pause:3.1 --restart=Never"
    And 10 seconds pass
    # The pause image has no shell: the runtime's exec fails.
    And I try to run "kubectl exec -it ephemeral-demo -- sh"
    Then the command fails with:
      """
      OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown
      """
    # --target joins the process namespace of the pod's container: ps shows its /pause.
    When I run "kubectl debug -it ephemeral-demo --image=busybox:1.28 --target=ephemeral-demo" and type:
      """
      ps
      """
    Then the output is:
      """
      Targeting container "ephemeral-demo". If you don't see processes from this container it may be because the container runtime doesn't support this feature.
      Defaulting debug container name to debugger-674b5.
      PID   USER     TIME  COMMAND
          1 root      0:00 /pause
          7 root      0:00 sh
          8 root      0:00 ps
      """
    And the error output is:
      """
      --profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".
      Unable to use a TTY - input is not a terminal or the right kind of file
      If you don't see a command prompt, try pressing enter.
      """
    When I run "kubectl describe pod ephemeral-demo"
    Then the output contains:
      """
      Ephemeral Containers:
        debugger-674b5:
          Container ID:   containerd://
      """
    When I run "kubectl delete pod ephemeral-demo"
    Then the output is:
      """
      pod "ephemeral-demo" deleted
      """
