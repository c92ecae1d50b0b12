Feature: ReplicaSet
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/
  #
  # The page's frontend ReplicaSet (exercises/docs/controllers/frontend.yaml: three nginx Pods
  # selected by tier=frontend), its two bare Pods (exercises/docs/pods/pod-rs.yaml, hello-app 2.0
  # and 1.0 with the same label) and its HorizontalPodAutoscaler (exercises/docs/controllers/
  # hpa-rs.yaml), all verbatim: the last two are written as YAML flow mappings, as the examples
  # repository has them. The page's sample outputs are older than its manifest (they show
  # gb-frontend:v3 and kubectl's last-applied annotation, which kubectl describe no longer prints);
  # the scenarios assert what v1.32 prints for the manifest as it is. The page deletes through
  # `kubectl proxy` and curl with a propagationPolicy; the scenarios do it both with kubectl's
  # --cascade, which sends the same DeleteOptions, and with the page's curl.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The frontend ReplicaSet creates three Pods and owns them
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    Then the output is:
      """
      replicaset.apps/frontend created
      """
    When 10 seconds pass
    And I run "kubectl get rs"
    Then the output is:
      """
      NAME       DESIRED   CURRENT   READY   AGE
      frontend   3         3         3       10s
      """
    When I run "kubectl describe rs/frontend"
    Then the output contains:
      """
      Name:         frontend
      Namespace:    default
      Selector:     tier=frontend
      Labels:       app=nginx
                    tier=frontend
      Annotations:  <none>
      Replicas:     3 current / 3 desired
      Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed
      Pod Template:
        Labels:  tier=frontend
        Containers:
         nginx:
          Image:         nginx
      """
    And the output contains:
      """
      Events:
        Type    Reason            Age   From                   Message
        ----    ------            ----  ----                   -------
        Normal  SuccessfulCreate  10s   replicaset-controller  Created pod: frontend-qlh2m
        Normal  SuccessfulCreate  10s   replicaset-controller  Created pod: frontend-s2r7w
        Normal  SuccessfulCreate  10s   replicaset-controller  Created pod: frontend-lw9dq
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME             READY   STATUS    RESTARTS   AGE
      frontend-lw9dq   1/1     Running   0          10s
      frontend-qlh2m   1/1     Running   0          10s
      frontend-s2r7w   1/1     Running   0          10s
      """
    # "the frontend ReplicaSet's info set in the metadata's ownerReferences field"
    When I run "kubectl get pods frontend-lw9dq -o yaml"
    Then the output contains:
      """
        generateName: frontend-
        labels:
          tier: frontend
        name: frontend-lw9dq
        namespace: default
        ownerReferences:
        - apiVersion: apps/v1
          blockOwnerDeletion: true
          controller: true
          kind: ReplicaSet
          name: frontend
      """

  Scenario: Bare Pods created after the ReplicaSet are acquired and terminated at once
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 10 seconds pass
    And I run "kubectl apply -f https://kubernetes.io/examples/pods/pod-rs.yaml"
    Then the output is:
      """
      pod/pod1 created
      pod/pod2 created
      """
    # Over its count, the ReplicaSet deletes them: not yet scheduled, they go at once.
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME             READY   STATUS    RESTARTS   AGE
      frontend-lw9dq   1/1     Running   0          10s
      frontend-qlh2m   1/1     Running   0          10s
      frontend-s2r7w   1/1     Running   0          10s
      """
    When I run "kubectl get events --field-selector reason=SuccessfulDelete -o custom-columns=OBJECT:.involvedObject.name,MESSAGE:.message"
    Then the output contains:
      """
      frontend   Deleted pod: pod1
      """
    And the output contains:
      """
      frontend   Deleted pod: pod2
      """

  Scenario: Bare Pods created first are acquired: the ReplicaSet creates only what is missing
    When I run "kubectl apply -f https://kubernetes.io/examples/pods/pod-rs.yaml"
    And 20 seconds pass
    And I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 10 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME             READY   STATUS    RESTARTS   AGE
      frontend-qlh2m   1/1     Running   0          10s
      pod1             1/1     Running   0          30s
      pod2             1/1     Running   0          30s
      """
    When I run "kubectl get pods pod1 -o jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"
    Then the output is:
      """
      ReplicaSet/frontend
      """

  Scenario: Deleting a ReplicaSet deletes its Pods; with --cascade=orphan it leaves them to a new one
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 10 seconds pass
    # The page's DeleteOptions with "propagationPolicy":"Orphan".
    And I run "kubectl delete rs frontend --cascade=orphan"
    Then the output is:
      """
      replicaset.apps "frontend" deleted
      """
    When I run "kubectl get pods -o custom-columns=NAME:.metadata.name,OWNERS:.metadata.ownerReferences"
    Then the output is:
      """
      NAME             OWNERS
      frontend-lw9dq   <none>
      frontend-qlh2m   <none>
      frontend-s2r7w   <none>
      """
    # "As long as the old and new .spec.selector are the same, then the new one will adopt the old Pods."
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 2 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME             READY   STATUS    RESTARTS   AGE
      frontend-lw9dq   1/1     Running   0          12s
      frontend-qlh2m   1/1     Running   0          12s
      frontend-s2r7w   1/1     Running   0          12s
      """
    When I run "kubectl get pods frontend-lw9dq -o jsonpath={.metadata.ownerReferences[0].name}"
    Then the output is:
      """
      frontend
      """
    # The page's DeleteOptions with "propagationPolicy":"Foreground": the Pods go first.
    When I run "kubectl delete rs frontend --cascade=foreground"
    Then the output is:
      """
      replicaset.apps "frontend" deleted
      """
    When I try to run "kubectl get rs,pods"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: The page's DELETE through kubectl proxy: Orphan leaves the Pods, Foreground deletes them first
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 10 seconds pass
    And I run "kubectl proxy --port=8080" in a second terminal
    And I run:
      """
      curl -X DELETE  'localhost:8080/apis/apps/v1/namespaces/default/replicasets/frontend' \
        -d '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Orphan"}' \
        -H "Content-Type: application/json"
      """
    Then the output contains:
      """
          "finalizers": [
            "orphan"
          ]
      """
    When 1 second passes
    And I run "kubectl get pods -o custom-columns=NAME:.metadata.name,OWNERS:.metadata.ownerReferences"
    Then the output is:
      """
      NAME             OWNERS
      frontend-lw9dq   <none>
      frontend-qlh2m   <none>
      frontend-s2r7w   <none>
      """
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 2 seconds pass
    And I run:
      """
      curl -X DELETE  'localhost:8080/apis/apps/v1/namespaces/default/replicasets/frontend' \
        -d '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}' \
        -H "Content-Type: application/json"
      """
    Then the output contains:
      """
          "finalizers": [
            "foregroundDeletion"
          ]
      """
    When 10 seconds pass
    And I try to run "kubectl get rs,pods"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Isolating a Pod by changing its label; scaling down honours the pod-deletion-cost annotation
    When I run "kubectl apply -f https://kubernetes.io/examples/pods/pod-rs.yaml"
    And 20 seconds pass
    And I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 10 seconds pass
    # Removed from the ReplicaSet, pod1 is replaced.
    And I run "kubectl label pod pod1 tier=debug --overwrite"
    And 5 seconds pass
    And I run "kubectl get pods -L tier"
    Then the output is:
      """
      NAME             READY   STATUS    RESTARTS   AGE   TIER
      frontend-qlh2m   1/1     Running   0          15s   frontend
      frontend-s2r7w   1/1     Running   0          5s    frontend
      pod1             1/1     Running   0          35s   debug
      pod2             1/1     Running   0          35s   frontend
      """
    When I run "kubectl get pods pod1 -o custom-columns=OWNERS:.metadata.ownerReferences"
    Then the output is:
      """
      OWNERS
      <none>
      """
    # Scaling down removes the Pod with the lowest deletion cost first (PodDeletionCost is beta and
    # on by default since v1.22; the page still calls it alpha), not the newest one.
    When I run "kubectl annotate pod pod2 controller.kubernetes.io/pod-deletion-cost=-100"
    And I run "kubectl scale rs frontend --replicas=2"
    Then the output is:
      """
      replicaset.apps/frontend scaled
      """
    When I run "kubectl describe rs frontend"
    Then the output contains:
      """
      Replicas:     2 current / 2 desired
      """
    And the output contains:
      """
        Normal  SuccessfulDelete  0s    replicaset-controller  Deleted pod: pod2
      """

  Scenario: A HorizontalPodAutoscaler targets the ReplicaSet
    When I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/controllers/hpa-rs.yaml"
    Then the output is:
      """
      horizontalpodautoscaler.autoscaling/frontend-scaler created
      """
    # The nginx container requests no CPU, so its utilisation cannot be computed.
    When 60 seconds pass
    And I run "kubectl get hpa"
    Then the output is:
      """
      NAME              REFERENCE             TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
      frontend-scaler   ReplicaSet/frontend   cpu: <unknown>/50%   3         10        3          60s
      """
    When I run "kubectl describe hpa frontend-scaler"
    Then the output contains:
      """
      Reference:                                             ReplicaSet/frontend
      """
    And the output contains:
      """
      failed to get cpu utilization: missing request for cpu in container nginx of Pod
      """
    # "Alternatively, you can use the kubectl autoscale command to accomplish the same"
    When I run "kubectl delete hpa frontend-scaler"
    And I run "kubectl autoscale rs frontend --max=10 --min=3 --cpu-percent=50"
    Then the output is:
      """
      horizontalpodautoscaler.autoscaling/frontend autoscaled
      """
    When I run "kubectl get hpa frontend -o custom-columns=REFERENCE:.spec.scaleTargetRef.name,MIN:.spec.minReplicas,MAX:.spec.maxReplicas,CPU:.spec.metrics[0].resource.target.averageUtilization"
    Then the output is:
      """
      REFERENCE   MIN   MAX   CPU
      frontend    3     10    50
      """
