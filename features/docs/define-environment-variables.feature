Feature: Define Environment Variables for a Container
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
  #
  # `env` sets a container's variables; the container also gets HOSTNAME, the image's ENV and the
  # service variables of the Services that exist when it starts (the page's output shows
  # EXAMPLE_SERVICE_PORT_8080_TCP_ADDR from a Service of its cluster).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The pod runs with its label
    When I apply the manifest file "exercises/docs/pods/inject/envars.yaml"
    And 9 seconds pass
    And I run "kubectl get pods -l purpose=demonstrate-envars"
    Then the output is:
      """
      NAME         READY   STATUS    RESTARTS   AGE
      envar-demo   1/1     Running   0          9s
      """

  Scenario: printenv lists the variables the manifest sets, HOSTNAME and the service variables
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: example-service
      spec:
        selector:
          app: example
        ports:
        - port: 8080
      """
    And I apply the manifest file "exercises/docs/pods/inject/envars.yaml"
    And 9 seconds pass
    And I run "kubectl get service example-service -o jsonpath={.spec.clusterIP}"
    Then the output is:
      """
      10.105.253.216
      """
    When I run "kubectl exec envar-demo -- printenv"
    Then the output contains:
      """
      HOSTNAME=envar-demo
      """
    And the output contains:
      """
      DEMO_GREETING=Hello from the environment
      DEMO_FAREWELL=Such a sweet sorrow
      """
    And the output contains:
      """
      EXAMPLE_SERVICE_PORT_8080_TCP_ADDR=10.105.253.216
      """
    And the output contains:
      """
      EXAMPLE_SERVICE_SERVICE_HOST=10.105.253.216
      EXAMPLE_SERVICE_SERVICE_PORT=8080
      """

  Scenario: A Service created after the container started gives it no variables
    When I apply the manifest file "exercises/docs/pods/inject/envars.yaml"
    And 9 seconds pass
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: example-service
      spec:
        selector:
          app: example
        ports:
        - port: 8080
      """
    And I run "kubectl exec envar-demo -- printenv"
    Then the output does not contain:
      """
      EXAMPLE_SERVICE
      """
    And the output contains:
      """
      KUBERNETES_SERVICE_HOST=10.96.0.1
      KUBERNETES_SERVICE_PORT=443
      KUBERNETES_SERVICE_PORT_HTTPS=443
      KUBERNETES_PORT=tcp://10.96.0.1:443
      KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443
      KUBERNETES_PORT_443_TCP_PROTO=tcp
      KUBERNETES_PORT_443_TCP_PORT=443
      KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1
      """

  Scenario: Variables in the command line: $(MESSAGE) is expanded before echo runs
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: print-greeting
      spec:
        containers:
        - name: env-print-demo
          image: bash
          env:
          - name: GREETING
            value: "Warm greetings to"
          - name: HONORIFIC
            value: "The Most Honorable"
          - name: NAME
            value: "Kubernetes"
          - name: MESSAGE
            value: "$(GREETING) $(HONORIFIC) $(NAME)"
          command: ["echo"]
          args: ["$(MESSAGE)"]
      """
    And 10 seconds pass
    Then the logs of pod "print-greeting" contain:
      """
      Warm greetings to The Most Honorable Kubernetes
      """
