Feature: subPathExpr and $(VAR) in volume mounts
  # The kubelet expands `$(VAR)` in a volume mount's subPathExpr from the container's environment
  # (pkg/kubelet/container/helpers.go ExpandContainerVolumeMounts); a variable that is unset or
  # empty stops the container with CreateContainerConfigError.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Each pod writes under a directory named after it
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod1
      spec:
        containers:
        - name: container1
          env:
          - name: POD_NAME
            valueFrom:
              fieldRef:
                apiVersion: v1
                fieldPath: metadata.name
          image: busybox:1.28
          command: ["sleep", "3600"]
          volumeMounts:
          - name: workdir1
            mountPath: /logs
            subPathExpr: $(POD_NAME)
        restartPolicy: Never
        volumes:
        - name: workdir1
          hostPath:
            path: /var/log/pods
      """
    And 10 seconds pass
    And I run "kubectl exec pod1 -- sh -c 'echo hello > /logs/out.txt'"
    And I run "cat /var/log/pods/pod1/out.txt" on node "k8s-node1"
    Then the output is:
      """
      hello
      """

  Scenario: A variable that is not set stops the container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod2
      spec:
        containers:
        - name: c
          image: busybox:1.28
          command: ["sleep", "3600"]
          volumeMounts:
          - name: w
            mountPath: /logs
            subPathExpr: $(NOT_SET)
        volumes:
        - name: w
          emptyDir: {}
      """
    And 10 seconds pass
    Then container "c" of pod "pod2" is waiting with reason "CreateContainerConfigError"
    And the events of pod "pod2" contain:
      """
      Warning Failed Error: missing value for NOT_SET
      """

  Scenario: subPath and subPathExpr together are refused
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod3
      spec:
        containers:
        - name: c
          image: busybox:1.28
          volumeMounts:
          - name: w
            mountPath: /logs
            subPath: a
            subPathExpr: $(POD_NAME)
        volumes:
        - name: w
          emptyDir: {}
      """
    Then the command fails with:
      """
      The Pod "pod3" is invalid: spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: "$(POD_NAME)": subPathExpr and subPath are mutually exclusive
      """
