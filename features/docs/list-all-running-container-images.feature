Feature: List All Container Images Running in a Cluster
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/list-all-running-container-images/
  #
  # The page's kubectl commands, verbatim, over a cluster running two nginx Pods (label
  # app=nginx) and a busybox Pod. Its pipelines into `tr`, `sort` and `uniq` run in a local shell
  # with kubectl's output as their input. `{..image}` finds every field named image: the
  # containers' specs and the images their statuses report (as the runtime names them).
  # (The page also lists the images of kube-system's Pods; the simulated cluster runs its control
  # plane without Pods, see docs/divergences.md.)

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create deployment nginx --image=nginx:1.27 --replicas=2"
    And I run "kubectl run busybox --image=busybox:1.28 -- sleep 3600"
    And 20 seconds pass

  Scenario: List all container images in all namespaces, counted
    When I run:
      """
      kubectl get pods --all-namespaces -o jsonpath="{..image}" | tr -s '[[:space:]]' '\n' | sort | uniq -c
      """
    Then the output is:
      """
            1 busybox:1.28
            1 docker.io/library/busybox:1.28
            2 docker.io/library/nginx:1.27
            2 nginx:1.27
      """

  Scenario: The absolute path to the image field
    When I run:
      """
      kubectl get pods --all-namespaces -o jsonpath="{.items[*].spec.containers[*].image}"
      """
    Then the output is:
      """
      busybox:1.28 nginx:1.27 nginx:1.27
      """

  Scenario: List container images by Pod
    When I run:
      """
      kubectl get pods --all-namespaces -o=jsonpath='{range .items[*]}{"\n"}{.metadata.name}{":\t"}{range .spec.containers[*]}{.image}{", "}{end}{end}' | sort
      """
    Then the output is:
      """

      busybox:	busybox:1.28, 
      nginx-9bf6758c6-4rzth:	nginx:1.27, 
      nginx-9bf6758c6-m6j26:	nginx:1.27, 
      """

  Scenario: List container images filtering by Pod label
    When I run:
      """
      kubectl get pods --all-namespaces -o=jsonpath="{..image}" -l app=nginx
      """
    Then the output is:
      """
      nginx:1.27 docker.io/library/nginx:1.27 nginx:1.27 docker.io/library/nginx:1.27
      """

  Scenario: List container images using a go-template instead of jsonpath
    When I run:
      """
      kubectl get pods --all-namespaces -o go-template --template="{{range .items}}{{range .spec.containers}}{{.image}} {{end}}{{end}}"
      """
    Then the output is:
      """
      busybox:1.28 nginx:1.27 nginx:1.27 
      """
