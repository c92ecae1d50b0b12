Feature: Official images behave as their image config says
  # Source: https://kubernetes.io/docs/concepts/containers/images/ and the Dockerfiles of Docker Hub's
  # official images (docker-library/*: src/images/data/official-configs.json, docs/images.md)
  An official image the catalogue does not model still runs as its Dockerfile makes it run: its
  ENV, WORKDIR and USER apply, an interactive CMD (python3, node, irb, jshell, php -a) ends at once
  when nothing is on its stdin, a server listens on the ports it really opens, and an entrypoint
  that refuses to start prints its real message and exits.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: python's CMD is the interpreter: with no stdin it exits 0, and a Deployment of it crash-loops
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: py
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: py
        template:
          metadata:
            labels:
              app: py
          spec:
            containers:
            - name: py
              image: python:3.12
      """
    And 30 seconds pass
    When I run "kubectl get pods -l app=py -o custom-columns=WAITING:.status.containerStatuses[0].state.waiting.reason,LAST:.status.containerStatuses[0].lastState.terminated.reason,EXIT:.status.containerStatuses[0].lastState.terminated.exitCode,RESTARTS:.status.containerStatuses[0].restartCount"
    Then the output is:
      """
      WAITING            LAST        EXIT   RESTARTS
      CrashLoopBackOff   Completed   0      2
      """
    When I run "kubectl get events --field-selector reason=GenericImage -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      "python3" is interactive: with no stdin (stdin and tty unset) it exits 0 at once, as on a cluster
      """

  Scenario: With stdin or a terminal the interpreter waits, and printenv shows the image's ENV
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: node
      spec:
        containers:
        - name: node
          image: node:22
          stdin: true
          tty: true
      """
    And 10 seconds pass
    Then pod "node" is Running
    When I run "kubectl exec node -- printenv NODE_VERSION YARN_VERSION"
    Then the output is:
      """
      22.23.2
      1.22.22
      """

  Scenario: golang's ENV and WORKDIR apply to the container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: go
      spec:
        containers:
        - name: go
          image: golang:1.26
          command: ["sh", "-c", "pwd; echo $GOPATH; echo $PATH; id -u"]
        restartPolicy: Never
      """
    And 5 seconds pass
    When I run "kubectl logs go"
    Then the output is:
      """
      /go
      /go
      /go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
      0
      """

  Scenario: kubectl exec starts in the image's WORKDIR, as runc's exec does
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: tomcat
      spec:
        containers:
        - name: tomcat
          image: tomcat:10
      """
    And 10 seconds pass
    Then pod "tomcat" is Running
    When I run "kubectl exec tomcat -- pwd"
    Then the output is:
      """
      /usr/local/tomcat
      """

  Scenario: mongo listens on 27017 without a declared containerPort, so its Service reaches it
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: mongo
        labels:
          app: mongo
      spec:
        containers:
        - name: mongo
          image: mongo:8.0
          readinessProbe:
            tcpSocket:
              port: 27017
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: mongo
      spec:
        selector:
          app: mongo
        ports:
        - port: 27017
      """
    Then within 20 seconds pod "mongo" becomes Ready
    When I run "kubectl get endpoints mongo -o jsonpath={.subsets[0].ports[0].port}"
    Then the output is:
      """
      27017
      """

  Scenario: mariadb without a root password option prints the entrypoint's error and exits 1
    # docker-library's mariadb docker-entrypoint.sh: docker_verify_minimum_env, as mysql's
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: db
      spec:
        restartPolicy: Never
        containers:
        - name: db
          image: mariadb:11.8
      """
    And 5 seconds pass
    Then container "db" of pod "db" is terminated with reason "Error"
    When I run "kubectl logs db"
    Then the output is:
      """
      2024-01-08 00:00:02+00:00 [Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.8.8+maria~ubu2404 started.
      2024-01-08 00:00:02+00:00 [Note] [Entrypoint]: Switching to dedicated user 'mysql'
      2024-01-08 00:00:02+00:00 [Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.8.8+maria~ubu2404 started.
      2024-01-08 00:00:02+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified
      	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD
      """

  Scenario: haproxy without its configuration file fails as haproxy does
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: lb
      spec:
        restartPolicy: Never
        containers:
        - name: lb
          image: haproxy:3.2
      """
    And 5 seconds pass
    Then container "lb" of pod "lb" is terminated with reason "Error"
    When I run "kubectl logs lb"
    Then the output contains:
      """
      [ALERT]    (1) : config : Cannot open configuration file/directory /usr/local/etc/haproxy/haproxy.cfg : No such file or directory
      """

  Scenario: hello-world prints its message and completes
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: hello
      spec:
        restartPolicy: Never
        containers:
        - name: hello
          image: hello-world
      """
    And 5 seconds pass
    Then pod "hello" is Succeeded
    When I run "kubectl logs hello"
    Then the output contains:
      """
      Hello from Docker!
      This message shows that your installation appears to be working correctly.
      """

  Scenario: memcached runs as its image's USER and listens on 11211
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: cache
      spec:
        containers:
        - name: cache
          image: memcached:1.6
          readinessProbe:
            tcpSocket:
              port: 11211
      """
    Then within 20 seconds pod "cache" becomes Ready
    When I run "kubectl exec cache -- id"
    Then the output is:
      """
      uid=11211(memcache) gid=11211(memcache) groups=11211(memcache)
      """
