Feature: Debug Init Containers
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-init-containers/
  #
  # The page names its Pod <pod-name> and shows no manifest; here a Pod named nginx (as in the
  # page's --template command) has two init containers, the second of which fails: its status
  # goes Init:Error, then Init:CrashLoopBackOff, describe shows both init containers' states,
  # the init container's log shows the commands `set -x` prints.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: nginx
      spec:
        initContainers:
        - name: init-container-1
          image: busybox:1.28
          command: ['sh', '-c', 'echo ready']
        - name: init-container-2
          image: busybox:1.28
          command: ['sh', '-c', 'set -x; test -f /config/app.conf']
        containers:
        - name: nginx
          image: nginx
      """

  Scenario: The status summarises the init containers: Init:Error, then Init:CrashLoopBackOff
    When 8 seconds pass
    And I run "kubectl get pod nginx"
    Then the output is:
      """
      NAME    READY   STATUS       RESTARTS     AGE
      nginx   0/1     Init:Error   1 (7s ago)   8s
      """
    When 60 seconds pass
    And I run "kubectl get pod nginx"
    Then the output is:
      """
      NAME    READY   STATUS                  RESTARTS      AGE
      nginx   0/1     Init:CrashLoopBackOff   3 (36s ago)   68s
      """
    When I run "kubectl describe pod nginx"
    Then the output contains:
      """
          State:          Terminated
            Reason:       Completed
            Exit Code:    0
      """
    And the output contains:
      """
          State:          Waiting
            Reason:       CrashLoopBackOff
          Last State:     Terminated
            Reason:       Error
            Exit Code:    1
      """

  Scenario: The init container statuses with a Go template, and the failing one's log
    When 68 seconds pass
    And I run:
      """
      kubectl get pod nginx --template '{{range .status.initContainerStatuses}}{{.name}} {{.restartCount}} {{.ready}}{{"\n"}}{{end}}'
      """
    Then the output is:
      """
      init-container-1 0 true
      init-container-2 3 false
      """
    When I run "kubectl get pod nginx --template '{{.status.initContainerStatuses}}'"
    Then the output contains:
      """
      [map[containerID:containerd://
      """
    When I run "kubectl logs nginx -c init-container-2"
    Then the output is:
      """
      + test -f /config/app.conf
      """
