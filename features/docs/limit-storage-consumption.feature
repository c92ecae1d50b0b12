Feature: Limit Storage Consumption
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/limit-storage-consumption/
  #
  # A LimitRange bounds what each PersistentVolumeClaim may request (at least 1Gi, at most 2Gi)
  # and a ResourceQuota what the namespace may claim in all (five claims, 5Gi). Both manifests are
  # the page's. The page describes the claims it would refuse without giving them: here a claim of
  # 10Gi ("rejected because it exceeds the 2Gi max"), one of 500Mi (under the minimum), and three
  # claims of 2Gi, the third of which would bring the namespace to 6Gi ("That would be 6Gi
  # requested for a namespace capped at 5Gi"). The LimitRanger and ResourceQuota admission
  # plugins refuse them before they are stored, with the messages v1.32 prints. The claims name no
  # StorageClass, so the cluster's default (`standard`, kind's local-path provisioner) is theirs;
  # it binds a volume only once a Pod uses the claim, so they stay Pending here.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """
      apiVersion: v1
      kind: LimitRange
      metadata:
        name: storagelimits
      spec:
        limits:
        - type: PersistentVolumeClaim
          max:
            storage: 2Gi
          min:
            storage: 1Gi
      """
    And I apply the manifest:
      """
      apiVersion: v1
      kind: ResourceQuota
      metadata:
        name: storagequota
      spec:
        hard:
          persistentvolumeclaims: "5"
          requests.storage: "5Gi"
      """

  Scenario: A claim above the LimitRange's maximum or below its minimum is refused
    When I try to apply the manifest:
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: big
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 10Gi
      """
    Then the command fails with:
      """
      persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 10Gi
      """
    When I try to apply the manifest:
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: small
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 500Mi
      """
    Then the command fails with:
      """
      persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi
      """

  Scenario: Three claims of 2Gi would be 6Gi in a namespace capped at 5Gi
    When I apply the manifest:
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: claim1
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 2Gi
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: claim2
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 2Gi
      """
    And I try to apply the manifest:
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: claim3
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 2Gi
      """
    Then the command fails with:
      """
      persistentvolumeclaims "claim3" is forbidden: exceeded quota: storagequota, requested: requests.storage=2Gi, used: requests.storage=4Gi, limited: requests.storage=5Gi
      """
    When I run "kubectl get resourcequota storagequota -o jsonpath={.status.used}"
    Then the output is:
      """
      {"persistentvolumeclaims":"2","requests.storage":"4Gi"}
      """
    When I run "kubectl get pvc"
    Then the output is:
      """
      NAME     STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      claim1   Pending                                      standard       <unset>                 0s
      claim2   Pending                                      standard       <unset>                 0s
      """
