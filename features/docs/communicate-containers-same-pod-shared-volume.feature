Feature: Communicate Between Containers in the Same Pod Using a Shared Volume
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/communicate-containers-same-pod-shared-volume/
  #
  # The page's Pod (exercises/docs/pods/two-container-pod.yaml, verbatim) runs nginx and a debian
  # container that share an emptyDir volume: the debian container writes index.html into it and
  # terminates, nginx serves it. The page installs curl and procps with apt-get inside the nginx
  # container to `curl localhost`: a pod's loopback is not modelled yet (a Service cannot
  # reach the Pod either: with its debian container terminated it is not Ready), so the scenario
  # reads the file where nginx serves it from.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/docs/pods/two-container-pod.yaml"
    Then the output is:
      """
      pod/two-containers created
      """
    And 30 seconds pass

  Scenario: The debian container has terminated, and the nginx container is still running
    Then container "debian-container" of pod "two-containers" is terminated with reason "Completed"
    And container "nginx-container" of pod "two-containers" is running
    When I run "kubectl get pod two-containers"
    Then the output is:
      """
      NAME             READY   STATUS     RESTARTS   AGE
      two-containers   1/2     NotReady   0          30s
      """

  Scenario: nginx's root holds the page the debian container wrote
    When I run "kubectl exec two-containers -c nginx-container -- cat /usr/share/nginx/html/index.html"
    Then the output is:
      """
      Hello from the debian container
      """
