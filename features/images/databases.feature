Feature: Database images need their password variable, as their entrypoints say
  # Source: https://hub.docker.com/_/postgres
  # Source: https://hub.docker.com/_/mysql
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
  The postgres image's page: "POSTGRES_PASSWORD: This environment variable is required for you to
  use the PostgreSQL image." The mysql image's: "MYSQL_ROOT_PASSWORD: This variable is mandatory".
  Without it the entrypoint prints why and exits 1, so the Pod restarts into CrashLoopBackOff and
  `kubectl logs --previous` shows the entrypoint's message, as the debugging page suggests.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: postgres without POSTGRES_PASSWORD exits 1 with its entrypoint's message
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: db
      spec:
        containers:
        - name: postgres
          image: postgres:17
      """
    And 60 seconds pass
    Then container "postgres" of pod "db" is waiting with reason "CrashLoopBackOff"
    When I run "kubectl logs db --previous"
    Then the output is:
      """
      Error: Database is uninitialized and superuser password is not specified.
             You must specify POSTGRES_PASSWORD to a non-empty value for the
             superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

             You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
             connections without a password. This is *not* recommended.

             See PostgreSQL documentation about "trust":
             https://www.postgresql.org/docs/current/auth-trust.html
      """
    When I run "kubectl get pod db -o jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}"
    Then the output is:
      """
      1
      """

  Scenario: postgres with its password from a Secret initialises and accepts connections on 5432
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: db
      stringData:
        password: s3cret
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: db
      spec:
        containers:
        - name: postgres
          image: postgres:17
          env:
          - name: POSTGRES_PASSWORD
            valueFrom:
              secretKeyRef:
                name: db
                key: password
          ports:
          - containerPort: 5432
          readinessProbe:
            tcpSocket:
              port: 5432
            periodSeconds: 2
      """
    Then within 60 seconds pod "db" becomes Ready
    And the logs of pod "db" contain:
      """
      database system is ready to accept connections
      """

  Scenario: mysql without a root password option exits 1 with its entrypoint's message
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: mysql
      spec:
        containers:
        - name: mysql
          image: mysql:8.4
      """
    And 60 seconds pass
    Then container "mysql" of pod "mysql" is waiting with reason "CrashLoopBackOff"
    When I run "kubectl logs mysql --previous"
    Then the output contains:
      """
      Database is uninitialized and password option is not specified
          You need to specify one of the following as an environment variable:
          - MYSQL_ROOT_PASSWORD
          - MYSQL_ALLOW_EMPTY_PASSWORD
          - MYSQL_RANDOM_ROOT_PASSWORD
      """
