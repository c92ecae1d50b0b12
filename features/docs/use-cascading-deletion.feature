Feature: Use Cascading Deletion in a Cluster
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/use-cascading-deletion/
  #
  # The page deletes the sample Deployment of "Run a Stateless Application Using a Deployment"
  # (application/deployment.yaml, verbatim: nginx-deployment, two nginx:1.14.2 Pods labelled
  # app=nginx) three ways, recreating it each time: foreground (the Deployment waits, with the
  # `foregroundDeletion` finalizer, until its ReplicaSet and Pods are gone), background (the
  # default: the Deployment goes at once, the garbage collector deletes the rest after it) and
  # orphan (the `orphan` finalizer: the garbage collector removes the owner references from the
  # dependents, which stay). The page does each both with kubectl and with a DELETE sent with curl
  # through `kubectl proxy`, whose answer shows the Deployment with its finalizer; the scenarios run
  # the kubectl commands and watch the Deployment's finalizers from a second terminal, and the
  # page's curl for the foreground and orphan cases.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment.yaml"
    Then within 1 minute deployment "nginx-deployment" has 2 available replicas

  Scenario: The Pods' owner reference names their ReplicaSet, whose owner reference names the Deployment
    When I run "kubectl get pods -l app=nginx --output=yaml"
    Then the output contains:
      """
          ownerReferences:
          - apiVersion: apps/v1
            blockOwnerDeletion: true
            controller: true
            kind: ReplicaSet
            name: nginx-deployment-7f4d79f7d7
      """
    When I run "kubectl get replicasets -l app=nginx -o custom-columns=NAME:.metadata.name,OWNER-KIND:.metadata.ownerReferences[0].kind,OWNER:.metadata.ownerReferences[0].name"
    Then the output is:
      """
      NAME                          OWNER-KIND   OWNER
      nginx-deployment-7f4d79f7d7   Deployment   nginx-deployment
      """

  Scenario: Foreground cascading deletion: the Deployment waits for its dependents, with the foregroundDeletion finalizer
    # The second terminal prints the Deployment's name and finalizers at each change: none before
    # the delete (`<no value>`), then the finalizer the page's DELETE response shows.
    When I run "kubectl get deployment nginx-deployment -w -o go-template='{{.metadata.name}} {{.metadata.finalizers}}{{\"\n\"}}'" in a second terminal
    And I run "kubectl delete deployment nginx-deployment --cascade=foreground"
    Then the output is:
      """
      deployment.apps "nginx-deployment" deleted
      """
    When I stop the second terminal
    Then the output contains:
      """
      nginx-deployment <no value>
      nginx-deployment [foregroundDeletion]
      """
    # kubectl delete waits until the Deployment is gone, which is after its ReplicaSet and Pods.
    When I try to run "kubectl get replicasets,pods -l app=nginx"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Background cascading deletion: the Deployment goes at once, its dependents after it
    When I run "kubectl get pods -l app=nginx -w" in a second terminal
    And I run "kubectl delete deployment nginx-deployment --cascade=background"
    Then the output is:
      """
      deployment.apps "nginx-deployment" deleted
      """
    # The garbage collector deletes the ReplicaSet, then the Pods (nginx stops at once on SIGTERM).
    When 5 seconds pass
    And I stop the second terminal
    Then the output contains:
      """
      nginx-deployment-7f4d79f7d7-jpmj6   1/1     Terminating   0          6s
      nginx-deployment-7f4d79f7d7-w5r9c   1/1     Terminating   0          6s
      """
    When I try to run "kubectl get replicasets,pods -l app=nginx"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Orphaning the dependents: the ReplicaSet and its Pods stay, without their owner
    When I run "kubectl get deployment nginx-deployment -w -o go-template='{{.metadata.name}} {{.metadata.finalizers}}{{\"\n\"}}'" in a second terminal
    And I run "kubectl delete deployment nginx-deployment --cascade=orphan"
    Then the output is:
      """
      deployment.apps "nginx-deployment" deleted
      """
    # The page's DELETE response shows "finalizers": ["orphan"].
    When I stop the second terminal
    Then the output contains:
      """
      nginx-deployment <no value>
      nginx-deployment [orphan]
      """
    # You can check that the Pods managed by the Deployment are still running:
    When 30 seconds pass
    And I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-7f4d79f7d7-jpmj6   1/1     Running   0          36s
      nginx-deployment-7f4d79f7d7-w5r9c   1/1     Running   0          36s
      """
    # The ReplicaSet lost its owner reference; its Pods keep theirs, to the ReplicaSet, which still runs them.
    When I run "kubectl get replicasets -l app=nginx -o custom-columns=NAME:.metadata.name,OWNERS:.metadata.ownerReferences"
    Then the output is:
      """
      NAME                          OWNERS
      nginx-deployment-7f4d79f7d7   <none>
      """
    When I run "kubectl delete pod nginx-deployment-7f4d79f7d7-jpmj6"
    And 10 seconds pass
    And I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-7f4d79f7d7-2wlv4   1/1     Running   0          10s
      nginx-deployment-7f4d79f7d7-w5r9c   1/1     Running   0          46s
      """

  Scenario: Using the Kubernetes API: a DELETE with propagationPolicy Foreground through kubectl proxy
    When I run "kubectl proxy --port=8080" in a second terminal
    And I run:
      """
      curl -X DELETE localhost:8080/apis/apps/v1/namespaces/default/deployments/nginx-deployment \
          -d '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}' \
          -H "Content-Type: application/json"
      """
    Then the output contains:
      """
        "kind": "Deployment",
      """
    And the output contains:
      """
          "finalizers": [
            "foregroundDeletion"
          ]
      """
    When 10 seconds pass
    And I try to run "kubectl get deployments,replicasets,pods -l app=nginx"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Using the Kubernetes API: a DELETE with propagationPolicy Orphan through kubectl proxy
    When I run "kubectl proxy --port=8080" in a second terminal
    And I run:
      """
      curl -X DELETE localhost:8080/apis/apps/v1/namespaces/default/deployments/nginx-deployment \
          -d '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Orphan"}' \
          -H "Content-Type: application/json"
      """
    Then the output contains:
      """
          "finalizers": [
            "orphan"
          ]
      """
    When 10 seconds pass
    And I run "kubectl get replicasets -l app=nginx -o custom-columns=NAME:.metadata.name,OWNERS:.metadata.ownerReferences"
    Then the output is:
      """
      NAME                          OWNERS
      nginx-deployment-7f4d79f7d7   <none>
      """

  Scenario: A dependent that stops blocking lets the Deployment in foreground deletion go at once
    # In foreground deletion the owner waits only for dependents whose owner reference has
    # blockOwnerDeletion: true. A finalizer of our own holds the ReplicaSet; once its reference
    # stops blocking, the garbage collector checks the Deployment again and lets it go at once
    # (kube-controller-manager's graph builder queues the owner when a reference is unblocked).
    When I run:
      """
      kubectl patch replicaset nginx-deployment-7f4d79f7d7 --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'
      """
    And I run "kubectl delete deployment nginx-deployment --cascade=foreground --wait=false"
    And 5 seconds pass
    And I run "kubectl get deployment nginx-deployment -o jsonpath={.metadata.finalizers}"
    Then the output is:
      """
      ["foregroundDeletion"]
      """
    When I run "kubectl get replicaset nginx-deployment-7f4d79f7d7 -o jsonpath='{.metadata.finalizers} {.metadata.ownerReferences[0].blockOwnerDeletion}'"
    Then the output is:
      """
      ["example.com/hold"] true
      """
    When I run:
      """
      kubectl patch replicaset nginx-deployment-7f4d79f7d7 --type=json -p '[{"op":"replace","path":"/metadata/ownerReferences/0/blockOwnerDeletion","value":false}]'
      """
    And I try to run "kubectl get deployment nginx-deployment"
    Then the error output is:
      """
      Error from server (NotFound): deployments.apps "nginx-deployment" not found
      """
    # The ReplicaSet stays until its own finalizer is removed.
    When I run:
      """
      kubectl patch replicaset nginx-deployment-7f4d79f7d7 --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
      """
    And I try to run "kubectl get replicasets,pods -l app=nginx"
    Then the error output is:
      """
      No resources found in default namespace.
      """
