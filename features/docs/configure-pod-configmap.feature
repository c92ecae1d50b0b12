Feature: Configure a Pod to Use a ConfigMap
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/
  #
  # ConfigMap data as environment variables (one key, several ConfigMaps, every key with envFrom),
  # in a command line through `$(VAR)`, and as files of a volume. The pods run `env`, `echo`, `ls`
  # or `cat` once and stop (restartPolicy Never), so their logs hold what the page shows.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Environment variables from two ConfigMaps
    When I apply the manifest file "exercises/docs/configmap/configmaps.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-multiple-configmap-env-variable.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    And the logs of pod "dapi-test-pod" contain:
      """
      SPECIAL_LEVEL_KEY=very
      LOG_LEVEL=INFO
      """

  Scenario: Every key of a ConfigMap as an environment variable (envFrom)
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-envFrom.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    And the logs of pod "dapi-test-pod" contain:
      """
      SPECIAL_LEVEL=very
      SPECIAL_TYPE=charm
      """

  Scenario: ConfigMap-defined variables in the command, through $(VAR_NAME)
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-env-var-valueFrom.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      very charm
      """

  Scenario: A ConfigMap as a volume: one file per key
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-volume.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      SPECIAL_LEVEL
      SPECIAL_TYPE
      """

  Scenario: A key of a ConfigMap at a path of the volume (items)
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-volume-specific-key.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      very
      """

  Scenario: A pod referencing a ConfigMap that does not exist does not start
    When I apply the manifest file "exercises/docs/pods/pod-configmap-envFrom.yaml"
    And 10 seconds pass
    Then container "test-container" of pod "dapi-test-pod" is waiting with reason "CreateContainerConfigError"
    And the events of pod "dapi-test-pod" contain:
      """
      Warning Failed Error: configmap "special-config" not found
      """

  Scenario: describe configmap shows each key and its value
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I run "kubectl describe configmap special-config"
    Then the output is:
      """
      Name:         special-config
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      SPECIAL_LEVEL:
      ----
      very

      SPECIAL_TYPE:
      ----
      charm


      BinaryData
      ====

      Events:  <none>
      """

  Scenario: A key missing from the ConfigMap keeps the pod from starting until the key exists
    # The page's single-ConfigMap pod reads the key special.how; configmap-multikeys.yaml's
    # special-config does not have it. configmaps.yaml's special-config (the page's next example)
    # then provides it, and the kubelet's next try starts the container.
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-single-configmap-env-variable.yaml"
    And 10 seconds pass
    Then container "test-container" of pod "dapi-test-pod" is waiting with reason "CreateContainerConfigError"
    And the events of pod "dapi-test-pod" contain:
      """
      Warning Failed Error: couldn't find key special.how in ConfigMap default/special-config
      """
    When I apply the manifest file "exercises/docs/configmap/configmaps.yaml"
    Then within 1 minute pod "dapi-test-pod" is Succeeded
    And the logs of pod "dapi-test-pod" contain:
      """
      SPECIAL_LEVEL_KEY=very
      """

  Scenario: A ConfigMap can only be referenced by pods in its own namespace
    When I apply the manifest file "exercises/docs/configmap/configmaps.yaml"
    And I run "kubectl create namespace other"
    And I run "kubectl apply -f exercises/docs/pods/pod-single-configmap-env-variable.yaml --namespace=other"
    And 10 seconds pass
    Then container "test-container" of pod "dapi-test-pod" in namespace "other" is waiting with reason "CreateContainerConfigError"
    And the events of pod "dapi-test-pod" in namespace "other" contain:
      """
      Warning Failed Error: configmap "special-config" not found
      """

  Scenario: A reference marked optional lets the pod start without the ConfigMap
    # The page's restriction "unless you mark the ConfigMap as optional"; the pod is ours.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: optional-demo
      spec:
        restartPolicy: Never
        containers:
        - name: test-container
          image: registry.k8s.io/busybox:1.27.2
          command: ["/bin/sh", "-c", "echo \"SPECIAL_LEVEL_KEY=${SPECIAL_LEVEL_KEY-unset}\"; ls /etc/config | wc -l"]
          env:
          - name: SPECIAL_LEVEL_KEY
            valueFrom:
              configMapKeyRef:
                name: special-config
                key: special.how
                optional: true
          volumeMounts:
          - name: config-volume
            mountPath: /etc/config
        volumes:
        - name: config-volume
          configMap:
            name: special-config
            optional: true
      """
    Then within 30 seconds pod "optional-demo" is Succeeded
    When I run "kubectl logs optional-demo"
    Then the output is:
      """
      SPECIAL_LEVEL_KEY=unset
      0
      """

  Scenario: Mounted ConfigMaps are updated automatically, at once when a pod annotation changes, never through a subPath
    # The page's "Mounted ConfigMaps are updated automatically" and its subPath note; the pod is ours.
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: config-reader
      spec:
        containers:
        - name: test-container
          image: registry.k8s.io/busybox:1.27.2
          command: ["/bin/sh", "-c", "sleep 3600"]
          volumeMounts:
          - name: config-volume
            mountPath: /etc/config
          - name: config-volume
            mountPath: /etc/level
            subPath: SPECIAL_LEVEL
        volumes:
        - name: config-volume
          configMap:
            name: special-config
      """
    And 10 seconds pass
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: special-config
        namespace: default
      data:
        SPECIAL_LEVEL: extremely
        SPECIAL_TYPE: charm
      """
    # An annotation change makes the kubelet sync the pod at once (it refreshes the volume)
    And I run "kubectl annotate pod config-reader refresh=1"
    Then the output is:
      """
      pod/config-reader annotated
      """
    And 5 seconds pass
    And I run "kubectl exec config-reader -- cat /etc/config/SPECIAL_LEVEL"
    Then the output is:
      """
      extremely
      """
    When I run "kubectl exec config-reader -- cat /etc/level"
    Then the output is:
      """
      very
      """

  Scenario: envFrom keys the page calls invalid are variables in v1.32, with no InvalidEnvironmentVariableNames event
    # The page (its Restrictions) says envFrom skips keys such as 1badkey and records an
    # InvalidEnvironmentVariableNames event. Since RelaxedEnvironmentVariableValidation (beta, on
    # in v1.32) the kubelet no longer checks the names (kubernetes/kubernetes#130099: the page is
    # out of date): every key becomes a variable. The ConfigMap and pod are ours, with the page's keys.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: myconfig
      data:
        1badkey: one
        2alsobad: two
        GOOD_KEY: three
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: dapi-test-pod
      spec:
        restartPolicy: Never
        containers:
        - name: test-container
          image: registry.k8s.io/busybox:1.27.2
          command: ["/bin/sh", "-c", "env | grep -e bad -e GOOD | sort"]
          envFrom:
          - configMapRef:
              name: myconfig
      """
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      1badkey=one
      2alsobad=two
      GOOD_KEY=three
      """
    When I run "kubectl get events"
    Then the output does not contain:
      """
      InvalidEnvironmentVariableNames
      """
