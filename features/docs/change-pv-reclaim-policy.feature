Feature: Change the Reclaim Policy of a PersistentVolume
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/change-pv-reclaim-policy/
  #
  # The page lists three dynamically provisioned volumes bound to claim1, claim2 and claim3 without
  # giving the claims; exercises/docs/change-pv-reclaim-policy/claims.yaml makes them (4Gi each,
  # as the page's volumes) with a Pod that mounts them: kind's default StorageClass `standard`
  # provisions a volume when a Pod first uses its claim (WaitForFirstConsumer), and a provisioned
  # volume has its class's reclaim policy, Delete. The volumes are named after their claims' UIDs.
  # After the patch, deleting the claims shows what the policies mean: the Retain volume is
  # Released and kept with its data, the Delete volume is deleted by its provisioner.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/docs/change-pv-reclaim-policy/claims.yaml"
    Then within 1 minute pod "claims-user" is Running

  Scenario: Retain keeps the volume of claim3 when the claim is deleted
    When I run "kubectl get pv"
    Then the output is:
      """
      NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      pvc-2fc9df57-1892-40ea-8513-cba8f20f448c   4Gi        RWO            Delete           Bound    default/claim2   standard       <unset>                          1s
      pvc-770735a2-a8a0-46e5-9a2e-393b0a9bb8ed   4Gi        RWO            Delete           Bound    default/claim1   standard       <unset>                          1s
      pvc-b7801d98-8bb6-4bf2-93bb-78fec60c0cf9   4Gi        RWO            Delete           Bound    default/claim3   standard       <unset>                          1s
      """
    When I run "kubectl patch pv pvc-b7801d98-8bb6-4bf2-93bb-78fec60c0cf9 -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}'"
    Then the output is:
      """
      persistentvolume/pvc-b7801d98-8bb6-4bf2-93bb-78fec60c0cf9 patched
      """
    When 10 seconds pass
    And I run "kubectl get pv"
    Then the output is:
      """
      NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      pvc-2fc9df57-1892-40ea-8513-cba8f20f448c   4Gi        RWO            Delete           Bound    default/claim2   standard       <unset>                          11s
      pvc-770735a2-a8a0-46e5-9a2e-393b0a9bb8ed   4Gi        RWO            Delete           Bound    default/claim1   standard       <unset>                          11s
      pvc-b7801d98-8bb6-4bf2-93bb-78fec60c0cf9   4Gi        RWO            Retain           Bound    default/claim3   standard       <unset>                          11s
      """
    # "It will not be automatically deleted when a user deletes claim default/claim3."
    # The Pod goes first (busybox's sleep, PID 1, ignores SIGTERM: kubectl waits out its 30 s
    # grace period); the claims' pvc-protection finalizer holds them while a Pod uses them.
    When I run "kubectl delete pod claims-user"
    And I run "kubectl delete pvc claim1 claim3"
    Then the output is:
      """
      persistentvolumeclaim "claim1" deleted
      persistentvolumeclaim "claim3" deleted
      """
    When 1 minute passes
    And I run "kubectl get pv"
    Then the output is:
      """
      NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS     CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      pvc-2fc9df57-1892-40ea-8513-cba8f20f448c   4Gi        RWO            Delete           Bound      default/claim2   standard       <unset>                          101s
      pvc-b7801d98-8bb6-4bf2-93bb-78fec60c0cf9   4Gi        RWO            Retain           Released   default/claim3   standard       <unset>                          101s
      """
