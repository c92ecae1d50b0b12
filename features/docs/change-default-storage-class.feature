Feature: Change the default StorageClass
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/
  #
  # A kind cluster comes with one StorageClass, `standard` (the default: kind's local-path
  # provisioner). The page's cluster also has `gold`, which a kind cluster does not: the page's
  # patch of `gold` is refused until a `gold` class exists; this one is a second local-path class.
  # A claim that names no class gets the default one when it is created (the DefaultStorageClass
  # admission plugin); with no default it waits without a class ("no storage class is set"), and
  # since v1.28 the PersistentVolume controller gives it the default once there is one again
  # (RetroactiveDefaultStorageClass), at its next sync of pending claims (within 15 s).
  # With two classes marked default, a claim gets the newest of them (the page's "cannot be
  # created" is the behaviour before v1.26).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl get storageclass"
    Then the output is:
      """
      NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
      standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  0s
      """

  Scenario: Mark standard as non-default and gold as the default
    When I run:
      """
      kubectl patch storageclass standard -p '{"metadata": {"annotations":{"storageclass.kubernetes.io/is-default-class":"false"}}}'
      """
    Then the output is:
      """
      storageclass.storage.k8s.io/standard patched
      """
    When I try to run "kubectl patch storageclass gold -p '{\"metadata\": {\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'"
    Then the command fails with:
      """
      Error from server (NotFound): storageclasses.storage.k8s.io "gold" not found
      """
    # The page's cluster has a class gold; this one makes it.
    When I apply the manifest:
      """yaml
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: gold
      provisioner: rancher.io/local-path
      reclaimPolicy: Retain
      volumeBindingMode: WaitForFirstConsumer
      """
    And 1 minute passes
    And I run:
      """
      kubectl patch storageclass gold -p '{"metadata": {"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'
      """
    Then the output is:
      """
      storageclass.storage.k8s.io/gold patched
      """
    When I run "kubectl get storageclass"
    Then the output is:
      """
      NAME             PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
      gold (default)   rancher.io/local-path   Retain          WaitForFirstConsumer   false                  60s
      standard         rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60s
      """
    # A claim with no storageClassName now gets gold.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
      """
    And I run "kubectl get pvc data"
    Then the output is:
      """
      NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      data   Pending                                      gold           <unset>                 0s
      """

  Scenario: Without a default, a claim waits with no class; it gets the next default
    When I run:
      """
      kubectl patch storageclass standard -p '{"metadata": {"annotations":{"storageclass.kubernetes.io/is-default-class":"false"}}}'
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
      """
    And 1 second passes
    And I run "kubectl get pvc data"
    Then the output is:
      """
      NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      data   Pending                                                     <unset>                 1s
      """
    When I run "kubectl events --for pvc/data"
    Then the output contains:
      """
      Normal   FailedBinding   PersistentVolumeClaim/data   no persistent volumes available for this claim and no storage class is set
      """
    When I run:
      """
      kubectl patch storageclass standard -p '{"metadata": {"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'
      """
    Then within 15 seconds the output of "kubectl get pvc data" contains:
      """
      standard
      """
    When I run "kubectl events --for pvc/data"
    Then the output contains:
      """
      Normal   WaitForFirstConsumer   PersistentVolumeClaim/data   waiting for first consumer to be created before binding
      """

  Scenario: Two default classes: a new claim gets the newest
    When I apply the manifest:
      """yaml
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: gold
      provisioner: rancher.io/local-path
      volumeBindingMode: WaitForFirstConsumer
      """
    And 1 minute passes
    And I run:
      """
      kubectl patch storageclass gold -p '{"metadata": {"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'
      """
    And I run "kubectl get storageclass"
    Then the output is:
      """
      NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
      gold (default)       rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60s
      standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60s
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
      """
    And I run "kubectl get pvc data -o jsonpath={.spec.storageClassName}"
    Then the output is:
      """
      gold
      """
