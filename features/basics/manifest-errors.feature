@epic:Basics @feature:BadInput
Feature: Common manifest mistakes in pods, tolerations, affinity and services
  More mistakes students make while writing the course's manifests, each with the message a
  Kubernetes v1.32 API server answers. Nothing is created when a manifest is rejected.

  Background:
    Given a cluster with nodes:
      | name      | taints            |
      | k8s-node1 | hw=gpu:NoSchedule |

  Scenario: command is a list of words, not one string
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: sleeper
      spec:
        containers:
        - name: app
          image: busybox
          command: sleep 3600
      """
    Then the command fails with:
      """
      Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string
      """

  Scenario: A port number in quotes is a string, not a number
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          image: kubetm/app
          ports:
          - containerPort: "8080"
      """
    Then the command fails with:
      """
      Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32
      """

  Scenario: Two containers of a pod may not share a name
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: two
      spec:
        containers:
        - name: app
          image: kubetm/app
        - name: app
          image: busybox
      """
    Then the command fails with:
      """
      The Pod "two" is invalid: spec.containers[1].name: Duplicate value: "app"
      """

  Scenario: A probe has exactly one handler
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          image: kubetm/app
          readinessProbe:
            exec:
              command: ["cat", "/tmp/ready"]
            httpGet:
              path: /ready
              port: 8080
      """
    Then the command fails with:
      """
      The Pod "web" is invalid: spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type
      """

  Scenario: A toleration with operator Exists takes no value
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: gpu-pod
      spec:
        containers:
        - name: app
          image: kubetm/app
        tolerations:
        - key: hw
          operator: Exists
          value: gpu
          effect: NoSchedule
      """
    Then the command fails with:
      """
      The Pod "gpu-pod" is invalid: spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"hw", Operator:"Exists", Value:"gpu", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'
      """

  Scenario: A toleration's effect must be spelt exactly
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: gpu-pod
      spec:
        containers:
        - name: app
          image: kubetm/app
        tolerations:
        - key: hw
          operator: Equal
          value: gpu
          effect: NoSchedul
      """
    Then the command fails with:
      """
      The Pod "gpu-pod" is invalid: spec.tolerations[0].effect: Unsupported value: "NoSchedul": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"
      """

  Scenario: Node affinity Gt and Lt compare with exactly one number
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: big-node
      spec:
        containers:
        - name: app
          image: kubetm/app
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - key: cpu-count
                  operator: Gt
                  values: ["4", "8"]
      """
    Then the command fails with:
      """
      The Pod "big-node" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'
      """

  Scenario: A Service needs at least one port
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: web
      """
    Then the command fails with:
      """
      The Service "web" is invalid: spec.ports: Required value
      """
