@epic:Workloads @feature:DaemonSet
Feature: DaemonSets — one copy of a pod on every eligible node
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
  A DaemonSet ensures that all (or some) nodes run a copy of a pod. The DaemonSet controller
  creates one pod per eligible node, pins it to that node with a `metadata.name` node affinity and
  lets the scheduler bind it; it adds tolerations so that its pods run on nodes that are not ready,
  unreachable, under pressure or unschedulable. Nodes that join get their pod; nodes that stop
  matching the node selector lose it. A template change rolls out node by node (RollingUpdate,
  `maxUnavailable`, `maxSurge`), or waits for pods to be deleted (OnDelete).

  Background:
    Given a cluster with nodes:
      | name          | role          |
      | control-plane | control-plane |
      | k8s-node1     |               |
      | k8s-node2     |               |
    # The fluentd image is not in the simulation's catalogue: it is declared as a process that
    # listens on fluentd's forward port and stops at SIGTERM.
    And the image "quay.io/fluentd_elasticsearch/fluentd" behaves as:
      """yaml
      ports: [24224]
      onSigterm: { exitCode: 0, after: 1s }
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#create-a-daemonset
  Scenario: The fluentd DaemonSet runs one pod on every node, the control plane included
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: fluentd-elasticsearch
        namespace: kube-system
        labels:
          k8s-app: fluentd-logging
      spec:
        selector:
          matchLabels:
            name: fluentd-elasticsearch
        template:
          metadata:
            labels:
              name: fluentd-elasticsearch
          spec:
            tolerations:
            # these tolerations are to have the daemonset runnable on control plane nodes
            # remove them if your control plane nodes should not run pods
            - key: node-role.kubernetes.io/control-plane
              operator: Exists
              effect: NoSchedule
            - key: node-role.kubernetes.io/master
              operator: Exists
              effect: NoSchedule
            containers:
            - name: fluentd-elasticsearch
              image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
              resources:
                limits:
                  memory: 200Mi
                requests:
                  cpu: 100m
                  memory: 200Mi
              volumeMounts:
              - name: varlog
                mountPath: /var/log
            # it may be desirable to set a high priority class to ensure that a DaemonSet Pod
            # preempts running Pods
            # priorityClassName: important
            terminationGracePeriodSeconds: 30
            volumes:
            - name: varlog
              hostPath:
                path: /var/log
      """
    And 30 seconds pass
    And I run "kubectl get daemonset fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      fluentd-elasticsearch   3         3         3       3            3           <none>          30s
      """
    When I run "kubectl get pods -n kube-system -l name=fluentd-elasticsearch --sort-by=.spec.nodeName -o custom-columns=NODE:.spec.nodeName,AFFINITY:.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]"
    Then the output is:
      """
      NODE            AFFINITY
      control-plane   control-plane
      k8s-node1       k8s-node1
      k8s-node2       k8s-node2
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
  Scenario: Daemon pods get the DaemonSet tolerations, and a node without the control-plane toleration gets no pod
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent
      spec:
        selector:
          matchLabels:
            app: node-agent
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox
              command: ["sh", "-c", "sleep 3600"]
      """
    And 10 seconds pass
    Then daemonset "node-agent" matches:
      """yaml
      status:
        desiredNumberScheduled: 2
        currentNumberScheduled: 2
        numberReady: 2
      """
    When I run "kubectl get pods -l app=node-agent -o jsonpath={.items[0].spec.tolerations}"
    Then the output is:
      """
      [{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists"},{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists"},{"effect":"NoSchedule","key":"node.kubernetes.io/disk-pressure","operator":"Exists"},{"effect":"NoSchedule","key":"node.kubernetes.io/memory-pressure","operator":"Exists"},{"effect":"NoSchedule","key":"node.kubernetes.io/pid-pressure","operator":"Exists"},{"effect":"NoSchedule","key":"node.kubernetes.io/unschedulable","operator":"Exists"}]
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#running-pods-on-select-nodes
  Scenario: A node selector: nodes labelled later get a pod, nodes unlabelled lose it
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: ssd-monitor
      spec:
        selector:
          matchLabels:
            app: ssd-monitor
        template:
          metadata:
            labels:
              app: ssd-monitor
          spec:
            nodeSelector:
              disk: ssd
            containers:
            - name: main
              image: busybox
              command: ["sh", "-c", "sleep 3600"]
      """
    And 5 seconds pass
    Then daemonset "ssd-monitor" matches:
      """yaml
      status:
        desiredNumberScheduled: 0
        currentNumberScheduled: 0
      """
    When I run "kubectl label node k8s-node1 disk=ssd" and 5 seconds pass
    And I run "kubectl get pods -l app=ssd-monitor -o custom-columns=NODE:.spec.nodeName,STATUS:.status.phase"
    Then the output is:
      """
      NODE        STATUS
      k8s-node1   Running
      """
    When I run "kubectl label node k8s-node1 disk-" and 1 minute passes
    And I run "kubectl get pods -l app=ssd-monitor"
    Then the output is:
      """
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
  Scenario: A node that joins the cluster gets its daemon pod
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent
      spec:
        selector:
          matchLabels:
            app: node-agent
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox
              command: ["sh", "-c", "sleep 3600"]
      """
    And 10 seconds pass
    Then daemonset "node-agent" has 2 ready pods
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Node
      metadata:
        name: k8s-node3
      """
    And 10 seconds pass
    Then daemonset "node-agent" has 3 ready pods
    When I run "kubectl get ds node-agent"
    Then the output is:
      """
      NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      node-agent   3         3         3       3            3           <none>          20s
      """

  # Source: https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
  Scenario: A rolling update replaces the pods node by node
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: fluentd-elasticsearch
        namespace: kube-system
        labels:
          k8s-app: fluentd-logging
      spec:
        selector:
          matchLabels:
            app.kubernetes.io/name: fluentd-elasticsearch
        updateStrategy:
          type: RollingUpdate
          rollingUpdate:
            maxUnavailable: 1
        template:
          metadata:
            labels:
              app.kubernetes.io/name: fluentd-elasticsearch
          spec:
            tolerations:
            # these tolerations are to have the daemonset runnable on control plane nodes
            # remove them if your control plane nodes should not run pods
            - key: node-role.kubernetes.io/control-plane
              operator: Exists
              effect: NoSchedule
            - key: node-role.kubernetes.io/master
              operator: Exists
              effect: NoSchedule
            containers:
            - name: fluentd-elasticsearch
              image: quay.io/fluentd_elasticsearch/fluentd:v5.0.1
              volumeMounts:
              - name: varlog
                mountPath: /var/log
              - name: varlibdockercontainers
                mountPath: /var/lib/docker/containers
                readOnly: true
            terminationGracePeriodSeconds: 30
            volumes:
            - name: varlog
              hostPath:
                path: /var/log
            - name: varlibdockercontainers
              hostPath:
                path: /var/lib/docker/containers
      """
    And 30 seconds pass
    # The page prints the strategy with -o go-template='{{.spec.updateStrategy.type}}{{"\n"}}'.
    And I run "kubectl get ds/fluentd-elasticsearch -o jsonpath={.spec.updateStrategy.type} -n kube-system"
    Then the output is:
      """
      RollingUpdate
      """
    When I run "kubectl set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0 -n kube-system"
    And I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    # The page shows `daemonset "fluentd-elasticsearch" successfully rolled out`; kubectl v1.32 writes "daemon set".
    Then the output contains:
      """
      daemon set "fluentd-elasticsearch" successfully rolled out
      """
    When I run "kubectl get pods -n kube-system -l app.kubernetes.io/name=fluentd-elasticsearch --sort-by=.spec.nodeName -o custom-columns=NODE:.spec.nodeName,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NODE            IMAGE
      control-plane   quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      k8s-node1       quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      k8s-node2       quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      """

  # Source: https://kubernetes.io/docs/tasks/manage-daemon/rollback-daemon-set/
  Scenario: The DaemonSet's revisions, and a rollback to the previous one
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent
      spec:
        selector:
          matchLabels:
            app: node-agent
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox:1.36
              command: ["sh", "-c", "sleep 3600"]
      """
    And 10 seconds pass
    And I run "kubectl set image ds/node-agent agent=busybox:1.37"
    And I run "kubectl rollout status ds/node-agent"
    And I run "kubectl rollout history daemonset node-agent"
    Then the output is:
      """
      daemonset.apps/node-agent
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>
      """
    When I run "kubectl rollout history daemonset node-agent --revision=1"
    Then the output contains:
      """
      daemonset.apps/node-agent with revision #1
      Pod Template:
        Labels:  app=node-agent
        Containers:
         agent:
          Image:      busybox:1.36
      """
    When I run "kubectl rollout undo daemonset node-agent"
    Then the output is:
      """
      daemonset.apps/node-agent rolled back
      """
    When I run "kubectl rollout status ds/node-agent"
    And I run "kubectl get pods -l app=node-agent -o custom-columns=IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      IMAGE
      busybox:1.36
      busybox:1.36
      """
    When I run "kubectl get controllerrevision -l app=node-agent"
    Then the output contains:
      """
      CONTROLLER                  REVISION
      """
    And the output contains:
      """
      daemonset.apps/node-agent   2
      """
    And the output contains:
      """
      daemonset.apps/node-agent   3
      """

  # Source: https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/#daemonset-update-strategy
  Scenario: OnDelete: new pods only once the old ones are deleted
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent
      spec:
        selector:
          matchLabels:
            app: node-agent
        updateStrategy:
          type: OnDelete
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox:1.36
              command: ["sh", "-c", "sleep 3600"]
      """
    And 10 seconds pass
    And I run "kubectl set image ds/node-agent agent=busybox:1.37" and 1 minute passes
    And I run "kubectl get ds node-agent"
    Then the output is:
      """
      NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      node-agent   2         2         2       0            2           <none>          70s
      """
    When I try to run "kubectl rollout status ds/node-agent"
    Then the command fails with:
      """
      error: rollout status is only available for RollingUpdate strategy type
      """
    When I run "kubectl delete pods -l app=node-agent --grace-period=0 --force" and 10 seconds pass
    And I run "kubectl get ds node-agent"
    Then the output is:
      """
      NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      node-agent   2         2         2       2            2           <none>          80s
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#updating-a-daemonset
  Scenario: Pods left behind by --cascade=orphan are adopted by a new DaemonSet with the same selector
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent
      spec:
        selector:
          matchLabels:
            app: node-agent
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox:1.36
              command: ["sh", "-c", "sleep 3600"]
      """
    And 10 seconds pass
    And I run "kubectl delete ds node-agent --cascade=orphan" and 5 seconds pass
    And I run "kubectl get pods -l app=node-agent -o custom-columns=OWNER:.metadata.ownerReferences"
    Then the output is:
      """
      OWNER
      <none>
      <none>
      """
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent-2
      spec:
        selector:
          matchLabels:
            app: node-agent
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox:1.36
              command: ["sh", "-c", "sleep 3600"]
      """
    And 5 seconds pass
    And I run "kubectl get pods -l app=node-agent -o custom-columns=OWNER:.metadata.ownerReferences[0].name,AGE:.metadata.creationTimestamp"
    Then the output is:
      """
      OWNER          AGE
      node-agent-2   2024-01-08T00:00:00Z
      node-agent-2   2024-01-08T00:00:00Z
      """

  # Source: https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/
  Scenario: Draining a node leaves its daemon pod, and refuses without --ignore-daemonsets
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-agent
      spec:
        selector:
          matchLabels:
            app: node-agent
        template:
          metadata:
            labels:
              app: node-agent
          spec:
            containers:
            - name: agent
              image: busybox
              command: ["sh", "-c", "sleep 3600"]
      """
    And 10 seconds pass
    And I try to run "kubectl drain k8s-node1"
    Then the command fails with:
      """
      cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)
      """
    When I run "kubectl drain k8s-node1 --ignore-daemonsets" and 10 seconds pass
    Then the output contains:
      """
      node/k8s-node1 drained
      """
    When I run "kubectl get pods -l app=node-agent --field-selector spec.nodeName=k8s-node1 -o custom-columns=STATUS:.status.phase"
    Then the output is:
      """
      STATUS
      Running
      """
