Feature: Using Source IP
  # Source: https://kubernetes.io/docs/tutorials/services/source-ip/
  #
  # The page's echoserver (k8s.gcr.io/echoserver:1.4, which registry.k8s.io serves) echoes each
  # request with the address it came from (`client_address=`), exposed by Services of each type.
  # kube-proxy runs in iptables mode: a pod's request to a ClusterIP keeps the pod's address; a
  # request to a node port is masqueraded by the node that receives it (to its own address when the
  # endpoint is on another node, to its pod network's gateway, 10.244.x.1, when it is local) unless
  # externalTrafficPolicy is Local, which keeps the client's address and sends nothing to a node
  # without an endpoint. The page's "outside the cluster" client is a node here (kind's nodes are
  # the machines on its network; the simulation's user machine has no route to them), and the
  # NODEPORT and NODES it reads with kubectl are written into the node's command line.
  # The LoadBalancer part needs a cloud provider: on kind its EXTERNAL-IP stays <pending>, and
  # the simulation does not allocate `healthCheckNodePort` (docs/divergences.md).

  Background:
    Given a cluster with nodes:
      | name         |
      | kind-worker  |
      | kind-worker2 |

  Scenario: ClusterIP keeps the client pod's address; NodePort masquerades it, unless externalTrafficPolicy is Local
    When I run "kubectl create deployment source-ip-app --image=k8s.gcr.io/echoserver:1.4"
    Then the output is:
      """
      deployment.apps/source-ip-app created
      """
    When 10 seconds pass
    And I run "kubectl get nodes"
    Then the output is:
      """
      NAME           STATUS   ROLES    AGE   VERSION
      kind-worker    Ready    <none>   10s   v1.32.0
      kind-worker2   Ready    <none>   10s   v1.32.0
      """
    When I run "kubectl expose deployment source-ip-app --name=clusterip --port=80 --target-port=8080"
    Then the output is:
      """
      service/clusterip exposed
      """
    When I run "kubectl get svc clusterip"
    Then the output is:
      """
      NAME        TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)   AGE
      clusterip   ClusterIP   10.105.253.216   <none>        80/TCP    0s
      """
    # From a pod, through the ClusterIP: the echoserver sees the busybox pod's own address. (The
    # page's `ip addr` is not in the simulation's busybox; the pod's address is the one echoed.)
    When I run "kubectl run busybox -it --image=busybox --restart=Never --rm" and type:
      """
      wget -qO - 10.105.253.216
      """
    Then the output is:
      """
      CLIENT VALUES:
      client_address=10.244.0.2
      command=GET
      real path=/
      query=nil
      request_version=1.1
      request_uri=http://10.105.253.216:8080/

      SERVER VALUES:
      server_version=nginx: 1.10.0 - lua: 10001

      HEADERS RECEIVED:
      host=10.105.253.216
      BODY:
      -no body in request-pod "busybox" deleted
      """
    When I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                             READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
      source-ip-app-6bb9c4ddd7-7scqm   1/1     Running   0          12s   10.244.1.2   kind-worker2   <none>           <none>
      """
    When I run "kubectl expose deployment source-ip-app --name=nodeport --port=80 --target-port=8080 --type=NodePort"
    Then the output is:
      """
      service/nodeport exposed
      """
    When I run:
      """
      kubectl get -o jsonpath="{.spec.ports[0].nodePort}" services nodeport
      """
    Then the output is:
      """
      31227
      """
    When I run:
      """
      kubectl get nodes -o jsonpath='{ $.items[*].status.addresses[?(@.type=="InternalIP")].address }'
      """
    Then the output is:
      """
      172.18.0.3 172.18.0.4
      """
    # The endpoint runs on kind-worker2. Through kind-worker, the request is masqueraded to
    # kind-worker's address; through kind-worker2 itself, to its pod network's gateway.
    When I run "for node in 172.18.0.3 172.18.0.4; do curl -s $node:31227 | grep -i client_address; done" on node "kind-worker2"
    Then the output is:
      """
      client_address=172.18.0.3
      client_address=10.244.1.1
      """
    When I run:
      """
      kubectl patch svc nodeport -p '{"spec":{"externalTrafficPolicy":"Local"}}'
      """
    Then the output is:
      """
      service/nodeport patched
      """
    # Local: kind-worker has no endpoint and drops the packet (curl gives up after 1 s); kind-worker2
    # answers with the client's own address.
    When I run "for node in 172.18.0.3 172.18.0.4; do curl --connect-timeout 1 -s $node:31227 | grep -i client_address; done" on node "kind-worker2"
    Then the output is:
      """
      client_address=172.18.0.4
      """
    When I run "kubectl expose deployment source-ip-app --name=loadbalancer --port=80 --target-port=8080 --type=LoadBalancer"
    Then the output is:
      """
      service/loadbalancer exposed
      """
    When I run "kubectl get svc loadbalancer"
    Then the output is:
      """
      NAME           TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
      loadbalancer   LoadBalancer   10.97.186.35   <pending>     80:32686/TCP   0s
      """
    # The page's clean-up selects `run=source-ip-app`, the label `kubectl run` gave its Deployment
    # when the page was written; `kubectl create deployment` labels it `app=source-ip-app`.
    When I run "kubectl delete svc -l run=source-ip-app"
    Then the output is:
      """
      No resources found
      """
    When I run "kubectl delete deployment source-ip-app"
    Then the output is:
      """
      deployment.apps "source-ip-app" deleted
      """
