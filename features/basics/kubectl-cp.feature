@epic:Basics @feature:Copy
Feature: Copying files to and from containers with kubectl cp
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_cp/
  # Source: https://kubernetes.io/docs/reference/kubectl/quick-reference/#copying-files-and-directories-to-and-from-containers
  `kubectl cp <file-spec-src> <file-spec-dest>` copies a local file or directory into a container,
  or one out of it. A remote path is written `pod:path` (`namespace/pod:path` in another
  namespace; `-c` picks the container). The copy runs `tar` in the container over `kubectl exec`,
  so the image needs a `tar`: nginx's (Debian) has GNU tar, busybox has its own, and an image
  without a shell (pause, distroless) cannot be copied to or from. Copying out of a pod, kubectl
  prints what the container's tar says, such as `tar: Removing leading '/' from member names`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl run web --image=nginx:1.25"
    And 30 seconds pass

  Scenario: A local file copied into the Pod replaces nginx's page
    When I run "kubectl cp exercises/basics/cp/index.html web:/usr/share/nginx/html/index.html"
    Then the output is:
      """
      """
    When I run "kubectl exec web -- cat /usr/share/nginx/html/index.html"
    Then the output is:
      """
      <h1>Hello from kubectl cp</h1>
      """

  Scenario: A directory is copied whole; into an existing directory, it goes inside
    When I run "kubectl cp exercises/basics/cp/site web:/usr/share/nginx/html/site"
    And I run "kubectl exec web -- cat /usr/share/nginx/html/site/about.html /usr/share/nginx/html/site/css/style.css"
    Then the output is:
      """
      <p>About this site</p>
      body { color: navy; }
      """
    When I run "kubectl cp exercises/basics/cp/index.html web:/tmp"
    And I run "kubectl exec web -- ls /tmp"
    Then the output is:
      """
      index.html
      """

  Scenario: A file copied out of the Pod, with the container's tar warning, lands in the local directory
    When I run "kubectl cp web:/etc/nginx/conf.d/default.conf default.conf"
    Then the output is:
      """
      tar: Removing leading `/' from member names
      """
    When I run "kubectl create configmap nginx-default --from-file=default.conf"
    And I run "kubectl get configmap nginx-default -o yaml"
    Then the output contains:
      """
      data:
        default.conf: |
          server {
              listen       80;
              listen  [::]:80;
              server_name  localhost;
      """

  Scenario: Another namespace and another container
    When I run "kubectl create namespace tools"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: toolbox
        namespace: tools
      spec:
        containers:
        - name: main
          image: busybox:1.28
          command: ["sleep", "3600"]
        - name: helper
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 30 seconds pass
    And I run "kubectl cp exercises/basics/cp/index.html tools/toolbox:/tmp/index.html -c helper"
    And I run "kubectl exec -n tools toolbox -c helper -- cat /tmp/index.html"
    Then the output is:
      """
      <h1>Hello from kubectl cp</h1>
      """
    When I run "kubectl cp tools/toolbox:/tmp/index.html copy.html -c helper"
    Then the output is:
      """
      tar: removing leading '/' from member names
      """

  Scenario: What kubectl cp refuses
    When I try to run "kubectl cp exercises/basics/cp/missing.txt web:/tmp/missing.txt"
    Then the command fails with:
      """
      error: exercises/basics/cp/missing.txt doesn't exist in local filesystem
      """
    When I try to run "kubectl cp exercises/basics/cp/index.html web:/no/such/dir/index.html"
    Then the command fails with:
      """
      tar: /no/such/dir: Cannot open: No such file or directory
      tar: Error is not recoverable: exiting now
      command terminated with exit code 2
      """
    When I try to run "kubectl cp index.html other.html"
    Then the command fails with:
      """
      error: one of src or dest must be a remote file specification
      """

  Scenario: An image without tar cannot be copied to
    When I run "kubectl run pause --image=registry.k8s.io/pause:3.9"
    And 30 seconds pass
    And I try to run "kubectl cp exercises/basics/cp/index.html pause:/index.html"
    Then the command fails with:
      """
      executable file not found in $PATH
      """
