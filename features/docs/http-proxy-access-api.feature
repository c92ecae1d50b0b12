Feature: Use an HTTP Proxy to Access the Kubernetes API
  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/http-proxy-access-api/
  #
  # The page starts a Hello world application if the cluster runs none (`kubectl run node-hello`),
  # then `kubectl proxy --port=8080`, and explores the API with curl through the proxy. The proxy
  # forwards each request with the kubeconfig's credentials and answers as the API server does.
  # `/api/` names the versions of the core group and the address the API server advertises to
  # clients: the page's minikube shows 10.0.2.15:8443; a kind cluster's API server advertises its
  # control-plane node, 172.18.0.2:6443. curl's User-Agent makes the API server indent its JSON.
  # The list of pods holds the page's node-hello Pod (the page's excerpt shows another cluster's
  # kubernetes-bootcamp Pod).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl run node-hello --image=gcr.io/google-samples/node-hello:1.0 --port=8080"
    Then the output is:
      """
      pod/node-hello created
      """
    And within 1 minute pod "node-hello" is Running
    # "This command starts a proxy to the Kubernetes API server"
    When I run "kubectl proxy --port=8080" in a second terminal
    And I look at the second terminal
    Then the output is:
      """
      Starting to serve on 127.0.0.1:8080
      """

  Scenario: Get the API versions
    When I run "curl http://localhost:8080/api/"
    Then the output is:
      """
      {
        "kind": "APIVersions",
        "versions": [
          "v1"
        ],
        "serverAddressByClientCIDRs": [
          {
            "clientCIDR": "0.0.0.0/0",
            "serverAddress": "172.18.0.2:6443"
          }
        ]
      }
      """

  Scenario: Get a list of pods
    When I run "curl http://localhost:8080/api/v1/namespaces/default/pods"
    Then the output contains:
      """
      {
        "kind": "PodList",
        "apiVersion": "v1",
        "metadata": {
          "resourceVersion": 
      """
    And the output contains:
      """
        "items": [
          {
            "metadata": {
              "name": "node-hello",
              "namespace": "default",
      """
    And the output contains:
      """
              "labels": {
                "run": "node-hello"
      """
