Feature: Run a Replicated Stateful Application
  # Source: https://kubernetes.io/docs/tasks/run-application/run-replicated-stateful-application/
  #
  # The page's manifests verbatim (exercises/docs/application/mysql/, as k8s.io/examples serves
  # them): the ConfigMap mysql, the headless Service mysql and the Service mysql-read, and the
  # StatefulSet mysql of mysql:5.7 servers with the init containers init-mysql and clone-mysql and
  # the xtrabackup sidecar (gcr.io/google-samples/xtrabackup:1.0; docs/images.md). The cluster is
  # kind's default of a control plane (tainted NoSchedule, so the Pods go to the two workers) and
  # two workers, whose default StorageClass (standard) provisions the claims.
  #
  # What v1.32 shows where the page differs:
  # - The page's outputs are illustrative (ages, addresses, node names, times, volume names); here
  #   are the simulated cluster's. Its `kubectl get pvc` columns are those of an old kubectl: v1.32
  #   prints ACCESS MODES, STORAGECLASS and VOLUMEATTRIBUTESCLASS.
  # - kubectl v1.32 prints no "Waiting for pod default/mysql-client to be running" line; with -t and
  #   no terminal on the steps' side it says "Unable to use a TTY" (the container still has one, so
  #   mysql prints its boxed table).
  # - Breaking the readiness probe with `mv /usr/bin/mysql /usr/bin/mysql.off` does not make the
  #   container unready on v1.32 with containerd: the exec probe cannot start its binary, the kubelet
  #   reports "Readiness probe errored" and throws the result away (docs/divergences.md).
  # - kubectl v1.32 no longer knows `drain --delete-local-data` (its replacement is
  #   --delete-emptydir-data): the page's command fails as v1.32 fails it, then runs in the form
  #   v1.32 takes.

  Background:
    Given a cluster with nodes:
      | name               | role          |
      | kind-control-plane | control-plane |
      | kind-worker        |               |
      | kind-worker2       |               |

  Scenario: Deploying MySQL: the Pods start in order, each initialised from its ordinal and cloned from the one before
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml"
    Then the output is:
      """
      configmap/mysql created
      """
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml"
    Then the output is:
      """
      service/mysql created
      service/mysql-read created
      """
    When I run "kubectl get pods -l app=mysql --watch" in a second terminal
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml"
    Then the output is:
      """
      statefulset.apps/mysql created
      """
    When within 5 minutes statefulset "mysql" has 3 ready replicas
    And I stop the second terminal
    # OrderedReady: mysql-1 is created once mysql-0 is Running and Ready, mysql-2 once mysql-1 is.
    # The primary initialises its data directory (about 15 s); the replicas start on a clone.
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE
      mysql-0   0/2     Pending   0          0s
      mysql-0   0/2     Pending   0          0s
      mysql-0   0/2     Init:0/2   0          0s
      mysql-0   0/2     Init:1/2   0          5s
      mysql-0   0/2     PodInitializing   0          7s
      mysql-0   1/2     Running           0          8s
      mysql-0   2/2     Running           0          23s
      mysql-1   0/2     Pending           0          0s
      mysql-1   0/2     Pending           0          0s
      mysql-1   0/2     Init:0/2          0          0s
      mysql-1   0/2     Init:1/2          0          5s
      mysql-1   0/2     Init:1/2          0          7s
      mysql-1   0/2     PodInitializing   0          11s
      mysql-1   1/2     Running           0          12s
      mysql-1   2/2     Running           0          16s
      mysql-2   0/2     Pending           0          0s
      mysql-2   0/2     Pending           0          0s
      mysql-2   0/2     Init:0/2          0          0s
      mysql-2   0/2     Init:1/2          0          1s
      mysql-2   0/2     Init:1/2          0          2s
      mysql-2   0/2     PodInitializing   0          5s
      mysql-2   1/2     Running           0          6s
      mysql-2   2/2     Running           0          10s
      """
    # Generating configuration: init-mysql's server-id from the ordinal, and the replica's file.
    When I run "kubectl logs mysql-1 -c init-mysql"
    Then the output is:
      """
      ++ hostname
      + [[ mysql-1 =~ -([0-9]+)$ ]]
      + ordinal=1
      + echo '[mysqld]'
      + echo server-id=101
      + [[ 1 -eq 0 ]]
      + cp /mnt/config-map/secondary.cnf /mnt/conf.d/
      """
    When I run "kubectl exec mysql-1 -c mysql -- cat /etc/mysql/conf.d/server-id.cnf /etc/mysql/conf.d/secondary.cnf"
    Then the output is:
      """
      [mysqld]
      server-id=101
      # Apply this config only on secondaries.
      [mysqld]
      super-read-only
      """
    # Cloning existing data: mysql-2 clones from mysql-1, the Pod before it.
    When I run "kubectl logs mysql-2 -c clone-mysql"
    Then the output contains:
      """
      + ncat --recv-only mysql-1.mysql 3307
      + xbstream -x -C /var/lib/mysql
      + xtrabackup --prepare --target-dir=/var/lib/mysql
      """
    # Starting replication: mysql-1's sidecar takes the primary's binary log position from the
    # clone, waits for mysqld, runs CHANGE MASTER TO and START SLAVE, then serves clones with ncat.
    When I run "kubectl logs mysql-1 -c xtrabackup"
    Then the output contains:
      """
      + echo 'Initializing replication from clone position'
      Initializing replication from clone position
      """
    And the output contains:
      """
      + exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c 'xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root'
      """

  Scenario: Sending client traffic: write to the primary, read from any server through mysql-read
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml"
    And within 5 minutes statefulset "mysql" has 3 ready replicas
    When I run:
      """
      kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never --\
        mysql -h mysql-0.mysql <<EOF
      CREATE DATABASE test;
      CREATE TABLE test.messages (message VARCHAR(250));
      INSERT INTO test.messages VALUES ('hello');
      EOF
      """
    Then the output is:
      """
      pod "mysql-client" deleted
      """
    When I run:
      """
      kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never --\
        mysql -h mysql-read -e "SELECT * FROM test.messages"
      """
    Then the output is:
      """
      +---------+
      | message |
      +---------+
      | hello   |
      +---------+
      pod "mysql-client" deleted
      """
    # The page's loop (`bash -ic "while sleep 1; do mysql -h mysql-read -e 'SELECT @@server_id,NOW()'; done"`)
    # runs until Ctrl+C; one of its queries here: the server mysql-read picked answers.
    When I run "kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-read -e 'SELECT @@server_id,NOW()'"
    Then the output contains:
      """
      | @@server_id | NOW()               |
      """
    # The replicas refuse writes (super-read-only); each has the data through replication.
    When I run "kubectl exec mysql-2 -c mysql -- mysql -h 127.0.0.1 -e 'SELECT * FROM test.messages'"
    Then the output is:
      """
      message
      hello
      """

  Scenario: Scaling the number of replicas: new servers cloned from their predecessors, the claims kept on scale-down
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml"
    And within 5 minutes statefulset "mysql" has 3 ready replicas
    And I run:
      """
      kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never --\
        mysql -h mysql-0.mysql <<EOF
      CREATE DATABASE test;
      CREATE TABLE test.messages (message VARCHAR(250));
      INSERT INTO test.messages VALUES ('hello');
      EOF
      """
    When I run "kubectl scale statefulset mysql  --replicas=5"
    Then the output is:
      """
      statefulset.apps/mysql scaled
      """
    When I run "kubectl get pods -l app=mysql --watch" in a second terminal
    And within 5 minutes statefulset "mysql" has 5 ready replicas
    And I stop the second terminal
    # OrderedReady again: mysql-4 is created once mysql-3 is Running and Ready; each new server
    # starts on a clone of the one before it, the images already on its node.
    Then the output is:
      """
      NAME      READY   STATUS     RESTARTS   AGE
      mysql-0   2/2     Running    0          52s
      mysql-1   2/2     Running    0          29s
      mysql-2   2/2     Running    0          13s
      mysql-3   0/2     Init:0/2   0          0s
      mysql-3   0/2     Init:1/2   0          1s
      mysql-3   0/2     Init:1/2   0          2s
      mysql-3   0/2     PodInitializing   0          5s
      mysql-3   1/2     Running           0          6s
      mysql-3   2/2     Running           0          10s
      mysql-4   0/2     Pending           0          0s
      mysql-4   0/2     Pending           0          0s
      mysql-4   0/2     Init:0/2          0          0s
      mysql-4   0/2     Init:1/2          0          1s
      mysql-4   0/2     Init:1/2          0          2s
      mysql-4   0/2     PodInitializing   0          5s
      mysql-4   1/2     Running           0          6s
      mysql-4   2/2     Running           0          10s
      """
    When I run "kubectl logs mysql-4 -c clone-mysql"
    Then the output contains:
      """
      + ncat --recv-only mysql-3.mysql 3307
      + xbstream -x -C /var/lib/mysql
      + xtrabackup --prepare --target-dir=/var/lib/mysql
      """
    # The new servers have the data added before they existed.
    When I run:
      """
      kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never --\
        mysql -h mysql-3.mysql -e "SELECT * FROM test.messages"
      """
    Then the output is:
      """
      +---------+
      | message |
      +---------+
      | hello   |
      +---------+
      pod "mysql-client" deleted
      """
    When I run "kubectl exec mysql-4 -c mysql -- mysql -h 127.0.0.1 -e 'SELECT @@server_id'"
    Then the output is:
      """
      @@server_id
      104
      """
    # Scaling down removes the highest ordinal first, one at a time. Each Pod takes its grace period
    # (30 s): mysqld stops on SIGTERM, but the sidecar's ncat, the container's PID 1, ignores it and
    # is killed when the period ends.
    When I run "kubectl scale statefulset mysql --replicas=3"
    Then the output is:
      """
      statefulset.apps/mysql scaled
      """
    When I run "kubectl get pods -l app=mysql --watch" in a second terminal
    And 1 minute 30 seconds pass
    And I stop the second terminal
    Then the output is:
      """
      NAME      READY   STATUS        RESTARTS   AGE
      mysql-0   2/2     Running       0          73s
      mysql-1   2/2     Running       0          50s
      mysql-2   2/2     Running       0          34s
      mysql-3   2/2     Running       0          21s
      mysql-4   2/2     Terminating   0          11s
      mysql-4   0/2     Completed     0          41s
      mysql-4   0/2     Completed     0          41s
      mysql-3   2/2     Terminating   0          51s
      mysql-3   0/2     Completed     0          81s
      mysql-3   0/2     Completed     0          81s
      """
    # Scaling down keeps the PersistentVolumeClaims (the StatefulSet's default retention policy,
    # whenScaled: Retain): all five remain.
    When I run "kubectl get pvc -l app=mysql"
    Then the output is:
      """
      NAME           STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      data-mysql-0   Bound    pvc-ef936248-329f-4b25-9527-95e0c2c60b81   10Gi       RWO            standard       <unset>                 2m43s
      data-mysql-1   Bound    pvc-17c83a33-a2d9-4f9e-a265-fa45ef3a63ec   10Gi       RWO            standard       <unset>                 2m20s
      data-mysql-2   Bound    pvc-f3ccada1-95ac-438d-9d4e-622d234439e3   10Gi       RWO            standard       <unset>                 2m4s
      data-mysql-3   Bound    pvc-6d080cad-4457-43ef-9249-467297c419ff   10Gi       RWO            standard       <unset>                 111s
      data-mysql-4   Bound    pvc-02ac4bf8-ec58-4668-9d54-ee548cfd72e6   10Gi       RWO            standard       <unset>                 101s
      """
    When I run "kubectl delete pvc data-mysql-3"
    Then the output is:
      """
      persistentvolumeclaim "data-mysql-3" deleted
      """
    When I run "kubectl delete pvc data-mysql-4"
    Then the output is:
      """
      persistentvolumeclaim "data-mysql-4" deleted
      """
    # kind's provisioner made the volumes with reclaim policy Delete: they go with their claims.
    When 10 seconds pass
    And I run "kubectl get pv"
    Then the output is:
      """
      NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                  STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      pvc-17c83a33-a2d9-4f9e-a265-fa45ef3a63ec   10Gi       RWO            Delete           Bound    default/data-mysql-1   standard       <unset>                          2m30s
      pvc-ef936248-329f-4b25-9527-95e0c2c60b81   10Gi       RWO            Delete           Bound    default/data-mysql-0   standard       <unset>                          2m53s
      pvc-f3ccada1-95ac-438d-9d4e-622d234439e3   10Gi       RWO            Delete           Bound    default/data-mysql-2   standard       <unset>                          2m14s
      """

  Scenario: Cleaning up: the StatefulSet's Pods terminate, then the ConfigMap, Services and claims go by label
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml"
    And within 5 minutes statefulset "mysql" has 3 ready replicas
    When I run "kubectl delete statefulset mysql"
    Then the output is:
      """
      statefulset.apps "mysql" deleted
      """
    When I run "kubectl get pods -l app=mysql"
    Then the output is:
      """
      NAME      READY   STATUS        RESTARTS   AGE
      mysql-0   2/2     Terminating   0          50s
      mysql-1   2/2     Terminating   0          27s
      mysql-2   2/2     Terminating   0          11s
      """
    # Each Pod takes its grace period: mysqld stops on SIGTERM, the sidecar's ncat does not.
    When 40 seconds pass
    And I run "kubectl get pods -l app=mysql"
    Then the output is:
      """
      """
    And the error output is:
      """
      No resources found in default namespace.
      """
    When I run "kubectl delete configmap,service,pvc -l app=mysql"
    Then the output is:
      """
      configmap "mysql" deleted
      service "mysql" deleted
      service "mysql-read" deleted
      persistentvolumeclaim "data-mysql-0" deleted
      persistentvolumeclaim "data-mysql-1" deleted
      persistentvolumeclaim "data-mysql-2" deleted
      """
    # The claims were dynamically provisioned: their volumes go with them.
    When 10 seconds pass
    And I run "kubectl get pv"
    Then the error output is:
      """
      No resources found
      """
