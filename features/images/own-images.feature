Feature: A team's own image runs the manifest's command and args
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
  # Source: https://kubernetes.io/docs/concepts/containers/images/
  The simulation cannot know what a team's own image (`myorg/shop:1.0`) contains, so it pulls and
  runs it as a generic process: it runs until stopped, listens on its containerPorts and answers
  200. The manifest's `command:` and `args:` still decide what starts, as the "Define a Command and
  Arguments" page says: "The command and arguments that you define in the configuration file
  override the default command and arguments provided by the container image." A command that runs
  a shell runs in the shell; the image's own program runs the generic process, or the behaviour
  the scenario declares for the image (docs/images.md).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The image's own program with its args serves on its containerPort, through a Service
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: shop
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: shop
        template:
          metadata:
            labels:
              app: shop
          spec:
            containers:
            - name: shop
              image: myorg/shop:1.0
              command: ["/app/shop"]
              args: ["--listen=:8080", "--log-level=info"]
              ports:
              - containerPort: 8080
              readinessProbe:
                httpGet:
                  path: /healthz
                  port: 8080
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: shop
      spec:
        selector:
          app: shop
        ports:
        - port: 80
          targetPort: 8080
      """
    And 20 seconds pass
    When I run "kubectl get deployment shop"
    Then the output is:
      """
      NAME   READY   UP-TO-DATE   AVAILABLE   AGE
      shop   1/1     1            1           20s
      """
    When I request "http://shop.default.svc.cluster.local/api/cart"
    Then the response status is 200
    When I run "kubectl get pods -l app=shop -o jsonpath={.items[0].spec.containers[0].args}"
    Then the output is:
      """
      ["--listen=:8080","--log-level=info"]
      """

  Scenario: A shell command in the team's image runs in the shell, with the container's env
    The page's example: "the environment variable appears in parentheses, "$(VAR)". This is
    required for the variable to be expanded in the command or args field."
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shop-migrate
      spec:
        restartPolicy: Never
        containers:
        - name: migrate
          image: myorg/shop:1.0
          env:
          - name: MESSAGE
            value: "migrating the shop database"
          command: ["/bin/sh", "-c"]
          args: ["echo $(MESSAGE); echo 3 tables migrated"]
      """
    And 10 seconds pass
    Then pod "shop-migrate" is Succeeded
    When I run "kubectl logs shop-migrate"
    Then the output is:
      """
      migrating the shop database
      3 tables migrated
      """

  Scenario: A failing shell command in the team's image fails the container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shop-check
      spec:
        restartPolicy: Never
        containers:
        - name: check
          image: myorg/shop:1.0
          command: ["sh", "-c", "echo checking the config; exit 3"]
      """
    And 10 seconds pass
    Then pod "shop-check" is Failed
    And container "check" of pod "shop-check" is terminated with reason "Error"
    When I run "kubectl get pod shop-check -o jsonpath={.status.containerStatuses[0].state.terminated.exitCode}"
    Then the output is:
      """
      3
      """

  Scenario: A declared image runs its model for its own binaries, and the shell for the rest
    Given the image "myorg/shop" behaves as:
      """yaml
      ports: [8080]
      binaries: ["/app/shop"]
      routes:
        /api/cart: { status: 200, body: '{"items":[]}' }
        /healthz: { status: 200, body: ok }
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shop
        labels:
          app: shop
      spec:
        containers:
        - name: shop
          image: myorg/shop:1.0
          command: ["/app/shop"]
          args: ["--listen=:8080"]
          ports:
          - containerPort: 8080
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: shop-worker
      spec:
        containers:
        - name: worker
          image: myorg/shop:1.0
          command: ["sh", "-c", "echo worker waiting for orders; sleep 3600"]
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: shop
      spec:
        selector:
          app: shop
        ports:
        - port: 80
          targetPort: 8080
      """
    And 10 seconds pass
    Then pod "shop" is Running
    And pod "shop-worker" is Running
    When I request "http://shop.default.svc.cluster.local/api/cart"
    Then the response status is 200
    And the response body is '{"items":[]}'
    When I run "kubectl logs shop-worker"
    Then the output is:
      """
      worker waiting for orders
      """
    When I run "kubectl get events -o custom-columns=REASON:.reason"
    Then the output does not contain:
      """
      GenericImage
      """

  Scenario: The generic process passes tcpSocket and gRPC probes on its containerPorts
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: api
      spec:
        containers:
        - name: api
          image: ghcr.io/acme/api:2.1
          args: ["--grpc-port=9090"]
          ports:
          - containerPort: 9090
          - containerPort: 8081
          readinessProbe:
            tcpSocket:
              port: 8081
            periodSeconds: 5
          livenessProbe:
            grpc:
              port: 9090
            periodSeconds: 5
      """
    And 60 seconds pass
    Then pod "api" is Running
    And pod "api" has restarted 0 times
    When I run "kubectl get pod api"
    Then the output is:
      """
      NAME   READY   STATUS    RESTARTS   AGE
      api    1/1     Running   0          60s
      """
    When I run "kubectl get events --field-selector involvedObject.name=api -o custom-columns=REASON:.reason"
    Then the output does not contain:
      """
      Unhealthy
      """
