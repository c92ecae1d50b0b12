Feature: Run a Single-Instance Stateful Application
  # Source: https://kubernetes.io/docs/tasks/run-application/run-single-instance-stateful-application/
  #
  # The page's MySQL: a hostPath PersistentVolume and its claim (exercises/docs/application/mysql/
  # mysql-pv.yaml, verbatim, written as YAML flow mappings as the examples repository has it) and a
  # headless Service with a Recreate Deployment of mysql:5.6 mounting the claim
  # (mysql-deployment.yaml, verbatim). The page's client, `kubectl run -it --rm ... mysql -h mysql
  # -ppassword`, connects through the Service; the MySQL protocol itself is not simulated, so the
  # client says so once connected, where a real one would open its `mysql>` prompt
  # (docs/divergences.md).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Deploy MySQL on a PersistentVolume, reach it through its Service, and delete it all
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-pv.yaml"
    Then the output is:
      """
      persistentvolume/mysql-pv-volume created
      persistentvolumeclaim/mysql-pv-claim created
      """
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-deployment.yaml"
    Then the output is:
      """
      service/mysql created
      deployment.apps/mysql created
      """
    When I run "kubectl describe deployment mysql"
    Then the output contains:
      """
      Selector:           app=mysql
      Replicas:           1 desired | 1 updated | 1 total | 0 available | 1 unavailable
      StrategyType:       Recreate
      MinReadySeconds:    0
      Pod Template:
        Labels:  app=mysql
        Containers:
         mysql:
          Image:      mysql:5.6
          Port:       3306/TCP
          Host Port:  0/TCP
          Environment:
            MYSQL_ROOT_PASSWORD:  password
          Mounts:
            /var/lib/mysql from mysql-persistent-storage (rw)
        Volumes:
         mysql-persistent-storage:
          Type:          PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
          ClaimName:     mysql-pv-claim
          ReadOnly:      false
      """
    And the output contains:
      """
      Conditions:
        Type           Status  Reason
        ----           ------  ------
        Available      False   MinimumReplicasUnavailable
        Progressing    True    ReplicaSetUpdated
      """
    When 30 seconds pass
    And I run "kubectl get pods -l app=mysql"
    Then the output is:
      """
      NAME                     READY   STATUS    RESTARTS   AGE
      mysql-68cf485b78-mp9jv   1/1     Running   0          30s
      """
    When I run "kubectl describe pvc mysql-pv-claim"
    Then the output is:
      """
      Name:          mysql-pv-claim
      Namespace:     default
      StorageClass:  manual
      Status:        Bound
      Volume:        mysql-pv-volume
      Labels:        <none>
      Annotations:   pv.kubernetes.io/bind-completed: yes
                     pv.kubernetes.io/bound-by-controller: yes
      Finalizers:    [kubernetes.io/pvc-protection]
      Capacity:      20Gi
      Access Modes:  RWO
      VolumeMode:    Filesystem
      Used By:       mysql-68cf485b78-mp9jv
      Events:        <none>
      """
    # Accessing the MySQL instance: the client resolves the headless Service, connects and runs
    # what is typed (src/images/programs/mysql.ts; no `mysql>` prompt is modelled).
    When I run "kubectl run -it --rm --image=mysql:5.6 --restart=Never mysql-client -- mysql -h mysql -ppassword" and type:
      """
      SHOW DATABASES;
      """
    Then the output contains:
      """
      | information_schema |
      """
    # Deleting the deployed objects by name.
    When I run "kubectl delete deployment,svc mysql"
    Then the output is:
      """
      deployment.apps "mysql" deleted
      service "mysql" deleted
      """
    When I run "kubectl delete pvc mysql-pv-claim"
    Then the output is:
      """
      persistentvolumeclaim "mysql-pv-claim" deleted
      """
    When I run "kubectl delete pv mysql-pv-volume"
    Then the output is:
      """
      persistentvolume "mysql-pv-volume" deleted
      """

  Scenario: The client's errors when the server cannot be reached
    When I try to run "kubectl run -it --rm --image=mysql:5.6 --restart=Never mysql-client -- mysql -h mysql -ppassword"
    Then the output contains:
      """
      ERROR 2005 (HY000): Unknown MySQL server host 'mysql'
      """
    When I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-pv.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-deployment.yaml"
    # mysqld initialises for about 15 seconds before it listens on 3306.
    And 8 seconds pass
    And I try to run "kubectl run -it --rm --image=mysql:5.6 --restart=Never mysql-client -- mysql -h mysql -ppassword"
    Then the output contains:
      """
      ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql' (111)
      """
