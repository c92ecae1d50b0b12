@epic:Workloads @feature:Deployment
Feature: Online Boutique, Google's microservices demo, applied verbatim
  # Source: https://github.com/GoogleCloudPlatform/microservices-demo (commit 34ffea9175946982c3088ed84994fe6019ad6e92),
  # release/kubernetes-manifests.yaml, copied verbatim (licence header included) into
  # exercises/apps/online-boutique/kubernetes-manifests.yaml.
  Teams bring real applications. Online Boutique is eleven microservices, a Redis cart and a
  load generator: 12 Deployments, their Services and ServiceAccounts, in one manifest. Its images
  are unknown to kube-scenario's catalogue (but `redis:alpine` and `busybox`), so they run as the
  generic process (docs/images.md): they listen on their containerPorts, answer their gRPC and
  HTTP probes, and write no logs. The load generator first waits for the frontend in an init
  container: a busybox script that asks the frontend with `wget --server-response` and reads the
  status code with `awk`, retrying every 10 seconds until the frontend answers 200.

  Background:
    Given a cluster with nodes:
      | name   | cpu | memory |
      | node-1 | 4   | 16Gi   |
      | node-2 | 4   | 16Gi   |
      | node-3 | 4   | 16Gi   |
    When I apply the manifest file "exercises/apps/online-boutique/kubernetes-manifests.yaml"

  Scenario: All 12 Deployments become Available on a 3-node cluster
    When 60 seconds pass
    And I run "kubectl get deployments"
    Then the output is:
      """
      NAME                    READY   UP-TO-DATE   AVAILABLE   AGE
      adservice               1/1     1            1           60s
      cartservice             1/1     1            1           60s
      checkoutservice         1/1     1            1           60s
      currencyservice         1/1     1            1           60s
      emailservice            1/1     1            1           60s
      frontend                1/1     1            1           60s
      loadgenerator           1/1     1            1           60s
      paymentservice          1/1     1            1           60s
      productcatalogservice   1/1     1            1           60s
      recommendationservice   1/1     1            1           60s
      redis-cart              1/1     1            1           60s
      shippingservice         1/1     1            1           60s
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME                                     READY   STATUS    RESTARTS   AGE
      adservice-7b5dfd6766-qbtrc               1/1     Running   0          60s
      cartservice-5958cff9fc-gp7rm             1/1     Running   0          60s
      checkoutservice-7b7b8fddd6-xsss7         1/1     Running   0          60s
      currencyservice-6646f74c89-nk8b8         1/1     Running   0          60s
      emailservice-5cfbcd94b5-bpht4            1/1     Running   0          60s
      frontend-77f6d76996-5r26n                1/1     Running   0          60s
      loadgenerator-8589f45f97-kk699           1/1     Running   0          60s
      paymentservice-84dc4bfcfc-qbxp2          1/1     Running   0          60s
      productcatalogservice-7b55cd8b9-wmrz7    1/1     Running   0          60s
      recommendationservice-69bd5c8cdf-6xsxj   1/1     Running   0          60s
      redis-cart-5f68b6d6bc-ldjrq              1/1     Running   0          60s
      shippingservice-76997c9b5f-gzz6m         1/1     Running   0          60s
      """

  Scenario: The load generator's init container waits for the frontend with wget and awk
    # The frontend is Ready after its readiness probe's initialDelaySeconds (10 s): until then its
    # Service has no endpoints and the connection is refused, wget prints no status line, and awk
    # finds none. `sh -x` traces each command as busybox ash quotes it.
    When 15 seconds pass
    And I run "kubectl get pods -l app=loadgenerator"
    Then the output is:
      """
      NAME                             READY   STATUS     RESTARTS   AGE
      loadgenerator-8589f45f97-kk699   0/1     Init:0/1   0          15s
      """
    When 45 seconds pass
    And I run "kubectl logs deployment/loadgenerator -c frontend-check"
    Then the output is:
      """
      + MAX_RETRIES=12
      + RETRY_INTERVAL=10
      + seq 1 12
      + echo 'Attempt 1: Pinging frontend: frontend:80...'
      Attempt 1: Pinging frontend: frontend:80...
      + wget --server-response http://frontend:80
      + awk '/^  HTTP/{print $2}'
      + STATUSCODE=
      + '[' -eq 200 ]
      sh: -eq: unknown operand
      + echo 'Error: Could not reach frontend - Status code: '
      Error: Could not reach frontend - Status code: 
      + sleep 10
      + echo 'Attempt 2: Pinging frontend: frontend:80...'
      Attempt 2: Pinging frontend: frontend:80...
      + wget --server-response http://frontend:80
      + awk '/^  HTTP/{print $2}'
      + STATUSCODE=
      + '[' -eq 200 ]
      sh: -eq: unknown operand
      + echo 'Error: Could not reach frontend - Status code: '
      Error: Could not reach frontend - Status code: 
      + sleep 10
      + echo 'Attempt 3: Pinging frontend: frontend:80...'
      Attempt 3: Pinging frontend: frontend:80...
      + wget --server-response http://frontend:80
      + awk '/^  HTTP/{print $2}'
      + STATUSCODE=200
      + '[' 200 -eq 200 ]
      + echo 'Frontend is reachable.'
      Frontend is reachable.
      + exit 0
      """

  Scenario: The Services, and the frontend answering through frontend-external
    # No load-balancer controller runs here, as on a cluster without a cloud provider: the
    # LoadBalancer Service frontend-external keeps its EXTERNAL-IP <pending> and is reached through
    # its cluster IP (or its node port).
    When 60 seconds pass
    And I run "kubectl get services"
    Then the output is:
      """
      NAME                    TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)        AGE
      adservice               ClusterIP      10.97.186.35     <none>        9555/TCP       60s
      cartservice             ClusterIP      10.109.161.193   <none>        7070/TCP       60s
      checkoutservice         ClusterIP      10.109.120.201   <none>        5050/TCP       60s
      currencyservice         ClusterIP      10.105.189.65    <none>        7000/TCP       60s
      emailservice            ClusterIP      10.111.161.55    <none>        5000/TCP       60s
      frontend                ClusterIP      10.105.253.216   <none>        80/TCP         60s
      frontend-external       LoadBalancer   10.106.159.113   <pending>     80:31227/TCP   60s
      kubernetes              ClusterIP      10.96.0.1        <none>        443/TCP        60s
      paymentservice          ClusterIP      10.101.81.238    <none>        50051/TCP      60s
      productcatalogservice   ClusterIP      10.101.187.214   <none>        3550/TCP       60s
      recommendationservice   ClusterIP      10.108.82.239    <none>        8080/TCP       60s
      redis-cart              ClusterIP      10.111.240.62    <none>        6379/TCP       60s
      shippingservice         ClusterIP      10.106.233.147   <none>        50051/TCP      60s
      """
    When I request "http://frontend-external.default.svc.cluster.local/"
    Then the response status is 200
    # The load generator is locust; its image runs as the generic process, which writes no logs
    # (a real one prints locust's request statistics).
    When I run "kubectl logs deployment/loadgenerator -c main"
    Then the output is:
      """
      """
