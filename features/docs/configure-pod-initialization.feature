Feature: Configure Pod Initialization
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-initialization/
  #
  # The init container downloads http://info.cern.ch into a volume the nginx container serves.
  # The simulated cluster has no Internet: the scenario declares what info.cern.ch answers.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The init container writes the page nginx then serves
    Given the external host "info.cern.ch" answers:
      """yaml
      /: { status: 200, body: "<html><head></head><body><header>\n<title>http://info.cern.ch</title>\n</header>\n\n<h1>http://info.cern.ch - home of the first website</h1>\n</body></html>\n" }
      """
    When I apply the manifest file "exercises/docs/pods/init-containers.yaml"
    Then within 1 minute pod "init-demo" is Running
    When I run "kubectl get pod init-demo"
    Then the output contains:
      """
      init-demo   1/1     Running   0
      """
    And container "install" of pod "init-demo" is terminated with reason "Completed"
    When I run "kubectl exec init-demo -- cat /usr/share/nginx/html/index.html"
    Then the output contains:
      """
      <html><head></head><body><header>
      <title>http://info.cern.ch</title>
      </header>

      <h1>http://info.cern.ch - home of the first website</h1>
      """
    And the logs of container "install" of pod "init-demo" contain:
      """
      Connecting to info.cern.ch (203.0.113.10:80)
      """

  Scenario: dnsPolicy Default gives the pod the node's resolver, not the cluster's
    Given the external host "info.cern.ch" answers:
      """yaml
      /: "<html></html>"
      """
    When I apply the manifest file "exercises/docs/pods/init-containers.yaml"
    Then within 1 minute pod "init-demo" is Running
    When I run "kubectl exec init-demo -c nginx -- cat /etc/resolv.conf"
    Then the output is:
      """
      nameserver 172.18.0.1
      options ndots:0
      """

  Scenario: Without the external host the download fails and the pod stays initializing
    When I apply the manifest file "exercises/docs/pods/init-containers.yaml"
    And 1 minute passes
    Then the logs of container "install" of pod "init-demo" contain:
      """
      wget: bad address 'info.cern.ch'
      """
    When I run "kubectl get pod init-demo"
    Then the output contains:
      """
      init-demo   0/1     Init:CrashLoopBackOff
      """
