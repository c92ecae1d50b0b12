Feature: Debug Pods
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/
  #
  # The page has no manifests of its own: it names the states a Pod gets stuck in and the command
  # that says why (`kubectl describe pods ${POD_NAME}`). Each scenario makes one of them happen:
  # a Pod that asks for more CPU than the node has and two that want the same hostPort stay
  # Pending with the scheduler's FailedScheduling reason; a misspelled image leaves the container
  # Waiting in ImagePullBackOff; a finalizer keeps a deleted Pod (the page's webhook that refuses
  # to remove it is left out: with no webhook installed, the finalizer alone holds it); a
  # misspelled `command` is refused by the server's strict field validation unless
  # `--validate=ignore`. The Replication Controller is the ReplicationController concept page's
  # example, and the Service's selector is the page's `name: nginx, type: frontend`.

  Background:
    Given a cluster with nodes:
      | name      | cpu |
      | k8s-node1 | 2   |

  Scenario: My pod stays pending: not enough CPU on any node
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: big
      spec:
        containers:
        - name: app
          image: nginx:1.27
          resources:
            requests:
              cpu: "3"
      """
    And 5 seconds pass
    And I run "kubectl describe pods big"
    Then the output contains:
      """
      Status:           Pending
      """
    And the output contains:
      """
      Events:
        Type     Reason            Age   From               Message
        ----     ------            ----  ----               -------
        Warning  FailedScheduling  5s    default-scheduler  0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      """

  Scenario: My pod stays pending: a hostPort taken on the only node
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-1
      spec:
        containers:
        - name: nginx
          image: nginx:1.27
          ports:
          - containerPort: 80
            hostPort: 8080
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-2
      spec:
        containers:
        - name: nginx
          image: nginx:1.27
          ports:
          - containerPort: 80
            hostPort: 8080
      """
    And 10 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE
      web-1   1/1     Running   0          10s
      web-2   0/1     Pending   0          10s
      """
    When I run "kubectl describe pods web-2"
    Then the output contains:
      """
          Port:         80/TCP
          Host Port:    8080/TCP
      """
    And the output contains:
      """
        Warning  FailedScheduling  10s   default-scheduler  0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      """

  Scenario: My pod stays waiting: the image name is wrong
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: typo
      spec:
        containers:
        - name: nginx
          image: ngnix:1.27
      """
    And 60 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME   READY   STATUS             RESTARTS   AGE
      typo   0/1     ImagePullBackOff   0          60s
      """
    When I run "kubectl describe pods typo"
    Then the output contains:
      """
          State:          Waiting
            Reason:       ImagePullBackOff
      """
    And the output contains:
      """
        Normal   Scheduled  60s                default-scheduler  Successfully assigned default/typo to k8s-node1
        Normal   Pulling    28s (x3 over 60s)  kubelet            Pulling image "ngnix:1.27"
        Warning  Failed     27s (x3 over 59s)  kubelet            Failed to pull image "ngnix:1.27": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:1.27": failed to resolve reference "docker.io/library/ngnix:1.27": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
        Warning  Failed     27s (x3 over 59s)  kubelet            Error: ErrImagePull
        Normal   BackOff    7s (x4 over 59s)   kubelet            Back-off pulling image "ngnix:1.27"
        Warning  Failed     7s (x4 over 59s)   kubelet            Error: ImagePullBackOff
      """

  Scenario: My pod stays terminating: a finalizer nobody removes
    # The container ignores SIGTERM, so it runs for the whole 30 s grace period and is killed; the
    # Pod is then Failed (kubectl shows Error) and stays, deleted but held by its finalizer. With no
    # admission webhook installed, removing the finalizer lets the API server delete it.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: held
        finalizers:
        - example.com/cleanup
      spec:
        containers:
        - name: app
          image: busybox:1.28
          command: ["sh", "-c", "trap '' TERM; sleep 3600"]
      """
    And 10 seconds pass
    And I run "kubectl delete pod held --wait=false"
    Then the output is:
      """
      pod "held" deleted
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME   READY   STATUS        RESTARTS   AGE
      held   1/1     Terminating   0          10s
      """
    When I run "kubectl describe pods held"
    Then the output contains:
      """
      Status:                    Terminating (lasts <invalid>)
      Termination Grace Period:  30s
      """
    When 31 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME   READY   STATUS   RESTARTS   AGE
      held   0/1     Error    0          41s
      """
    When I run "kubectl get pod held -o jsonpath={.metadata.deletionTimestamp}/{.metadata.deletionGracePeriodSeconds}/{.metadata.finalizers}"
    Then the output is:
      """
      2024-01-08T00:00:10Z/0/["example.com/cleanup"]
      """
    # The page: check for webhooks that target UPDATE of pods. None here.
    When I run "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations"
    Then the error output is:
      """
      No resources found
      """
    When I run:
      """
      kubectl patch pod held --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
      """
    Then the output is:
      """
      pod/held patched
      """
    When I try to run "kubectl get pod held"
    Then the command fails with:
      """
      Error from server (NotFound): pods "held" not found
      """

  Scenario: My pod is running but not doing what I told it to do: a misspelled field
    When I run:
      """
      cat <<EOF > mypod.yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: mypod
      spec:
        containers:
        - name: app
          image: busybox:1.28
          commnd: ["sh", "-c", "echo hello; sleep 3600"]
      EOF
      """
    And I try to run "kubectl apply -f mypod.yaml"
    Then the command fails with:
      """
      Error from server (BadRequest): error when creating "mypod.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].commnd"
      """
    When I try to run "kubectl apply -f mypod.yaml --dry-run=server"
    Then the command fails with:
      """
      Error from server (BadRequest): error when creating "mypod.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].commnd"
      """
    # --validate=ignore drops the unknown field: the Pod runs busybox's own command (sh), which
    # exits at once without a terminal, and is restarted.
    When I run "kubectl apply -f mypod.yaml --validate=ignore"
    Then the output is:
      """
      pod/mypod created
      """
    When 60 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME    READY   STATUS             RESTARTS      AGE
      mypod   0/1     CrashLoopBackOff   3 (29s ago)   60s
      """

  Scenario: Debugging Replication Controllers
    When I run "kubectl apply -f https://k8s.io/examples/controllers/replication.yaml"
    Then the output is:
      """
      replicationcontroller/nginx created
      """
    When 20 seconds pass
    And I run "kubectl get rc"
    Then the output is:
      """
      NAME    DESIRED   CURRENT   READY   AGE
      nginx   3         3         3       20s
      """
    When I run "kubectl describe rc nginx"
    Then the output is:
      """
      Name:         nginx
      Namespace:    default
      Selector:     app=nginx
      Labels:       app=nginx
      Annotations:  <none>
      Replicas:     3 current / 3 desired
      Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed
      Pod Template:
        Labels:  app=nginx
        Containers:
         nginx:
          Image:         nginx
          Port:          80/TCP
          Host Port:     0/TCP
          Environment:   <none>
          Mounts:        <none>
        Volumes:         <none>
        Node-Selectors:  <none>
        Tolerations:     <none>
      Events:
        Type    Reason            Age   From                    Message
        ----    ------            ----  ----                    -------
        Normal  SuccessfulCreate  20s   replication-controller  Created pod: nginx-z5vqj
        Normal  SuccessfulCreate  20s   replication-controller  Created pod: nginx-2tcxk
        Normal  SuccessfulCreate  20s   replication-controller  Created pod: nginx-qgmkx
      """
    # A Pod the controller made is deleted: it makes another, and says so.
    When I run "kubectl delete pod nginx-z5vqj"
    And 5 seconds pass
    And I run "kubectl describe rc nginx"
    Then the output contains:
      """
        Normal  SuccessfulCreate  25s   replication-controller  Created pod: nginx-qgmkx
        Normal  SuccessfulCreate  5s    replication-controller  Created pod: nginx-kk8n8
      """

  Scenario: Debugging Services: the endpoints, and the pods the selector lists
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: nginx
      spec:
        selector:
          name: nginx
          type: frontend
        ports:
        - port: 80
          targetPort: 80
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            name: nginx
            type: frontend
        template:
          metadata:
            labels:
              name: nginx
              type: frontend
          spec:
            containers:
            - name: nginx
              image: nginx:1.27
              ports:
              - containerPort: 80
      """
    And 20 seconds pass
    And I run "kubectl get endpointslices -l kubernetes.io/service-name=nginx"
    Then the output is:
      """
      NAME          ADDRESSTYPE   PORTS   ENDPOINTS                          AGE
      nginx-9nklr   IPv4          80      10.244.0.2,10.244.0.3,10.244.0.4   20s
      """
    # The Pods the selector lists, with their IPs: the EndpointSlice's three addresses.
    When I run "kubectl get pods --selector=name=nginx,type=frontend -o wide"
    Then the output is:
      """
      NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      nginx-7ddbbb8595-2txld   1/1     Running   0          20s   10.244.0.2   k8s-node1   <none>           <none>
      nginx-7ddbbb8595-qb5x9   1/1     Running   0          20s   10.244.0.4   k8s-node1   <none>           <none>
      nginx-7ddbbb8595-x4qg2   1/1     Running   0          20s   10.244.0.3   k8s-node1   <none>           <none>
      """
    # A selector that matches nothing lists nothing: the check for a Service missing endpoints.
    When I run "kubectl get pods --selector=name=nginx,type=backend"
    Then the error output is:
      """
      No resources found in default namespace.
      """
