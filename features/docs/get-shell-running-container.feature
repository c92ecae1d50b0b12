Feature: Get a Shell to a Running Container
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/
  #
  # The page's Pod verbatim (exercises/docs/application/shell-demo.yaml, as
  # k8s.io/examples/application/shell-demo.yaml serves it). The shell is the nginx image's bash;
  # the image's package manager is not modelled (docs/divergences.md), so the page's
  # `apt-get install ...` (curl, procps for `ps aux`, lsof, tcpdump) are not followed: the page
  # written by the shell is read back with cat instead of curl.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Getting a shell to a container and writing the root page for nginx
    When I run "kubectl apply -f https://k8s.io/examples/application/shell-demo.yaml"
    Then the output is:
      """
      pod/shell-demo created
      """
    When 10 seconds pass
    And I run "kubectl get pod shell-demo"
    Then the output is:
      """
      NAME         READY   STATUS    RESTARTS   AGE
      shell-demo   1/1     Running   0          10s
      """
    When I run "kubectl exec --stdin --tty shell-demo -- /bin/bash" and type:
      """
      echo 'Hello shell demo' > /usr/share/nginx/html/index.html
      cat /usr/share/nginx/html/index.html
      exit
      """
    Then the output is:
      """
      Hello shell demo
      """
    When I run "kubectl exec shell-demo -- ls /"
    Then the output contains:
      """
      bin
      """
    And the output contains:
      """
      usr
      """

  Scenario: Running individual commands in a container
    When I run "kubectl apply -f https://k8s.io/examples/application/shell-demo.yaml"
    And 10 seconds pass
    # Without `--` (older versions of the page) kubectl v1.32 refuses the command before it runs.
    And I try to run "kubectl exec shell-demo env"
    Then the error output is:
      """
      error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead
      See 'kubectl exec -h' for help and examples
      """
    When I run "kubectl exec shell-demo -- env"
    Then the output contains:
      """
      HOSTNAME=shell-demo
      NGINX_VERSION=1.27.3
      """
    # The emptyDir volume mounted over /usr/share/nginx/html starts empty: the image's index.html is hidden.
    When I run "kubectl exec shell-demo -- ls /usr/share/nginx/html"
    Then the output is:
      """
      """

  Scenario: Opening a shell when a Pod has more than one container
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: my-pod
      spec:
        containers:
        - name: main-app
          image: nginx
        - name: helper-app
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I run "kubectl exec -i -t my-pod --container main-app -- /bin/bash" and type:
      """
      cat /etc/os-release
      """
    Then the output contains:
      """
      PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
      """
    When I run "kubectl exec -i -t my-pod --container helper-app -- sh" and type:
      """
      hostname
      """
    Then the output is:
      """
      my-pod
      """
