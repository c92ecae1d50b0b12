Feature: Run a Replicated Stateful Application
  # Source: https://kubernetes.io/docs/tasks/run-application/run-replicated-stateful-application/
  #
  # The page's manifests verbatim (exercises/docs/application/mysql/, as k8s.io/examples serves
  # them): the ConfigMap mysql, the headless Service mysql and the Service mysql-read, and the
  # StatefulSet mysql of mysql:5.7 servers with the init containers init-mysql and clone-mysql and
  # the xtrabackup sidecar (gcr.io/google-samples/xtrabackup:1.0; docs/images.md). The cluster is
  # kind, whose default StorageClass provisions the claims.
  #
  # What v1.32 shows where the page differs:
  # - The page's outputs are illustrative (ages, addresses, node names, times); here are the
  #   simulated cluster's.
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
      | name               |
      | kind-control-plane |
      | kind-worker        |
      | kind-worker2       |

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
      mysql-2   0/2     Init:1/2          0          5s
      mysql-2   0/2     Init:1/2          0          7s
      mysql-2   0/2     PodInitializing   0          11s
      mysql-2   1/2     Running           0          12s
      mysql-2   2/2     Running           0          16s
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
