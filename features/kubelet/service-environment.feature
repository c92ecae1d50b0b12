Feature: Service environment variables
  # The kubelet gives each container the variables of the Services of its namespace that exist
  # when it starts (pkg/kubelet/envvars: <NAME>_SERVICE_HOST/PORT, <NAME>_SERVICE_PORT_<PORT>,
  # the Docker-link <NAME>_PORT_<port>_<PROTO>_* ones), and always those of the `kubernetes`
  # Service; `enableServiceLinks: false` leaves only the latter.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: redis-primary
      spec:
        selector:
          app: redis
        ports:
        - name: redis
          port: 6379
        - name: metrics
          port: 9121
          protocol: TCP
      """

  Scenario: A container started after the Service sees its variables, named and unnamed ports
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - name: c
          image: busybox
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I run "kubectl get service redis-primary -o jsonpath={.spec.clusterIP}"
    Then the output is:
      """
      10.105.253.216
      """
    When I run "kubectl exec app -- sh -c 'env | grep REDIS_PRIMARY | sort'"
    Then the output is:
      """
      REDIS_PRIMARY_PORT=tcp://10.105.253.216:6379
      REDIS_PRIMARY_PORT_6379_TCP=tcp://10.105.253.216:6379
      REDIS_PRIMARY_PORT_6379_TCP_ADDR=10.105.253.216
      REDIS_PRIMARY_PORT_6379_TCP_PORT=6379
      REDIS_PRIMARY_PORT_6379_TCP_PROTO=tcp
      REDIS_PRIMARY_PORT_9121_TCP=tcp://10.105.253.216:9121
      REDIS_PRIMARY_PORT_9121_TCP_ADDR=10.105.253.216
      REDIS_PRIMARY_PORT_9121_TCP_PORT=9121
      REDIS_PRIMARY_PORT_9121_TCP_PROTO=tcp
      REDIS_PRIMARY_SERVICE_HOST=10.105.253.216
      REDIS_PRIMARY_SERVICE_PORT=6379
      REDIS_PRIMARY_SERVICE_PORT_METRICS=9121
      REDIS_PRIMARY_SERVICE_PORT_REDIS=6379
      """

  Scenario: enableServiceLinks: false keeps only the kubernetes Service's variables
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        enableServiceLinks: false
        containers:
        - name: c
          image: busybox
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I run "kubectl exec app -- sh -c 'env | grep _SERVICE_HOST'"
    Then the output is:
      """
      KUBERNETES_SERVICE_HOST=10.96.0.1
      """

  Scenario: A Service of another namespace gives no variables
    When I run "kubectl create namespace other"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
        namespace: other
      spec:
        containers:
        - name: c
          image: busybox
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I try to run "kubectl exec app -n other -- printenv REDIS_PRIMARY_SERVICE_HOST KUBERNETES_SERVICE_PORT"
    Then the output is:
      """
      443
      """

  Scenario: A variable the pod declares wins over the Service's
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - name: c
          image: busybox
          command: ["sleep", "3600"]
          env:
          - name: REDIS_PRIMARY_SERVICE_HOST
            value: redis.example
          - name: REDIS_URL
            value: "redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)"
      """
    And 10 seconds pass
    And I run "kubectl exec app -- printenv REDIS_PRIMARY_SERVICE_HOST REDIS_URL"
    Then the output is:
      """
      redis.example
      redis://redis.example:6379
      """
