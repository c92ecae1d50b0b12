Feature: Pod readiness gates: extra conditions the kubelet evaluates for a Pod's readiness
  # Source: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-readiness-gate
  #
  # The page's example gate, `www.example.com/feature-1`, on a Pod whose container is ready at once.
  # The page: a Pod that uses custom conditions is ready only when all its containers are ready and
  # every condition in `readinessGates` is True; a condition missing from `status.conditions` counts
  # as False. Applications and operators set the condition with a PATCH of the Pod's status (here
  # `kubectl patch --subresource=status`). The kubelet sees that status-only update and reconciles
  # the Pod's Ready condition at once (kubelet.go HandlePodReconcile, NeedToReconcilePodReadiness),
  # not at its next write for another reason.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: gated
      spec:
        readinessGates:
          - conditionType: "www.example.com/feature-1"
        containers:
        - name: nginx
          image: nginx:1.27
      """
    And 30 seconds pass

  Scenario: The containers are ready, the Pod is not until its gate's condition is True
    When I run "kubectl get pod gated -o wide"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      gated   1/1     Running   0          30s   10.244.0.2   k8s-node1   <none>           0/1
      """
    When I run "kubectl get pod gated -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason} {.message}{\"\n\"}{end}'"
    Then the output is:
      """
      PodReadyToStartContainers=True  
      Initialized=True  
      Ready=False ReadinessGatesNotReady corresponding condition of pod readiness gate "www.example.com/feature-1" does not exist.
      ContainersReady=True  
      PodScheduled=True  
      """
    # The condition written False: still not ready, with the gate's status in the message.
    When I run "kubectl patch pod gated --subresource=status -p '{\"status\":{\"conditions\":[{\"type\":\"www.example.com/feature-1\",\"status\":\"False\",\"lastTransitionTime\":\"2024-01-08T00:00:30Z\"}]}}'"
    Then the output is:
      """
      pod/gated patched
      """
    When I run "kubectl get pod gated -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].message}'"
    Then the output is:
      """
      the status of pod readiness gate "www.example.com/feature-1" is not "True", but False
      """
    # True: the kubelet reconciles Ready in the same instant.
    When I run "kubectl patch pod gated --subresource=status -p '{\"status\":{\"conditions\":[{\"type\":\"www.example.com/feature-1\",\"status\":\"True\",\"lastTransitionTime\":\"2024-01-08T00:00:30Z\"}]}}'"
    And I run "kubectl wait --for=condition=Ready pod/gated --timeout=0"
    Then the output is:
      """
      pod/gated condition met
      """
    When I run "kubectl get pod gated -o wide"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      gated   1/1     Running   0          30s   10.244.0.2   k8s-node1   <none>           1/1
      """
    # Back to False: the Pod is not ready again.
    When I run "kubectl patch pod gated --subresource=status -p '{\"status\":{\"conditions\":[{\"type\":\"www.example.com/feature-1\",\"status\":\"False\",\"lastTransitionTime\":\"2024-01-08T00:00:30Z\"}]}}'"
    And I run "kubectl get pod gated -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason}'"
    Then the output is:
      """
      False ReadinessGatesNotReady
      """
