Feature: Configure Quality of Service for Pods
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/quality-service-pod/
  #
  # The QoS class the API server gives a pod from its containers' requests and limits.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace qos-example"

  Scenario: Requests equal to limits for cpu and memory: Guaranteed
    When I run "kubectl apply -f exercises/docs/pods/qos/qos-pod.yaml --namespace=qos-example"
    Then the output is:
      """
      pod/qos-demo created
      """
    And pod "qos-demo" in namespace "qos-example" matches:
      """yaml
      spec:
        containers:
        - resources:
            limits:
              cpu: 700m
              memory: 200Mi
            requests:
              cpu: 700m
              memory: 200Mi
      status:
        qosClass: Guaranteed
      """
    When I run "kubectl get pod qos-demo --namespace=qos-example --output=yaml"
    Then the output contains:
      """
        qosClass: Guaranteed
      """
    When I run "kubectl delete pod qos-demo --namespace=qos-example"
    Then the output is:
      """
      pod "qos-demo" deleted
      """

  Scenario: A memory request below its limit: Burstable
    When I run "kubectl apply -f exercises/docs/pods/qos/qos-pod-2.yaml --namespace=qos-example"
    Then pod "qos-demo-2" in namespace "qos-example" matches:
      """yaml
      spec:
        containers:
        - image: nginx
          imagePullPolicy: Always
          name: qos-demo-2-ctr
          resources:
            limits:
              memory: 200Mi
            requests:
              memory: 100Mi
      status:
        qosClass: Burstable
      """

  Scenario: No requests or limits: BestEffort
    When I run "kubectl apply -f exercises/docs/pods/qos/qos-pod-3.yaml --namespace=qos-example"
    And I run "kubectl get pod qos-demo-3 --namespace=qos-example --output=yaml"
    Then the output contains:
      """
          resources: {}
      """
    And the output contains:
      """
        qosClass: BestEffort
      """

  Scenario: Two containers, one with a memory request: Burstable
    When I run "kubectl apply -f exercises/docs/pods/qos/qos-pod-4.yaml --namespace=qos-example"
    Then pod "qos-demo-4" in namespace "qos-example" has QoS class "Burstable"
    And pod "qos-demo-4" in namespace "qos-example" matches:
      """yaml
      spec:
        containers:
        - name: qos-demo-4-ctr-1
          resources:
            requests:
              memory: 200Mi
        - name: qos-demo-4-ctr-2
          resources: {}
      """
    And within 1 minute pod "qos-demo-4" in namespace "qos-example" is Running

  Scenario: A limit without a request: Kubernetes sets the request to the limit (Guaranteed)
    # The page's note; the pod is ours (qos-pod.yaml without its requests).
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: qos-demo-limits
        namespace: qos-example
      spec:
        containers:
        - name: qos-demo-ctr
          image: nginx
          resources:
            limits:
              memory: "200Mi"
              cpu: "700m"
      """
    And I run "kubectl get pod qos-demo-limits --namespace=qos-example --output=jsonpath={.spec.containers[0].resources.requests}"
    Then the output is:
      """
      {"cpu":"700m","memory":"200Mi"}
      """
    And pod "qos-demo-limits" in namespace "qos-example" has QoS class "Guaranteed"

  Scenario: The restrictions apply to init containers too: one without resources makes the pod Burstable
    # The page: "These restrictions apply to init containers and app containers equally." Our pod.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: qos-demo-init
        namespace: qos-example
      spec:
        initContainers:
        - name: setup
          image: busybox
          command: ["sh", "-c", "true"]
        containers:
        - name: qos-demo-ctr
          image: nginx
          resources:
            limits:
              memory: "200Mi"
              cpu: "700m"
            requests:
              memory: "200Mi"
              cpu: "700m"
      """
    And I run "kubectl get pod qos-demo-init --namespace=qos-example --output=jsonpath={.status.qosClass}"
    Then the output is:
      """
      Burstable
      """
