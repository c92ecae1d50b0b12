@epic:Basics @feature:Events
Feature: A pod's events and waiting for a command's output
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
  `kubectl describe pod` ends with the pod's events; the steps `pod "x" has an event "Reason"` and
  `the events of pod "x" contain:` check them without matching describe's spacing. Each expected
  line is `<Type> <Reason> <Message>`, the lines in the order the events happened, others may come
  between. `within <duration> the output of "<command>" contains:` runs the command as the clock
  goes until its output shows the text.

  Background:
    Given a cluster with nodes:
      | name          |
      | kube-worker-1 |

  Scenario: The events of a Deployment's pod, from scheduling to start
    When I run "kubectl apply -f exercises/basics/debug/nginx-with-request.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment created
      """
    And within 1 minute the output of "kubectl get deployment nginx-deployment" contains:
      """
      nginx-deployment   2/2     2            2
      """
    When I run "kubectl get pods"
    Then the output does not contain:
      """
      Pending
      """
    And the output is:
      """
      NAME                              READY   STATUS    RESTARTS   AGE
      nginx-deployment-9d8d59d9-4bdvt   1/1     Running   0          6s
      nginx-deployment-9d8d59d9-tqktp   1/1     Running   0          6s
      """
    And pod "nginx-deployment-9d8d59d9-tqktp" has an event "Scheduled"
    And pod "nginx-deployment-9d8d59d9-tqktp" has an event "Started"
    And the events of pod "nginx-deployment-9d8d59d9-tqktp" contain:
      """
      Normal  Scheduled  Successfully assigned default/nginx-deployment-9d8d59d9-tqktp to kube-worker-1
      Normal  Pulling    Pulling image "nginx"
      Normal  Created    Created container: nginx
      Normal  Started    Started container nginx
      """
    When I run "kubectl describe pod nginx-deployment-9d8d59d9-tqktp"
    Then the output contains:
      """
      Events:
        Type    Reason     Age   From               Message
        ----    ------     ----  ----               -------
        Normal  Scheduled  6s    default-scheduler  Successfully assigned default/nginx-deployment-9d8d59d9-tqktp to kube-worker-1
        Normal  Pulling    6s    kubelet            Pulling image "nginx"
        Normal  Pulled     0s    kubelet            Successfully pulled image "nginx" in 3s (6s including waiting). Image size: 72100000 bytes.
        Normal  Created    0s    kubelet            Created container: nginx
        Normal  Started    0s    kubelet            Started container nginx
      """

  Scenario: Events in another namespace
    When I run "kubectl create namespace debug"
    And I run "kubectl apply -f exercises/basics/debug/nginx-with-request.yaml -n debug"
    Then within 1 minute the output of "kubectl get pods -n debug" contains:
      """
      1/1     Running
      """
    When I run "kubectl get pods -n debug -o name"
    Then the output is:
      """
      pod/nginx-deployment-9d8d59d9-ms47l
      pod/nginx-deployment-9d8d59d9-v7ntn
      """
    And pod "nginx-deployment-9d8d59d9-v7ntn" in namespace "debug" has an event "Pulled"
    And the events of pod "nginx-deployment-9d8d59d9-v7ntn" in namespace "debug" contain:
      """
      Normal Scheduled Successfully assigned debug/nginx-deployment-9d8d59d9-v7ntn to kube-worker-1
      Normal Started   Started container nginx
      """

  Scenario: kubectl events lists a namespace's events oldest first; --for and --types narrow it
    # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_events/
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: too-big
      spec:
        containers:
        - name: nginx
          image: nginx
          resources:
            requests:
              cpu: "64"
      """
    And 10 seconds pass
    And I run "kubectl events --for pod/too-big"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON             OBJECT        MESSAGE
      10s         Warning   FailedScheduling   Pod/too-big   0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      """
    When I run "kubectl events --types=Normal --for pod/too-big"
    Then the error output is:
      """
      No events found in default namespace.
      """
    When I try to run "kubectl events --types=Error"
    Then the command fails with:
      """
      error: valid --types are Normal or Warning
      """
