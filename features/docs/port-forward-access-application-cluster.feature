Feature: Use Port Forwarding to Access Applications in a Cluster
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/
  #
  # The page's manifests, verbatim: exercises/docs/application/mongodb/mongo-deployment.yaml (one
  # mongo:4.2 replica listening on 27017) and mongo-service.yaml (a ClusterIP Service on 27017).
  # `kubectl port-forward` listens on the user's machine (127.0.0.1 and ::1) and sends each
  # connection through the API server and the pod's kubelet to localhost:27017 inside the pod.
  #
  # The pod's name comes from the simulation's generator (mongo-56bffbd6d9-9gcw8 where the page
  # shows mongo-75f59d57f4-4nd6q). The page's client is `mongosh --port 28015`, an interactive
  # MongoDB shell, which the user's machine does not have here: the scenarios use curl through the
  # forwarded port instead, which MongoDB answers as any TCP client reaching its port. The
  # page's port-forward does not return ("you will need to open another terminal"): the scenarios
  # run it in a second terminal, or in the background with `&` (what it prints later then shows with
  # the command line that runs at the time, as on a terminal). A local port kubectl chooses
  # (`:27017`) is the kernel's choice from Linux's ephemeral range, the same in every run here.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-deployment.yaml"
    Then the output is:
      """
      deployment.apps/mongo created
      """
    And 50 seconds pass

  Scenario: Forward a local port to the pod, then to the deployment, the replica set and the service
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME                     READY   STATUS    RESTARTS   AGE
      mongo-56bffbd6d9-9gcw8   1/1     Running   0          50s
      """
    When I run "kubectl get deployment"
    Then the output is:
      """
      NAME    READY   UP-TO-DATE   AVAILABLE   AGE
      mongo   1/1     1            1           50s
      """
    When I run "kubectl get replicaset"
    Then the output is:
      """
      NAME               DESIRED   CURRENT   READY   AGE
      mongo-56bffbd6d9   1         1         1       50s
      """
    When I run "kubectl apply -f https://k8s.io/examples/application/mongodb/mongo-service.yaml"
    Then the output is:
      """
      service/mongo created
      """
    When I run "kubectl get service mongo"
    Then the output is:
      """
      NAME    TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)     AGE
      mongo   ClusterIP   10.105.253.216   <none>        27017/TCP   0s
      """
    When I run:
      """
      kubectl get pod mongo-56bffbd6d9-9gcw8 --template='{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\n"}}'
      """
    Then the output is:
      """
      27017
      """
    When I run "kubectl port-forward mongo-56bffbd6d9-9gcw8 28015:27017" in a second terminal
    And I run "curl -s localhost:28015"
    And I stop the second terminal
    Then the output is:
      """
      Forwarding from 127.0.0.1:28015 -> 27017
      Forwarding from [::1]:28015 -> 27017
      Handling connection for 28015
      """
    When I run "kubectl port-forward pods/mongo-56bffbd6d9-9gcw8 28015:27017 &"
    Then the output is:
      """
      Forwarding from 127.0.0.1:28015 -> 27017
      Forwarding from [::1]:28015 -> 27017
      """
    # The forward holds the port: another one cannot listen there.
    When I run "kubectl port-forward deployment/mongo 28015:27017 &"
    Then the error output is:
      """
      Unable to listen on port 28015: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:28015: bind: address already in use unable to create listener: Error listen tcp6 [::1]:28015: bind: address already in use]
      error: unable to listen on any of the requested ports: [{28015 27017}]
      """
    When I run "kubectl port-forward deployment/mongo 28016:27017 &"
    And I run "kubectl port-forward replicaset/mongo-56bffbd6d9 28017:27017 &"
    And I run "kubectl port-forward service/mongo 28018:27017 &"
    Then the output is:
      """
      Forwarding from 127.0.0.1:28018 -> 27017
      Forwarding from [::1]:28018 -> 27017
      """
    When I run "curl -s localhost:28018"
    Then the output is:
      """
      Handling connection for 28018
      """

  Scenario: Optionally let kubectl choose the local port
    When I run "kubectl port-forward deployment/mongo :27017 &"
    Then the output is:
      """
      Forwarding from 127.0.0.1:51717 -> 27017
      Forwarding from [::1]:51717 -> 27017
      """

  Scenario: A port the pod does not listen on: the connection fails and kubectl stops forwarding
    When I run "kubectl port-forward deployment/mongo 28015:27018 &"
    And I try to run "curl -sS localhost:28015"
    Then the output is:
      """
      Handling connection for 28015
      """
    And the error output contains:
      """
      portforward.go:413] "Unhandled Error" err="an error occurred forwarding 28015 -> 27018: error forwarding port 27018 to pod
      """
    And the error output contains:
      """
      IPv4: dial tcp4 127.0.0.1:27018: connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found "
      error: lost connection to pod
      curl: (52) Empty reply from server
      """
    When I try to run "curl -sS localhost:28015"
    Then the error output is:
      """
      curl: (7) Failed to connect to localhost port 28015 after 0 ms: Couldn't connect to server
      """

  Scenario: A pod that is not running cannot be forwarded to
    # A pod no node can take (no node has the label it asks for) stays Pending.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        nodeSelector:
          disktype: ssd
        containers:
        - name: web
          image: nginx
      """
    And I try to run "kubectl port-forward pod/web 8080:80"
    Then the command fails with:
      """
      error: unable to forward port because pod is not running. Current status=Pending
      """
