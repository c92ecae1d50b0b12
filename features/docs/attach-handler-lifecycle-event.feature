Feature: Attach Handlers to Container Lifecycle Events
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/attach-handler-lifecycle-event/
  # and https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
  #
  # The nginx pod of the page (exercises/docs/pods/lifecycle-events.yaml, verbatim): its postStart
  # handler writes /usr/share/message; its preStop handler asks nginx to quit gracefully
  # (`nginx -s quit`), so the pod goes as soon as nginx has stopped.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/docs/pods/lifecycle-events.yaml"
    Then the output is:
      """
      pod/lifecycle-demo created
      """

  Scenario: The postStart handler wrote /usr/share/message
    Then within 30 seconds pod "lifecycle-demo" is Running
    When I run "kubectl get pod lifecycle-demo"
    Then the output contains:
      """
      lifecycle-demo   1/1     Running   0
      """
    When I run "kubectl exec lifecycle-demo -- cat /usr/share/message"
    Then the output is:
      """
      Hello from the postStart handler
      """

  Scenario: The container is nginx with its files: the welcome page is served
    Then within 30 seconds pod "lifecycle-demo" is Running
    When I run "kubectl exec lifecycle-demo -- cat /usr/share/nginx/html/index.html"
    Then the output contains:
      """
      <title>Welcome to nginx!</title>
      """
    When I run "kubectl logs lifecycle-demo"
    Then the output contains:
      """
      /docker-entrypoint.sh: Configuration complete; ready for start up
      """

  Scenario: The preStop handler stops nginx gracefully, and the pod goes long before its grace period ends
    Then within 30 seconds pod "lifecycle-demo" is Running
    When I run "kubectl delete pod lifecycle-demo --wait=false"
    Then the output is:
      """
      pod "lifecycle-demo" deleted
      """
    When 2 seconds pass
    Then pod "lifecycle-demo" no longer exists
    When I run "kubectl get events --field-selector involvedObject.name=lifecycle-demo,reason=Killing -o custom-columns=REASON:.reason,MESSAGE:.message"
    Then the output is:
      """
      REASON    MESSAGE
      Killing   Stopping container lifecycle-demo-container
      """

  Scenario: A failing postStart handler kills the container (Debugging hook handlers)
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: failing-hook
      spec:
        containers:
        - name: main
          image: nginx
          lifecycle:
            postStart:
              exec:
                command: ["/bin/sh", "-c", "exit 1"]
      """
    And 10 seconds pass
    Then the events of pod "failing-hook" contain:
      """
      Normal  Started             Started container main
      Warning FailedPostStartHook PostStartHook failed
      Normal  Killing             FailedPostStartHook
      """
