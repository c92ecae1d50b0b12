Feature: Learn Kubernetes Basics: deploy, explore, expose, scale and update the bootcamp app
  # Source: https://kubernetes.io/docs/tutorials/kubernetes-basics/deploy-app/deploy-intro/
  # Source: https://kubernetes.io/docs/tutorials/kubernetes-basics/explore/explore-intro/
  # Source: https://kubernetes.io/docs/tutorials/kubernetes-basics/expose/expose-intro/
  # Source: https://kubernetes.io/docs/tutorials/kubernetes-basics/scale/scale-intro/
  # Source: https://kubernetes.io/docs/tutorials/kubernetes-basics/update/update-intro/
  #
  # The tutorial's five modules on a one-node cluster named minikube, one scenario each, with the
  # tutorial's commands as it gives them. The app is gcr.io/google-samples/kubernetes-bootcamp:v1,
  # a Node.js server on 8080 that answers "Hello Kubernetes bootcamp! | Running on: <pod> | v=1"
  # and logs its start and every request (its server.js, which module 3 prints); the update module
  # moves it to docker.io/jocatalin/kubernetes-bootcamp:v2 ("v=2").
  #
  # Where the page stores a name in a variable (`export POD_NAME="$(kubectl get pods -o go-template
  # ...)"`), the scenario runs the same kubectl command and then uses the name it printed: names
  # come from the simulation's seeded generator, so they differ from a real cluster's. The page's
  # `curl http://"$(minikube ip):$NODE_PORT"` runs on the node (its address is 172.18.0.3 here).
  # `kubectl proxy` runs in a second terminal; the page's curl through it reaches the pod's port
  # 8080 (the scenario also reaches it from the node). `kubectl exec -ti POD -- bash` opens an interactive shell;
  # the scenario runs the page's commands in it (`cat server.js`, `curl http://localhost:8080`)
  # with `kubectl exec POD -- ...` instead.

  Background:
    Given a cluster with nodes:
      | name     |
      | minikube |
    When I run "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1"
    Then the output is:
      """
      deployment.apps/kubernetes-bootcamp created
      """

  Scenario: Module 2: Using kubectl to create a Deployment
    When I run "kubectl version"
    Then the output contains:
      """
      Client Version: v1.32.0
      """
    And the output contains:
      """
      Server Version: v1.32.0
      """
    When I run "kubectl get nodes"
    Then the output contains:
      """
      minikube   Ready
      """
    # "We see that there is 1 deployment running a single instance of your app."
    When 10 seconds pass
    And I run "kubectl get deployments"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      kubernetes-bootcamp   1/1     1            1           10s
      """
    # "kubectl proxy" runs in a second terminal; the API server answers through it.
    When I run "kubectl proxy" in a second terminal
    And I run "curl http://localhost:8001/version"
    Then the output contains:
      """
        "major": "1",
      """
    When I run "kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\n\"}}{{end}}'"
    Then the output is:
      """
      kubernetes-bootcamp-684c8dd9d8-ql9vg
      """
    # The proxied URL .../pods/$POD_NAME:8080/proxy/ reaches the pod's port 8080.
    When I run "kubectl get pods -o wide"
    Then the output contains:
      """
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          10s   10.244.0.2   minikube
      """
    When I run "curl http://10.244.0.2:8080/" on node "minikube"
    Then the output is:
      """
      Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-684c8dd9d8-ql9vg | v=1
      """
    When I run "curl http://localhost:8001/api/v1/namespaces/default/pods/kubernetes-bootcamp-684c8dd9d8-ql9vg:8080/proxy/"
    Then the output is:
      """
      Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-684c8dd9d8-ql9vg | v=1
      """
    When I stop the second terminal
    Then the output is:
      """
      Starting to serve on 127.0.0.1:8001
      """

  Scenario: Module 3: Viewing Pods and Nodes
    When 10 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                                   READY   STATUS    RESTARTS   AGE
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          10s
      """
    # "details about the Pod's container: IP address, the ports used and a list of events"
    When I run "kubectl describe pods"
    Then the output contains:
      """
      Status:           Running
      IP:               10.244.0.2
      """
    And the output contains:
      """
          Image:          gcr.io/google-samples/kubernetes-bootcamp:v1
      """
    And the output contains:
      """
          Port:           <none>
      """
    And the output contains:
      """
        Normal  Pulling    10s   kubelet            Pulling image "gcr.io/google-samples/kubernetes-bootcamp:v1"
      """
    And the output contains:
      """
        Normal  Started    8s    kubelet            Started container kubernetes-bootcamp
      """
    When I run "kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\n\"}}{{end}}'"
    Then the output is:
      """
      kubernetes-bootcamp-684c8dd9d8-ql9vg
      """
    When I run "kubectl exec kubernetes-bootcamp-684c8dd9d8-ql9vg -- env"
    Then the output contains:
      """
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
      HOSTNAME=kubernetes-bootcamp-684c8dd9d8-ql9vg
      NPM_CONFIG_LOGLEVEL=info
      NODE_VERSION=6.3.1
      """
    And the output contains:
      """
      KUBERNETES_SERVICE_HOST=10.96.0.1
      KUBERNETES_SERVICE_PORT=443
      """
    # runc sets HOME from root's /etc/passwd entry, last; env is not a shell, so there is no PWD
    # (the page's older transcripts end with HOME=/root).
    And the output contains:
      """
      HOME=/root
      """
    And the output does not contain:
      """
      PWD=
      """
    # The source of the app, in the shell the page opens with `kubectl exec -ti $POD_NAME -- bash`.
    When I run "kubectl exec kubernetes-bootcamp-684c8dd9d8-ql9vg -- cat server.js"
    Then the output contains:
      """
        response.write("Hello Kubernetes bootcamp! | Running on: ");
        response.write(host);
        response.end(" | v=1\n");
      """
    When I run "kubectl exec kubernetes-bootcamp-684c8dd9d8-ql9vg -- curl http://localhost:8080"
    Then the output is:
      """
      Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-684c8dd9d8-ql9vg | v=1
      """
    # The app logs its start and each request (kubectl logs, from the tutorial's earlier version).
    When I run "kubectl logs kubernetes-bootcamp-684c8dd9d8-ql9vg"
    Then the output is:
      """
      Kubernetes Bootcamp App Started At: 2024-01-08T00:00:02.811Z | Running On:  kubernetes-bootcamp-684c8dd9d8-ql9vg

      Running On: kubernetes-bootcamp-684c8dd9d8-ql9vg | Total Requests: 1 | App Uptime: 7.189 seconds | Log Time: 2024-01-08T00:00:10.000Z
      """

  Scenario: Module 4: Using a Service to expose your app, and labels
    When 10 seconds pass
    And I run "kubectl get pods"
    Then the output contains:
      """
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          10s
      """
    # "We have a Service called kubernetes that is created by default when minikube starts the cluster."
    When I run "kubectl get services"
    Then the output is:
      """
      NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
      kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10s
      """
    When I run "kubectl expose deployment/kubernetes-bootcamp --type=\"NodePort\" --port 8080"
    Then the output is:
      """
      service/kubernetes-bootcamp exposed
      """
    When I run "kubectl describe services/kubernetes-bootcamp"
    Then the output contains:
      """
      Selector:                 app=kubernetes-bootcamp
      Type:                     NodePort
      """
    And the output contains:
      """
      Port:                     <unset>  8080/TCP
      TargetPort:               8080/TCP
      NodePort:                 <unset>  31227/TCP
      Endpoints:                10.244.0.2:8080
      """
    When I run "kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}'"
    Then the output is:
      """
      31227
      """
    When I run "curl http://172.18.0.3:31227" on node "minikube"
    Then the output is:
      """
      Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-684c8dd9d8-ql9vg | v=1
      """
    # Step 2: the label the Deployment gave its Pod.
    When I run "kubectl describe deployment"
    Then the output contains:
      """
      Labels:                 app=kubernetes-bootcamp
      """
    When I run "kubectl get pods -l app=kubernetes-bootcamp"
    Then the output contains:
      """
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          10s
      """
    When I run "kubectl get services -l app=kubernetes-bootcamp"
    Then the output is:
      """
      NAME                  TYPE       CLUSTER-IP       EXTERNAL-IP   PORT(S)          AGE
      kubernetes-bootcamp   NodePort   10.105.253.216   <none>        8080:31227/TCP   0s
      """
    When I run "kubectl label pods \"kubernetes-bootcamp-684c8dd9d8-ql9vg\" version=v1"
    Then the output is:
      """
      pod/kubernetes-bootcamp-684c8dd9d8-ql9vg labeled
      """
    When I run "kubectl describe pods \"kubernetes-bootcamp-684c8dd9d8-ql9vg\""
    Then the output contains:
      """
      Labels:           app=kubernetes-bootcamp
                        pod-template-hash=684c8dd9d8
                        version=v1
      """
    When I run "kubectl get pods -l version=v1"
    Then the output is:
      """
      NAME                                   READY   STATUS    RESTARTS   AGE
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          10s
      """
    # Step 3: deleting the Service closes the node port; the app still answers inside its pod.
    When I run "kubectl delete service -l app=kubernetes-bootcamp"
    Then the output is:
      """
      service "kubernetes-bootcamp" deleted
      """
    # Only the cluster's own `kubernetes` Service is left.
    When I run "kubectl get services"
    Then the output is:
      """
      NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
      kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10s
      """
    When I try to run "curl http://172.18.0.3:31227" on node "minikube"
    Then the output contains:
      """
      curl: (7) Failed to connect to 172.18.0.3 port 31227
      """
    When I run "kubectl exec -ti kubernetes-bootcamp-684c8dd9d8-ql9vg -- curl http://localhost:8080"
    Then the output is:
      """
      Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-684c8dd9d8-ql9vg | v=1
      """

  Scenario: Module 5: Running multiple instances of your app
    # The page assumes a Service of type LoadBalancer; without a load-balancer provider its
    # EXTERNAL-IP stays <pending>, and its node port serves as the NodePort did.
    When I run "kubectl expose deployment/kubernetes-bootcamp --type=\"LoadBalancer\" --port 8080"
    Then the output is:
      """
      service/kubernetes-bootcamp exposed
      """
    When 10 seconds pass
    And I run "kubectl get deployments"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      kubernetes-bootcamp   1/1     1            1           10s
      """
    When I run "kubectl get rs"
    Then the output is:
      """
      NAME                             DESIRED   CURRENT   READY   AGE
      kubernetes-bootcamp-684c8dd9d8   1         1         1       10s
      """
    When I run "kubectl scale deployments/kubernetes-bootcamp --replicas=4"
    Then the output is:
      """
      deployment.apps/kubernetes-bootcamp scaled
      """
    When 10 seconds pass
    And I run "kubectl get deployments"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      kubernetes-bootcamp   4/4     4            4           20s
      """
    # "There are 4 Pods now, with different IP addresses."
    When I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                                   READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES
      kubernetes-bootcamp-684c8dd9d8-q8v6q   1/1     Running   0          10s   10.244.0.3   minikube   <none>           <none>
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          20s   10.244.0.2   minikube   <none>           <none>
      kubernetes-bootcamp-684c8dd9d8-rxkxs   1/1     Running   0          10s   10.244.0.4   minikube   <none>           <none>
      kubernetes-bootcamp-684c8dd9d8-x9w89   1/1     Running   0          10s   10.244.0.5   minikube   <none>           <none>
      """
    When I run "kubectl describe deployments/kubernetes-bootcamp"
    Then the output contains:
      """
      Replicas:               4 desired | 4 updated | 4 total | 4 available | 0 unavailable
      """
    And the output contains:
      """
        Normal  ScalingReplicaSet  10s   deployment-controller  Scaled up replica set kubernetes-bootcamp-684c8dd9d8 from 1 to 4
      """
    When I run "kubectl describe services/kubernetes-bootcamp"
    Then the output contains:
      """
      Type:                     LoadBalancer
      """
    And the output contains:
      """
      Endpoints:                10.244.0.2:8080,10.244.0.3:8080,10.244.0.4:8080 + 1 more...
      """
    When I run "kubectl get services/kubernetes-bootcamp"
    Then the output contains:
      """
      kubernetes-bootcamp   LoadBalancer   10.105.253.216   <pending>     8080:31227/TCP   20s
      """
    When I run "kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}'"
    Then the output is:
      """
      31227
      """
    # "We hit a different Pod with every request."
    When I run "curl http://172.18.0.3:31227" on node "minikube"
    Then the output contains:
      """
      Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-684c8dd9d8-
      """
    # Five requests, as the page's sample output shows: kube-proxy picks a pod at random for each,
    # so more than one pod answers (the count of different answers is not 1).
    When I run "sh -c 'for i in 1 2 3 4 5; do curl -s http://172.18.0.3:31227; done | sort -u | wc -l'" on node "minikube"
    Then the output does not contain:
      """
      1
      """
    # Scale down: two Pods terminate. The app's shell does not handle SIGTERM (it is PID 1), so
    # they are killed when their 30 s grace period ends.
    When I run "kubectl scale deployments/kubernetes-bootcamp --replicas=2"
    Then the output is:
      """
      deployment.apps/kubernetes-bootcamp scaled
      """
    When I run "kubectl get deployments"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      kubernetes-bootcamp   2/2     2            2           20s
      """
    When I run "kubectl get pods -o wide"
    Then the output contains:
      """
      Terminating
      """
    When 31 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                                   READY   STATUS    RESTARTS   AGE
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          51s
      kubernetes-bootcamp-684c8dd9d8-x9w89   1/1     Running   0          41s
      """

  Scenario: Module 6: Performing a rolling update, and rolling back a bad one
    # Where module 5 left the app: two replicas.
    When I run "kubectl scale deployments/kubernetes-bootcamp --replicas=2"
    And 20 seconds pass
    And I run "kubectl get deployments"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      kubernetes-bootcamp   2/2     2            2           20s
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME                                   READY   STATUS    RESTARTS   AGE
      kubernetes-bootcamp-684c8dd9d8-q8v6q   1/1     Running   0          20s
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Running   0          20s
      """
    When I run "kubectl describe pods"
    Then the output contains:
      """
          Image:          gcr.io/google-samples/kubernetes-bootcamp:v1
      """
    When I run "kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2"
    Then the output is:
      """
      deployment.apps/kubernetes-bootcamp image updated
      """
    # The new Pods run; the old ones terminate (killed when their 30 s grace period ends).
    When 10 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                                   READY   STATUS        RESTARTS   AGE
      kubernetes-bootcamp-684c8dd9d8-q8v6q   1/1     Terminating   0          30s
      kubernetes-bootcamp-684c8dd9d8-ql9vg   1/1     Terminating   0          30s
      kubernetes-bootcamp-6b747fb45-85ccp    1/1     Running       0          8s
      kubernetes-bootcamp-6b747fb45-txpsx    1/1     Running       0          10s
      """
    # Verify the update: the Service the page creates again if module 4 deleted it.
    When I run "kubectl expose deployment/kubernetes-bootcamp --type=\"NodePort\" --port 8080"
    Then the output is:
      """
      service/kubernetes-bootcamp exposed
      """
    When I run "kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}'"
    Then the output is:
      """
      31227
      """
    # "all Pods are now running the latest version (v2)"
    When I run "sh -c 'for i in 1 2 3 4 5; do curl -s http://172.18.0.3:31227; done | grep -c \"| v=2\"'" on node "minikube"
    Then the output is:
      """
      5
      """
    When I run "kubectl rollout status deployments/kubernetes-bootcamp"
    Then the output contains:
      """
      deployment "kubernetes-bootcamp" successfully rolled out
      """
    When I run "kubectl describe pods -l pod-template-hash=6b747fb45"
    Then the output contains:
      """
          Image:          docker.io/jocatalin/kubernetes-bootcamp:v2
      """
    And the output does not contain:
      """
      kubernetes-bootcamp:v1
      """
    When I run "kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10"
    Then the output is:
      """
      deployment.apps/kubernetes-bootcamp image updated
      """
    # "the output doesn't list the desired number of available Pods": one new Pod is added
    # (maxSurge 25% of 2, rounded up) and none of the old ones may go (maxUnavailable rounds down).
    When I run "kubectl get deployments"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      kubernetes-bootcamp   2/2     1            2           30s
      """
    And within 1 minute the output of "kubectl get pods" contains:
      """
      0/1     ImagePullBackOff   0
      """
    When I run "kubectl get pods --field-selector status.phase=Pending -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\n\"}}{{end}}'"
    Then the output is:
      """
      kubernetes-bootcamp-7d5fc5d98d-pmmbk
      """
    # "notice that the v10 image version did not exist in the repository"
    When I run "kubectl describe pod kubernetes-bootcamp-7d5fc5d98d-pmmbk"
    Then the output contains:
      """
      Failed to pull image "gcr.io/google-samples/kubernetes-bootcamp:v10": rpc error: code = NotFound desc = failed to pull and unpack image "gcr.io/google-samples/kubernetes-bootcamp:v10": failed to resolve reference "gcr.io/google-samples/kubernetes-bootcamp:v10": gcr.io/google-samples/kubernetes-bootcamp:v10: not found
      """
    When I run "kubectl rollout undo deployments/kubernetes-bootcamp"
    Then the output is:
      """
      deployment.apps/kubernetes-bootcamp rolled back
      """
    When 30 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                                  READY   STATUS    RESTARTS   AGE
      kubernetes-bootcamp-6b747fb45-85ccp   1/1     Running   0          49s
      kubernetes-bootcamp-6b747fb45-txpsx   1/1     Running   0          51s
      """
    When I run "kubectl describe pods"
    Then the output contains:
      """
          Image:          docker.io/jocatalin/kubernetes-bootcamp:v2
      """
    And the output does not contain:
      """
      kubernetes-bootcamp:v10
      """
    # Clean up.
    When I run "kubectl delete deployments/kubernetes-bootcamp services/kubernetes-bootcamp"
    Then the output is:
      """
      deployment.apps "kubernetes-bootcamp" deleted
      service "kubernetes-bootcamp" deleted
      """
