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

  Scenario: Debugging a Pod or Node while applying a profile
    When I run "kubectl run myapp --image=busybox:1.28 --restart=Never -- sleep 1d"
    And 10 seconds pass
    # sysadmin makes the ephemeral container privileged: its process has every capability.
    And I run "kubectl debug -it myapp --image=busybox:1.28 --target=myapp --profile=sysadmin" and type:
      """
      grep Cap /proc/$$/status
      """
    Then the output is:
      """
      Targeting container "myapp". If you don't see processes from this container it may be because the container runtime doesn't support this feature.
      Defaulting debug container name to debugger-86p6r.
      CapInh:	0000000000000000
      CapPrm:	000001ffffffffff
      CapEff:	000001ffffffffff
      CapBnd:	000001ffffffffff
      CapAmb:	0000000000000000
      """
    When I run "kubectl get pod myapp -o jsonpath='{.spec.ephemeralContainers[0].securityContext}'"
    Then the output is:
      """
      {"privileged":true}
      """

  Scenario: Copying a Pod while adding a new container
    When I run "kubectl run myapp --image=busybox:1.28 --restart=Never -- sleep 1d"
    And 10 seconds pass
    And I run "kubectl debug myapp -it --image=ubuntu --share-processes --copy-to=myapp-debug" and type:
      """
      hostname
      """
    Then the output is:
      """
      Defaulting debug container name to debugger-bhj5n.
      myapp-debug
      """
    When I run "kubectl get pod myapp-debug -o jsonpath='{.spec.shareProcessNamespace} {.spec.containers[*].name}'"
    Then the output is:
      """
      true myapp debugger-bhj5n
      """
    When I run "kubectl delete pod myapp myapp-debug"
    Then the output is:
      """
      pod "myapp" deleted
      pod "myapp-debug" deleted
      """

  Scenario: Copying a Pod while changing its command
    When I run "kubectl run --image=busybox:1.28 myapp -- false"
    And 30 seconds pass
    And I run "kubectl get pod myapp"
    Then the output is:
      """
      NAME    READY   STATUS             RESTARTS      AGE
      myapp   0/1     CrashLoopBackOff   2 (19s ago)   30s
      """
    # The copy's container runs an interactive shell instead: what the step types is run there.
    When I run "kubectl debug myapp -it --copy-to=myapp-debug --container=myapp -- sh" and type:
      """
      ls /
      """
    Then the output is:
      """
      bin
      dev
      etc
      home
      proc
      root
      tmp
      usr
      var
      """

  Scenario: Copying a Pod while changing container images
    When I run "kubectl run myapp --image=busybox:1.28 --restart=Never -- sleep 1d"
    And I run "kubectl debug myapp --copy-to=myapp-debug --set-image=*=ubuntu"
    And 30 seconds pass
    And I run "kubectl get pod myapp-debug -o jsonpath='{.spec.containers[0].image}'"
    Then the output is:
      """
      ubuntu
      """
    When I run "kubectl delete pod myapp myapp-debug"
    Then the output is:
      """
      pod "myapp" deleted
      pod "myapp-debug" deleted
      """
