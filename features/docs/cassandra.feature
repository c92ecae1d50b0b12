Feature: Example: Deploying Cassandra with a StatefulSet
  # Source: https://kubernetes.io/docs/tutorials/stateful-application/cassandra/
  #
  # The page's manifests verbatim (exercises/docs/application/cassandra/, as
  # k8s.io/examples/application/cassandra/ serves them): the headless Service cassandra, and the
  # StatefulSet cassandra of three gcr.io/google-samples/cassandra:v13 nodes (docs/images.md: run.sh,
  # nodetool, the ring) with its StorageClass fast.
  #
  # What v1.32 shows where the page differs:
  # - The manifests label everything `app.kubernetes.io/name: cassandra`; the page's commands still
  #   select `app=cassandra`, which matches nothing. The scenarios run the page's command, then
  #   select the manifests' label.
  # - The StorageClass fast names minikube's provisioner (k8s.io/minikube-hostpath), as the page
  #   warns ("Please update the following StatefulSet for the cloud you are working with"). This
  #   cluster is kind, whose provisioner is rancher.io/local-path: the claims wait, as the claim's
  #   event says, "for a volume to be created either by the external provisioner
  #   'k8s.io/minikube-hostpath' or manually by the system administrator". The administrator makes
  #   the volumes (class fast, 1Gi, hostPath as minikube's provisioner would) and the page goes on.
  # - The page changes the replicas with `kubectl edit`, which opens an editor; the scenario sets
  #   the same field with `kubectl scale`.
  # - The page's cleanup is one shell line (`grace=$(kubectl get pod …) && kubectl delete … && sleep
  #   $grace && …`); the steps run kubectl one command at a time, so its parts run one by one.
  # - The page's outputs are illustrative (ages, 172.17.0.x addresses, loads, host IDs); here are
  #   the simulated cluster's: Pod addresses from 10.244.0.2, host IDs and tokens keyed by each
  #   node's name and first start, so the same scenario prints the same ring.

  Background:
    Given a cluster with nodes:
      | name               |
      | kind-control-plane |

  Scenario: Creating and validating the headless Service
    When I run "kubectl apply -f https://k8s.io/examples/application/cassandra/cassandra-service.yaml"
    Then the output is:
      """
      service/cassandra created
      """
    When 45 seconds pass
    And I run "kubectl get svc cassandra"
    Then the output is:
      """
      NAME        TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE
      cassandra   ClusterIP   None         <none>        9042/TCP   45s
      """

  Scenario: The StatefulSet's claims wait for minikube's provisioner; volumes made by hand let the ring form in order
    When I run "kubectl apply -f https://k8s.io/examples/application/cassandra/cassandra-service.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/cassandra/cassandra-statefulset.yaml"
    Then the output is:
      """
      statefulset.apps/cassandra created
      storageclass.storage.k8s.io/fast created
      """
    # kubectl v1.32 prints READY where the page's older kubectl printed DESIRED and CURRENT.
    When 13 seconds pass
    And I run "kubectl get statefulset cassandra"
    Then the output is:
      """
      NAME        READY   AGE
      cassandra   0/3     13s
      """
    # The page's selector: no Pod carries the label app=cassandra.
    When I run "kubectl get pods -l=\"app=cassandra\""
    Then the error output is:
      """
      No resources found in default namespace.
      """
    When I run "kubectl get pods -l app.kubernetes.io/name=cassandra"
    Then the output is:
      """
      NAME          READY   STATUS    RESTARTS   AGE
      cassandra-0   0/1     Pending   0          13s
      """
    When I run "kubectl describe pvc cassandra-data-cassandra-0"
    Then the output contains:
      """
      Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system administrator.
      """
    # The administrator's volumes: one per Pod, four for the scaling below.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: cassandra-data-0
      spec:
        storageClassName: fast
        capacity:
          storage: 1Gi
        accessModes: [ReadWriteOnce]
        hostPath:
          path: /tmp/hostpath-provisioner/default/cassandra-data-0
      ---
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: cassandra-data-1
      spec:
        storageClassName: fast
        capacity:
          storage: 1Gi
        accessModes: [ReadWriteOnce]
        hostPath:
          path: /tmp/hostpath-provisioner/default/cassandra-data-1
      ---
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: cassandra-data-2
      spec:
        storageClassName: fast
        capacity:
          storage: 1Gi
        accessModes: [ReadWriteOnce]
        hostPath:
          path: /tmp/hostpath-provisioner/default/cassandra-data-2
      ---
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: cassandra-data-3
      spec:
        storageClassName: fast
        capacity:
          storage: 1Gi
        accessModes: [ReadWriteOnce]
        hostPath:
          path: /tmp/hostpath-provisioner/default/cassandra-data-3
      """
    # OrderedReady: cassandra-1 is created once cassandra-0 is Running and Ready (its line of
    # nodetool status is UN), cassandra-2 once cassandra-1 is. A node that is not the seed waits
    # RING_DELAY (30 s) twice while it joins the ring.
    And I run "kubectl get pods -w -l app.kubernetes.io/name=cassandra" in a second terminal
    And within 6 minutes statefulset "cassandra" has 3 ready replicas
    And I stop the second terminal
    Then the output is:
      """
      NAME          READY   STATUS    RESTARTS   AGE
      cassandra-0   0/1     Pending   0          13s
      cassandra-0   0/1     Pending   0          17s
      cassandra-0   0/1     ContainerCreating   0          17s
      cassandra-0   0/1     Running             0          21s
      cassandra-0   1/1     Running             0          48s
      cassandra-1   0/1     Pending             0          0s
      cassandra-1   0/1     Pending             0          0s
      cassandra-1   0/1     ContainerCreating   0          0s
      cassandra-1   0/1     Running             0          4s
      cassandra-1   1/1     Running             0          92s
      cassandra-2   0/1     Pending             0          0s
      cassandra-2   0/1     Pending             0          0s
      cassandra-2   0/1     ContainerCreating   0          0s
      cassandra-2   0/1     Running             0          4s
      cassandra-2   1/1     Running             0          91s
      """
    When I run "kubectl get pods -l app.kubernetes.io/name=cassandra"
    Then the output is:
      """
      NAME          READY   STATUS    RESTARTS   AGE
      cassandra-0   1/1     Running   0          3m52s
      cassandra-1   1/1     Running   0          3m4s
      cassandra-2   1/1     Running   0          92s
      """
    # The ring as cassandra-0 sees it: three nodes Up and Normal, 32 tokens each; Owns (effective)
    # is system_traces' ownership at replication factor 2, so the column adds up to 200 %.
    When I run "kubectl exec -it cassandra-0 -- nodetool status"
    Then the output is:
      """
      Datacenter: DC1-K8Demo
      ======================
      Status=Up/Down
      |/ State=Normal/Leaving/Joining/Moving
      --  Address     Load       Tokens       Owns (effective)  Host ID                               Rack
      UN  10.244.0.4  92.59 KiB  32           68.7%             26a81d73-998a-4548-a34d-0172fa124684  Rack1-K8Demo
      UN  10.244.0.2  70.92 KiB  32           64.2%             3c5f765b-7663-4a7b-a706-f49b6e8d3c66  Rack1-K8Demo
      UN  10.244.0.3  95.23 KiB  32           67.2%             58125045-05a5-4e2a-a2e5-61a3f3962ae3  Rack1-K8Demo
      """
    # Modifying the StatefulSet: the page edits `replicas: 3` to 4 in `kubectl edit`.
    When I run "kubectl scale statefulset cassandra --replicas=4"
    Then the output is:
      """
      statefulset.apps/cassandra scaled
      """
    When I run "kubectl get statefulset cassandra"
    Then the output is:
      """
      NAME        READY   AGE
      cassandra   3/4     3m53s
      """
    When within 3 minutes statefulset "cassandra" has 4 ready replicas
    And I run "kubectl get statefulset cassandra"
    Then the output is:
      """
      NAME        READY   AGE
      cassandra   4/4     5m25s
      """
    # The fourth node bootstrapped through the seed; the others' shares shrink.
    When I run "kubectl exec -it cassandra-3 -- nodetool status"
    Then the output is:
      """
      Datacenter: DC1-K8Demo
      ======================
      Status=Up/Down
      |/ State=Normal/Leaving/Joining/Moving
      --  Address     Load       Tokens       Owns (effective)  Host ID                               Rack
      UN  10.244.0.4  92.59 KiB  32           50.4%             26a81d73-998a-4548-a34d-0172fa124684  Rack1-K8Demo
      UN  10.244.0.5  105.8 KiB  32           48.8%             edd4d560-a7b8-4edd-921d-15d47199840f  Rack1-K8Demo
      UN  10.244.0.2  70.92 KiB  32           52.1%             3c5f765b-7663-4a7b-a706-f49b6e8d3c66  Rack1-K8Demo
      UN  10.244.0.3  95.23 KiB  32           48.6%             58125045-05a5-4e2a-a2e5-61a3f3962ae3  Rack1-K8Demo
      """
    # Not on the page: a node whose Pod stops. Its preStop hook drains it (gossip stops, the others
    # mark it Down at once); the StatefulSet makes the Pod again on the same claim, and the node
    # rejoins with its host ID and tokens, without bootstrapping.
    When I run "kubectl delete pod cassandra-2 --wait=false"
    And 5 seconds pass
    And I run "kubectl exec cassandra-0 -- nodetool status"
    Then the output is:
      """
      Datacenter: DC1-K8Demo
      ======================
      Status=Up/Down
      |/ State=Normal/Leaving/Joining/Moving
      --  Address     Load       Tokens       Owns (effective)  Host ID                               Rack
      DN  10.244.0.4  92.59 KiB  32           50.4%             26a81d73-998a-4548-a34d-0172fa124684  Rack1-K8Demo
      UN  10.244.0.5  105.8 KiB  32           48.8%             edd4d560-a7b8-4edd-921d-15d47199840f  Rack1-K8Demo
      UN  10.244.0.2  70.92 KiB  32           52.1%             3c5f765b-7663-4a7b-a706-f49b6e8d3c66  Rack1-K8Demo
      UN  10.244.0.3  95.23 KiB  32           48.6%             58125045-05a5-4e2a-a2e5-61a3f3962ae3  Rack1-K8Demo
      """
    When within 3 minutes statefulset "cassandra" has 4 ready replicas
    And I run "kubectl exec cassandra-0 -- nodetool status"
    Then the output is:
      """
      Datacenter: DC1-K8Demo
      ======================
      Status=Up/Down
      |/ State=Normal/Leaving/Joining/Moving
      --  Address     Load       Tokens       Owns (effective)  Host ID                               Rack
      UN  10.244.0.5  105.8 KiB  32           48.8%             edd4d560-a7b8-4edd-921d-15d47199840f  Rack1-K8Demo
      UN  10.244.0.6  92.59 KiB  32           50.4%             26a81d73-998a-4548-a34d-0172fa124684  Rack1-K8Demo
      UN  10.244.0.2  70.92 KiB  32           52.1%             3c5f765b-7663-4a7b-a706-f49b6e8d3c66  Rack1-K8Demo
      UN  10.244.0.3  95.23 KiB  32           48.6%             58125045-05a5-4e2a-a2e5-61a3f3962ae3  Rack1-K8Demo
      """
    # Cleaning up, the page's line in its parts: the grace period, the StatefulSet, the wait, the claims.
    When I run "kubectl get pod cassandra-0 -o=jsonpath='{.spec.terminationGracePeriodSeconds}'"
    Then the output is:
      """
      500
      """
    When I run "kubectl delete statefulset -l app=cassandra"
    Then the output is:
      """
      No resources found
      """
    When I run "kubectl delete statefulset -l app.kubernetes.io/name=cassandra"
    Then the output is:
      """
      statefulset.apps "cassandra" deleted
      """
    # The preStop hook drains each node (nodetool drain: it stops gossip, so the others see it
    # down at once); then SIGTERM ends dumb-init and bash, exit 143, long before the 500 s.
    When 500 seconds pass
    And I run "kubectl get pods -l app.kubernetes.io/name=cassandra"
    Then the error output is:
      """
      No resources found in default namespace.
      """
    When I run "kubectl delete persistentvolumeclaim -l app=cassandra"
    Then the output is:
      """
      No resources found
      """
    When I run "kubectl delete persistentvolumeclaim -l app.kubernetes.io/name=cassandra"
    Then the output is:
      """
      persistentvolumeclaim "cassandra-data-cassandra-0" deleted
      persistentvolumeclaim "cassandra-data-cassandra-1" deleted
      persistentvolumeclaim "cassandra-data-cassandra-2" deleted
      persistentvolumeclaim "cassandra-data-cassandra-3" deleted
      """
    When I run "kubectl delete service -l app=cassandra"
    Then the output is:
      """
      No resources found
      """
    When I run "kubectl delete service -l app.kubernetes.io/name=cassandra"
    Then the output is:
      """
      service "cassandra" deleted
      """
