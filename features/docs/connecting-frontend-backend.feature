Feature: Connect a Frontend to a Backend Using Services
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/connecting-frontend-backend/
  #
  # The page's manifests verbatim (exercises/docs/service/access/): a `backend` Deployment of three
  # hello greeters (gcr.io/google-samples/hello-go-gke:1.0, port 80, answering {"message":"Hello"}),
  # the `hello` Service in front of them, and a `frontend` nginx (gcr.io/google-samples/hello-frontend:1.0)
  # exposed by a LoadBalancer Service. The frontend image carries its own nginx configuration (the
  # page's note: "The nginx configuration is baked into the container image"): `upstream hello {
  # server hello; }` and `proxy_pass http://hello;`, the frontend.conf of the page's Dockerfile. The
  # page's frontend-nginx.conf shows a later text (`server backend;`), which is not in the image.
  # nginx resolves `hello` once, when it starts: started before the `hello` Service exists, it stops
  # with `host not found in upstream "hello"` (kubernetes/website issue #45965) and is restarted
  # until the Service is there.
  #
  # "If your environment does not support this, you can use a Service of type NodePort instead": a
  # kind cluster has no load-balancer provider, so the frontend's EXTERNAL-IP stays <pending>; the
  # LoadBalancer Service still has a node port, and the page's `curl http://${EXTERNAL_IP}` is sent
  # to a node's address and that port, from a node (the simulation's user machine has no route to the
  # nodes).

  Background:
    Given a cluster with nodes:
      | name         |
      | kind-worker  |
      | kind-worker2 |

  Scenario: The frontend proxies to the backend's Service and answers with the backend's message
    When I run "kubectl apply -f https://k8s.io/examples/service/access/backend-deployment.yaml"
    Then the output is:
      """
      deployment.apps/backend created
      """
    When 10 seconds pass
    And I run "kubectl describe deployment backend"
    Then the output contains:
      """
      Name:                   backend
      Namespace:              default
      """
    Then the output contains:
      """
      Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
      StrategyType:           RollingUpdate
      MinReadySeconds:        0
      RollingUpdateStrategy:  25% max unavailable, 25% max surge
      Pod Template:
        Labels:  app.kubernetes.io/name=hello
                 tier=backend
                 track=stable
        Containers:
         hello:
          Image:         gcr.io/google-samples/hello-go-gke:1.0
          Port:          80/TCP
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml"
    Then the output is:
      """
      service/hello created
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/access/frontend-deployment.yaml"
    Then the output is:
      """
      deployment.apps/frontend created
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/access/frontend-service.yaml"
    Then the output is:
      """
      service/frontend created
      """
    When I run "kubectl get service frontend --watch" in a second terminal
    And 60 seconds pass
    And I stop the second terminal
    Then the output is:
      """
      NAME       TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)        AGE
      frontend   LoadBalancer   10.106.159.113   <pending>     80:31227/TCP   0s
      """
    When I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
      backend-68bdbd645c-hz5r7   1/1     Running   0          70s   10.244.0.2   kind-worker    <none>           <none>
      backend-68bdbd645c-l7pmz   1/1     Running   0          70s   10.244.1.2   kind-worker2   <none>           <none>
      backend-68bdbd645c-tmqh4   1/1     Running   0          70s   10.244.0.3   kind-worker    <none>           <none>
      frontend-884994b96-lt9bg   1/1     Running   0          60s   10.244.1.3   kind-worker2   <none>           <none>
      """
    When I run "kubectl get service frontend -o jsonpath={.spec.ports[0].nodePort}"
    Then the output is:
      """
      31227
      """
    When I run "kubectl get nodes -o wide"
    Then the output is:
      """
      NAME           STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME
      kind-worker    Ready    <none>   70s   v1.32.0   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0-28-amd64   containerd://1.7.24
      kind-worker2   Ready    <none>   70s   v1.32.0   172.18.0.4    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0-28-amd64   containerd://1.7.24
      """
    # The page's `curl http://${EXTERNAL_IP}`, sent to a node's address and the Service's node port:
    # nginx forwards it to the hello Service (HTTP/1.0, as proxy_pass does), one backend answers.
    When I run "curl http://172.18.0.3:31227" on node "kind-worker"
    Then the output is:
      """
      {"message":"Hello"}
      """
    When I run "kubectl logs deployment/frontend"
    Then the output is:
      """
      2024/01/08 00:00:13 [notice] 1#1: using the "epoll" event method
      2024/01/08 00:00:13 [notice] 1#1: nginx/1.9.14
      2024/01/08 00:00:13 [notice] 1#1: start worker processes
      2024/01/08 00:00:13 [notice] 1#1: start worker process 29
      """
    When I run "kubectl logs -l tier=backend --prefix"
    Then the output is:
      """
      [pod/backend-68bdbd645c-hz5r7/hello] 2024/01/08 00:00:00 Starting server...
      [pod/backend-68bdbd645c-hz5r7/hello] 2024/01/08 00:00:00 Health service listening on 0.0.0.0:81
      [pod/backend-68bdbd645c-hz5r7/hello] 2024/01/08 00:00:00 HTTP service listening on 0.0.0.0:80
      [pod/backend-68bdbd645c-l7pmz/hello] 2024/01/08 00:00:00 Starting server...
      [pod/backend-68bdbd645c-l7pmz/hello] 2024/01/08 00:00:00 Health service listening on 0.0.0.0:81
      [pod/backend-68bdbd645c-l7pmz/hello] 2024/01/08 00:00:00 HTTP service listening on 0.0.0.0:80
      [pod/backend-68bdbd645c-l7pmz/hello] 10.244.1.3:38616 - - [Mon, 08 Jan 2024 00:01:10 UTC] "GET / HTTP/1.0" curl/8.5.0
      [pod/backend-68bdbd645c-tmqh4/hello] 2024/01/08 00:00:01 Starting server...
      [pod/backend-68bdbd645c-tmqh4/hello] 2024/01/08 00:00:01 Health service listening on 0.0.0.0:81
      [pod/backend-68bdbd645c-tmqh4/hello] 2024/01/08 00:00:01 HTTP service listening on 0.0.0.0:80
      """
    When I run "kubectl delete services frontend hello"
    Then the output is:
      """
      service "frontend" deleted
      service "hello" deleted
      """
    When I run "kubectl delete deployment frontend backend"
    Then the output is:
      """
      deployment.apps "frontend" deleted
      deployment.apps "backend" deleted
      """

  Scenario: A frontend started before the hello Service stops at once, and starts once the Service exists
    When I run "kubectl apply -f https://k8s.io/examples/service/access/backend-deployment.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/service/access/frontend-deployment.yaml"
    # nginx reads its configuration first: `hello` does not resolve, so it exits 1 at each start.
    And 20 seconds pass
    And I run "kubectl get pods -l tier=frontend"
    Then the output is:
      """
      NAME                       READY   STATUS   RESTARTS      AGE
      frontend-884994b96-lt9bg   0/1     Error    2 (17s ago)   20s
      """
    When I run "kubectl logs deployment/frontend"
    Then the output is:
      """
      2024/01/08 00:00:13 [emerg] 1#1: host not found in upstream "hello" in /etc/nginx/conf.d/frontend.conf:2
      nginx: [emerg] host not found in upstream "hello" in /etc/nginx/conf.d/frontend.conf:2
      """
    # With the Service created, the next start after the back-off resolves `hello` and serves.
    When I run "kubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml"
    And 60 seconds pass
    And I run "kubectl get pods -l tier=frontend"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS      AGE
      frontend-884994b96-lt9bg   1/1     Running   3 (67s ago)   80s
      """
    When I run "kubectl logs deployment/frontend"
    Then the output is:
      """
      2024/01/08 00:00:33 [notice] 1#1: using the "epoll" event method
      2024/01/08 00:00:33 [notice] 1#1: nginx/1.9.14
      2024/01/08 00:00:33 [notice] 1#1: start worker processes
      2024/01/08 00:00:33 [notice] 1#1: start worker process 29
      """
