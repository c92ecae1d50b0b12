Feature: Scale, delete and force-delete a StatefulSet
  # Source: https://kubernetes.io/docs/tasks/run-application/scale-stateful-set/
  # Source: https://kubernetes.io/docs/tasks/run-application/delete-stateful-set/
  # Source: https://kubernetes.io/docs/tasks/run-application/force-delete-stateful-set-pod/
  #
  # The three task pages name their StatefulSet with placeholders (<stateful-set-name>, <file.yaml>,
  # app.kubernetes.io/name=MyApp); the scenarios use the StatefulSet Basics tutorial's web.yaml
  # (exercises/docs/application/web/web.yaml, verbatim: the headless Service nginx and two
  # nginx-slim Pods, each with a 1Gi claim from the default StorageClass), so <stateful-set-name>
  # is web, <file.yaml> is its URL and the Pods' label is app=nginx.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f https://k8s.io/examples/application/web/web.yaml"
    Then the output is:
      """
      service/nginx created
      statefulset.apps/web created
      """
    And within 1 minute statefulset "web" has 2 ready replicas

  Scenario: Scaling with kubectl scale and kubectl patch; the claims stay when Pods go
    When I run "kubectl scale statefulsets web --replicas=3"
    Then the output is:
      """
      statefulset.apps/web scaled
      """
    And within 1 minute statefulset "web" has 3 ready replicas
    When I run "kubectl patch statefulsets web -p '{\"spec\":{\"replicas\":1}}'"
    Then the output is:
      """
      statefulset.apps/web patched
      """
    When 30 seconds pass
    And I run "kubectl get pods -l app=nginx -o name"
    Then the output is:
      """
      pod/web-0
      """
    # "Deleting the Pods in a StatefulSet will not delete the associated volumes."
    When I run "kubectl get pvc -o custom-columns=NAME:.metadata.name,STATUS:.status.phase"
    Then the output is:
      """
      NAME        STATUS
      www-web-0   Bound
      www-web-1   Bound
      www-web-2   Bound
      """

  Scenario: Deleting with --cascade=orphan leaves the Pods; then the complete deletion
    When I run "kubectl delete -f https://k8s.io/examples/application/web/web.yaml --cascade=orphan"
    Then the output is:
      """
      service "nginx" deleted
      statefulset.apps "web" deleted
      """
    When I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,OWNERS:.metadata.ownerReferences"
    Then the output is:
      """
      NAME    OWNERS
      web-0   <none>
      web-1   <none>
      """
    When I run "kubectl delete pods -l app=nginx"
    Then the output is:
      """
      pod "web-0" deleted
      pod "web-1" deleted
      """
    # grace=$(kubectl get pods <stateful-set-pod> --template '{{.spec.terminationGracePeriodSeconds}}')
    When I run "kubectl apply -f https://k8s.io/examples/application/web/web.yaml"
    And within 1 minute statefulset "web" has 2 ready replicas
    And I run "kubectl get pods web-0 --template '{{.spec.terminationGracePeriodSeconds}}'"
    Then the output is:
      """
      30
      """
    When I run "kubectl delete statefulset -l app=nginx"
    Then the output is:
      """
      No resources found
      """
    # The label is on the Pods and the Service, not on the StatefulSet: delete it by name.
    When I run "kubectl delete statefulsets web"
    Then the output is:
      """
      statefulset.apps "web" deleted
      """
    # sleep $grace; the StatefulSet gave its claims its selector's labels.
    When 30 seconds pass
    And I run "kubectl delete pvc -l app=nginx"
    Then the output is:
      """
      persistentvolumeclaim "www-web-0" deleted
      persistentvolumeclaim "www-web-1" deleted
      """
    When I run "kubectl delete service nginx"
    Then the output is:
      """
      service "nginx" deleted
      """

  Scenario: Force deleting a StatefulSet Pod
    When I run "kubectl delete pods web-0 --grace-period=0 --force"
    Then the output is:
      """
      pod "web-0" force deleted
      """
    And the error output is:
      """
      Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.
      """
    # The StatefulSet creates web-0 again at once.
    When I run "kubectl get pods web-0"
    Then the output is:
      """
      NAME    READY   STATUS              RESTARTS   AGE
      web-0   0/1     ContainerCreating   0          0s
      """
