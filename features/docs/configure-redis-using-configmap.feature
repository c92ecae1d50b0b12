Feature: Configuring Redis using a ConfigMap
  # Source: https://kubernetes.io/docs/tutorials/configuration/configure-redis-using-configmap/
  #
  # The page writes a ConfigMap with an empty `redis-config` key (its `cat <<EOF` file is
  # exercises/docs/configure-redis-using-configmap/example-redis-config.yaml), applies the Redis Pod
  # from raw.githubusercontent.com (exercises/docs/pods/config/redis-pod.yaml, verbatim), then
  # replaces the ConfigMap with the example exercises/docs/pods/config/example-redis-config.yaml
  # (verbatim: `maxmemory 2mb`, `maxmemory-policy allkeys-lru`).
  #
  # The Pod mounts the ConfigMap's `redis-config` key as /usr/local/etc/redis/redis.conf and passes
  # that path as its only argument: the image's docker-entrypoint.sh runs `redis-server
  # /usr/local/etc/redis/redis.conf` (the page's prose still names the older manifest's
  # /redis-master; the manifest it applies today uses /usr/local/etc/redis). Redis reads the file
  # once, at start: an empty file leaves its defaults (maxmemory 0, maxmemory-policy noeviction),
  # and a changed ConfigMap reaches the file in the volume but not the running server, until the
  # Pod is re-created. `2mb` is 2 × 1024 × 1024 = 2097152 bytes (memtoull, redis src/util.c).
  #
  # `kubectl exec -it redis -- redis-cli` is the page's interactive session: the lines typed are
  # the commands, and redis-cli on a terminal prints each reply as the page shows it
  # (`1) "maxmemory"`); the `127.0.0.1:6379>` prompt and the typed lines are what only the
  # terminal shows. The page's ages (8s, 14s) are illustrative (it applied the ConfigMap by hand
  # before the Pod); here both are applied at the same instant and the Pod is Running within 8
  # seconds, so both show 8s. v1.32's `describe configmap` ends with the BinaryData and Events
  # sections, which the page's older output leaves out.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl apply -f exercises/docs/configure-redis-using-configmap/example-redis-config.yaml"
    Then the output is:
      """
      configmap/example-redis-config created
      """
    When I run "kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml"
    Then the output is:
      """
      pod/redis created
      """
    And 8 seconds pass

  Scenario: The Pod and the empty ConfigMap are created, and Redis runs with its defaults
    When I run "kubectl get pod/redis configmap/example-redis-config"
    Then the output is:
      """
      NAME        READY   STATUS    RESTARTS   AGE
      pod/redis   1/1     Running   0          8s

      NAME                             DATA   AGE
      configmap/example-redis-config   1      8s
      """
    When I run "kubectl describe configmap/example-redis-config"
    Then the output is:
      """
      Name:         example-redis-config
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      redis-config:
      ----



      BinaryData
      ====

      Events:  <none>
      """
    When I run "kubectl exec -it redis -- redis-cli" and type:
      """
      CONFIG GET maxmemory
      CONFIG GET maxmemory-policy
      """
    Then the output is:
      """
      1) "maxmemory"
      2) "0"
      1) "maxmemory-policy"
      2) "noeviction"
      """
    And the logs of pod "redis" contain:
      """
      Configuration loaded
      """

  Scenario: An updated ConfigMap reaches the Pod only when the Pod is re-created
    When I run "kubectl apply -f exercises/docs/pods/config/example-redis-config.yaml"
    Then the output is:
      """
      configmap/example-redis-config configured
      """
    When I run "kubectl describe configmap/example-redis-config"
    Then the output is:
      """
      Name:         example-redis-config
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      redis-config:
      ----
      maxmemory 2mb
      maxmemory-policy allkeys-lru



      BinaryData
      ====

      Events:  <none>
      """
    # The kubelet rewrites the ConfigMap volume's files within about a minute; redis-server read its
    # file when it started, so its values stay the defaults.
    When 2 minutes pass
    And I run "kubectl exec redis -- cat /usr/local/etc/redis/redis.conf"
    Then the output is:
      """
      maxmemory 2mb
      maxmemory-policy allkeys-lru
      """
    When I run "kubectl exec -it redis -- redis-cli" and type:
      """
      CONFIG GET maxmemory
      CONFIG GET maxmemory-policy
      """
    Then the output is:
      """
      1) "maxmemory"
      2) "0"
      1) "maxmemory-policy"
      2) "noeviction"
      """
    When I run "kubectl delete pod redis"
    Then the output is:
      """
      pod "redis" deleted
      """
    When I run "kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml"
    Then the output is:
      """
      pod/redis created
      """
    And 30 seconds pass
    When I run "kubectl exec -it redis -- redis-cli" and type:
      """
      CONFIG GET maxmemory
      CONFIG GET maxmemory-policy
      """
    Then the output is:
      """
      1) "maxmemory"
      2) "2097152"
      1) "maxmemory-policy"
      2) "allkeys-lru"
      """
    When I run "kubectl delete pod/redis configmap/example-redis-config"
    Then the output is:
      """
      pod "redis" deleted
      configmap "example-redis-config" deleted
      """
