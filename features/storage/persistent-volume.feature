@epic:Storage @feature:PersistentVolume
Feature: PersistentVolumes, claims and the default StorageClass
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-persistent-volume-storage/
  A PersistentVolumeClaim asks for storage of a class, a size and access modes; the PV controller
  binds it to the smallest Available PersistentVolume that fits. A claim of a class that binds
  WaitForFirstConsumer (kind's default `standard` class, provisioned by rancher's local-path
  provisioner) waits for a pod: the scheduler picks the node, the provisioner creates a hostPath
  volume on that node, and the pod starts once its claim is bound. What a pod writes through a
  claim stays on the node and is there for the next pod that mounts the claim.

  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-persistent-volume-storage/
  Scenario: A hostPath PersistentVolume, a claim bound to it, and nginx serving the node's file
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    # The page runs these with sudo in a shell on the node.
    When I run "mkdir /mnt/data" on node "k8s-node1"
    And I run "sh -c \"echo 'Hello from Kubernetes storage' > /mnt/data/index.html\"" on node "k8s-node1"
    And I run "cat /mnt/data/index.html" on node "k8s-node1"
    Then the output is:
      """
      Hello from Kubernetes storage
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: task-pv-volume
        labels:
          type: local
      spec:
        storageClassName: manual
        capacity:
          storage: 10Gi
        accessModes:
          - ReadWriteOnce
        hostPath:
          path: "/mnt/data"
      """
    And 4 seconds pass
    And I run "kubectl get pv task-pv-volume"
    Then the output is:
      """
      NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      task-pv-volume   10Gi       RWO            Retain           Available           manual         <unset>                          4s
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: task-pv-claim
      spec:
        storageClassName: manual
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 3Gi
      """
    And 30 seconds pass
    Then persistentvolumeclaim "task-pv-claim" is bound
    When I run "kubectl get pv task-pv-volume"
    Then the output is:
      """
      NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      task-pv-volume   10Gi       RWO            Retain           Bound    default/task-pv-claim   manual         <unset>                          34s
      """
    When I run "kubectl get pvc task-pv-claim"
    Then the output is:
      """
      NAME            STATUS   VOLUME           CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      task-pv-claim   Bound    task-pv-volume   10Gi       RWO            manual         <unset>                 30s
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: task-pv-pod
      spec:
        volumes:
          - name: task-pv-storage
            persistentVolumeClaim:
              claimName: task-pv-claim
        containers:
          - name: task-pv-container
            image: nginx
            ports:
              - containerPort: 80
                name: "http-server"
            volumeMounts:
              - mountPath: "/usr/share/nginx/html"
                name: task-pv-storage
      """
    Then within 1 minute pod "task-pv-pod" is Running
    # The page opens a shell in the container (kubectl exec -it task-pv-pod -- /bin/bash) and runs curl there.
    When I run "kubectl exec task-pv-pod -- curl -s http://localhost/"
    Then the output is:
      """
      Hello from Kubernetes storage
      """
    When I run "kubectl delete pod task-pv-pod" and 30 seconds pass
    And I run "kubectl delete pvc task-pv-claim"
    And I run "kubectl delete pv task-pv-volume"
    And I run "kubectl get pv,pvc"
    Then the output is:
      """
      """
    When I run "rm /mnt/data/index.html" on node "k8s-node1"
    And I run "rmdir /mnt/data" on node "k8s-node1"

  # Source: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims
  Scenario: A pod whose claim cannot bind stays Pending with the scheduler's message
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: task-pv-claim
      spec:
        storageClassName: manual
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 3Gi
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: task-pv-pod
      spec:
        volumes:
          - name: task-pv-storage
            persistentVolumeClaim:
              claimName: task-pv-claim
        containers:
          - name: task-pv-container
            image: nginx
            volumeMounts:
              - mountPath: "/usr/share/nginx/html"
                name: task-pv-storage
      """
    And 10 seconds pass
    Then pod "task-pv-pod" is Pending
    And pod "task-pv-pod" matches:
      """yaml
      status:
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      """
    When I run "kubectl describe pvc task-pv-claim"
    Then the output contains:
      """
      Status:        Pending
      """
    And the output contains:
      """
      Warning  ProvisioningFailed
      """
    And the output contains:
      """
      storageclass.storage.k8s.io "manual" not found
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: task-pv-volume
      spec:
        storageClassName: manual
        capacity:
          storage: 10Gi
        accessModes:
          - ReadWriteOnce
        hostPath:
          path: "/mnt/data"
      """
    Then within 1 minute pod "task-pv-pod" is Running

  # Source: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims
  Scenario: A claim that names no claim object keeps its pod Pending
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: orphan
      spec:
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: missing-claim
        containers:
          - name: app
            image: busybox
            command: ["sleep", "3600"]
            volumeMounts:
              - mountPath: /data
                name: data
      """
    And 5 seconds pass
    Then pod "orphan" matches:
      """yaml
      status:
        conditions:
        - type: PodScheduled
          status: "False"
          message: "0/1 nodes are available: persistentvolumeclaim \"missing-claim\" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      """

  # Source: https://kubernetes.io/docs/concepts/storage/dynamic-provisioning/#defaulting-behavior
  Scenario: A claim without a class gets the default class; its volume is provisioned on the pod's node and keeps the data
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl get storageclass"
    Then the output is:
      """
      NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
      standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  0s
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      """
    And 5 seconds pass
    And I run "kubectl get pvc data"
    Then the output is:
      """
      NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      data   Pending                                      standard       <unset>                 5s
      """
    When I run "kubectl describe pvc data"
    Then the output contains:
      """
      Normal  WaitForFirstConsumer
      """
    And the output contains:
      """
      waiting for first consumer to be created before binding
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: writer
      spec:
        nodeSelector:
          kubernetes.io/hostname: k8s-node2
        restartPolicy: Never
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: data
        containers:
          - name: app
            image: busybox
            command: ["sh", "-c", "echo saved by writer > /data/note.txt"]
            volumeMounts:
              - mountPath: /data
                name: data
      """
    And 10 seconds pass
    Then pod "writer" is Succeeded
    And persistentvolumeclaim "data" matches:
      """yaml
      metadata:
        annotations:
          volume.kubernetes.io/selected-node: k8s-node2
          volume.kubernetes.io/storage-provisioner: rancher.io/local-path
      spec:
        storageClassName: standard
      status:
        phase: Bound
        capacity:
          storage: 1Gi
      """
    When I run "kubectl describe pvc data"
    Then the output contains:
      """
      External provisioner is provisioning volume for claim "default/data"
      """
    When I run "kubectl get pv -o jsonpath={.items[0].spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"
    Then the output is:
      """
      k8s-node2
      """
    When I run "kubectl delete pod writer"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: reader
      spec:
        restartPolicy: Never
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: data
        containers:
          - name: app
            image: busybox
            command: ["cat", "/data/note.txt"]
            volumeMounts:
              - mountPath: /data
                name: data
      """
    And 10 seconds pass
    Then pod "reader" is Succeeded
    And the logs of pod "reader" contain:
      """
      saved by writer
      """
    When I run "kubectl get pod reader -o jsonpath={.spec.nodeName}"
    Then the output is:
      """
      k8s-node2
      """

  # Source: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming
  Scenario: Reclaim policies: Retain leaves the volume Released, Delete removes it
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: kept
      spec:
        storageClassName: manual
        persistentVolumeReclaimPolicy: Retain
        capacity:
          storage: 1Gi
        accessModes:
          - ReadWriteOnce
        hostPath:
          path: /mnt/kept
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: kept-claim
      spec:
        storageClassName: manual
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: scratch
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: user
      spec:
        restartPolicy: Never
        volumes:
          - name: scratch
            persistentVolumeClaim:
              claimName: scratch
        containers:
          - name: app
            image: busybox
            command: ["true"]
            volumeMounts:
              - mountPath: /scratch
                name: scratch
      """
    And 10 seconds pass
    Then persistentvolume "kept" matches:
      """yaml
      status:
        phase: Bound
      """
    When I run "kubectl delete pod user"
    And I run "kubectl delete pvc kept-claim scratch" and 5 seconds pass
    Then persistentvolume "kept" matches:
      """yaml
      spec:
        claimRef:
          name: kept-claim
      status:
        phase: Released
      """
    When I run "kubectl get pv"
    Then the output contains:
      """
      kept   1Gi        RWO            Retain           Released   default/kept-claim   manual
      """
    And the output does not contain:
      """
      pvc-
      """

  # Source: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection
  Scenario: A claim in use by a pod is not removed until the pod is gone
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: data
        containers:
          - name: app
            image: busybox
            command: ["sleep", "3600"]
            volumeMounts:
              - mountPath: /data
                name: data
      """
    And 10 seconds pass
    And I run "kubectl delete pvc data --wait=false" and 5 seconds pass
    And I run "kubectl describe pvc data"
    Then the output contains:
      """
      Status:        Terminating (lasts 5s)
      """
    And the output contains:
      """
      Finalizers:    [kubernetes.io/pvc-protection]
      """
    And the output contains:
      """
      Used By:       app
      """
    When I run "kubectl delete pod app --grace-period=0 --force" and 5 seconds pass
    And I run "kubectl get pvc"
    Then the output is:
      """
      """
