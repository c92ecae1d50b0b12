Feature: Configure a Security Context for a Pod or Container
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
  #
  # The page's Pods (exercises/docs/pods/security/, verbatim): the user and groups a container's
  # processes run as (runAsUser, runAsGroup, fsGroup, supplementalGroups), what fsGroup does to a
  # volume, a container's securityContext over the pod's, and the capabilities a container gets.
  # The page opens a shell with `kubectl exec -it … -- sh` and types commands into it; the typed
  # lines below are that shell's input, and the output is what it printed. Times and dates are
  # the simulated cluster's (the page shows its own, `Jun  6 20:08`).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A Pod's securityContext sets the user, the groups and the volume's group
    When I run "kubectl apply -f exercises/docs/pods/security/security-context.yaml"
    Then the output is:
      """
      pod/security-context-demo created
      """
    When 10 seconds pass
    And I run "kubectl get pod security-context-demo"
    Then the output is:
      """
      NAME                    READY   STATUS    RESTARTS   AGE
      security-context-demo   1/1     Running   0          10s
      """
    # The processes run as user 1000 (runAsUser); busybox's sh runs `sleep 1h` in its own place.
    When I run "kubectl exec -it security-context-demo -- sh" and type:
      """
      ps
      """
    Then the output is:
      """
      PID   USER     TIME  COMMAND
          1 1000      0:00 sleep 1h
          7 1000      0:00 sh
          8 1000      0:00 ps
      """
    # /data/demo belongs to group 2000 (fsGroup), setgid: what is created in it takes that group.
    When I run "kubectl exec -it security-context-demo -- sh" and type:
      """
      cd /data
      ls -l
      cd demo
      echo hello > testfile
      ls -l
      id
      exit
      """
    Then the output is:
      """
      total 4
      drwxrwsrwx    2 root     2000          4096 Jan  8 00:00 demo
      total 4
      -rw-r--r--    1 1000     2000             6 Jan  8 00:00 testfile
      uid=1000 gid=3000 groups=2000,3000,4000
      """

  Scenario: User 1000 may not create files where only root may write
    When I run "kubectl apply -f exercises/docs/pods/security/security-context.yaml"
    And 10 seconds pass
    And I try to run "kubectl exec security-context-demo -- touch /data/not-here"
    Then the command fails with:
      """
      touch: /data/not-here: Permission denied
      """

  Scenario: A container's securityContext overrides the Pod's
    When I run "kubectl apply -f exercises/docs/pods/security/security-context-2.yaml"
    Then the output is:
      """
      pod/security-context-demo-2 created
      """
    When 10 seconds pass
    And I run "kubectl get pod security-context-demo-2"
    Then the output contains:
      """
      security-context-demo-2   1/1     Running   0          10s
      """
    # The processes run as user 2000, the container's runAsUser, not the Pod's 1000.
    When I run "kubectl exec -it security-context-demo-2 -- sh" and type:
      """
      ps aux
      exit
      """
    Then the output is:
      """
      PID   USER     TIME  COMMAND
          1 2000      0:00 /hello-app
          7 2000      0:00 sh
          8 2000      0:00 ps aux
      """

  Scenario: Capabilities: the runtime's default set, and NET_ADMIN and SYS_TIME added
    When I run "kubectl apply -f exercises/docs/pods/security/security-context-3.yaml"
    And I run "kubectl apply -f exercises/docs/pods/security/security-context-4.yaml"
    And 10 seconds pass
    And I run "kubectl get pod security-context-demo-3"
    Then the output contains:
      """
      security-context-demo-3   1/1     Running   0          10s
      """
    When I run "kubectl exec -it security-context-demo-3 -- sh" and type:
      """
      cd /proc/1
      cat status
      exit
      """
    Then the output contains:
      """
      CapPrm:	00000000a80425fb
      CapEff:	00000000a80425fb
      """
    # Bits 12 (CAP_NET_ADMIN) and 25 (CAP_SYS_TIME) are set in the second container.
    When I run "kubectl exec -it security-context-demo-4 -- sh" and type:
      """
      cd /proc/1
      cat status
      exit
      """
    Then the output contains:
      """
      CapPrm:	00000000aa0435fb
      CapEff:	00000000aa0435fb
      """

  Scenario: Clean up
    When I run "kubectl apply -f exercises/docs/pods/security/security-context.yaml"
    And I run "kubectl apply -f exercises/docs/pods/security/security-context-2.yaml"
    And I run "kubectl apply -f exercises/docs/pods/security/security-context-3.yaml"
    And I run "kubectl apply -f exercises/docs/pods/security/security-context-4.yaml"
    And 10 seconds pass
    And I run "kubectl delete pod security-context-demo"
    Then the output is:
      """
      pod "security-context-demo" deleted
      """
    When I run "kubectl delete pod security-context-demo-2"
    And I run "kubectl delete pod security-context-demo-3"
    And I run "kubectl delete pod security-context-demo-4"
    And I run "kubectl get pods"
    Then the output is:
      """
      """
    And the error output is:
      """
      No resources found in default namespace.
      """
