Feature: Share a Cluster with Namespaces
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/
  #
  # The page's namespace files are the examples k8s.io serves today (exercises/docs/admin/
  # namespace-dev.yaml and namespace-prod.yaml: the page still names the older .json copies, which
  # the examples no longer hold), and its image is registry.k8s.io/serve_hostname (the page's
  # k8s.gcr.io is the registry's frozen former name). `my-namespace.yaml` is the page's file with
  # `<insert-namespace-name-here>` filled in (exercises/docs/namespaces/my-namespace.yaml).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Viewing namespaces
    # A v1.32 cluster starts with four namespaces (the page lists three: kube-node-lease is newer).
    When I run "kubectl get namespaces"
    Then the output is:
      """
      NAME              STATUS   AGE
      default           Active   0s
      kube-node-lease   Active   0s
      kube-public       Active   0s
      kube-system       Active   0s
      """
    When I run "kubectl get namespaces default"
    Then the output is:
      """
      NAME      STATUS   AGE
      default   Active   0s
      """
    When I run "kubectl describe namespaces default"
    Then the output is:
      """
      Name:         default
      Labels:       kubernetes.io/metadata.name=default
      Annotations:  <none>
      Status:       Active

      No resource quota.

      No LimitRange resource.
      """
    # "these details show both resource quota (if present) as well as resource limit ranges"
    When I run "kubectl create quota object-counts --hard=pods=10"
    And I apply the manifest:
      """
      apiVersion: v1
      kind: LimitRange
      metadata:
        name: cpu-limit-range
      spec:
        limits:
        - default:
            cpu: 100m
          type: Container
      """
    And 1 second passes
    And I run "kubectl describe namespaces default"
    Then the output is:
      """
      Name:         default
      Labels:       kubernetes.io/metadata.name=default
      Annotations:  <none>
      Status:       Active

      Resource Quotas
        Name:     object-counts
        Resource  Used  Hard
        --------  ---   ---
        pods      0     10

      Resource Limits
       Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
       ----       --------  ---  ---  ---------------  -------------  -----------------------
       Container  cpu       -    -    100m             100m           -
      """

  Scenario: Creating and deleting a namespace
    When I run "kubectl create -f exercises/docs/namespaces/my-namespace.yaml"
    Then the output is:
      """
      namespace/my-namespace created
      """
    When I run "kubectl create namespace my-other-namespace"
    Then the output is:
      """
      namespace/my-other-namespace created
      """
    When I try to run "kubectl create namespace My_Namespace"
    Then the command fails with:
      """
      The Namespace "My_Namespace" is invalid: metadata.name: Invalid value: "My_Namespace": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
      """
    # "This delete is asynchronous, so for a time you will see the namespace in the Terminating state."
    When I run "kubectl create deployment cattle --image=registry.k8s.io/serve_hostname -n=my-namespace"
    And 10 seconds pass
    And I run "kubectl delete namespaces my-namespace --wait=false"
    Then the output is:
      """
      namespace "my-namespace" deleted
      """
    When I run "kubectl get namespaces my-namespace"
    Then the output is:
      """
      NAME           STATUS        AGE
      my-namespace   Terminating   10s
      """
    When 1 minute passes
    And I try to run "kubectl get namespaces my-namespace"
    Then the command fails with:
      """
      Error from server (NotFound): namespaces "my-namespace" not found
      """

  Scenario: Subdividing your cluster using Kubernetes namespaces
    When I run "kubectl create -f https://k8s.io/examples/admin/namespace-dev.yaml"
    And I run "kubectl create -f https://k8s.io/examples/admin/namespace-prod.yaml"
    And I run "kubectl get namespaces --show-labels"
    Then the output contains:
      """
      development       Active   0s    kubernetes.io/metadata.name=development,name=development
      """
    And the output contains:
      """
      production        Active   0s    kubernetes.io/metadata.name=production,name=production
      """
    When I run "kubectl create deployment snowflake --image=registry.k8s.io/serve_hostname  -n=development --replicas=2"
    Then the output is:
      """
      deployment.apps/snowflake created
      """
    When 2 minutes pass
    And I run "kubectl get deployment -n=development"
    Then the output is:
      """
      NAME        READY   UP-TO-DATE   AVAILABLE   AGE
      snowflake   2/2     2            2           2m
      """
    When I run "kubectl get pods -l app=snowflake -n=development"
    Then the output is:
      """
      NAME                         READY   STATUS    RESTARTS   AGE
      snowflake-7884844885-qfprm   1/1     Running   0          2m
      snowflake-7884844885-s25ck   1/1     Running   0          2m
      """
    # "The production namespace should be empty, and the following commands should return nothing."
    When I run "kubectl get deployment -n=production"
    Then the output is:
      """
      """
    When I run "kubectl get pods -n=production"
    Then the error output is:
      """
      No resources found in production namespace.
      """
    When I run "kubectl create deployment cattle --image=registry.k8s.io/serve_hostname -n=production"
    And I run "kubectl scale deployment cattle --replicas=5 -n=production"
    Then the output is:
      """
      deployment.apps/cattle scaled
      """
    When 10 seconds pass
    And I run "kubectl get deployment -n=production"
    Then the output is:
      """
      NAME     READY   UP-TO-DATE   AVAILABLE   AGE
      cattle   5/5     5            5           10s
      """
    When 24 seconds pass
    And I run "kubectl get pods -l app=cattle -n=production"
    Then the output is:
      """
      NAME                      READY   STATUS    RESTARTS   AGE
      cattle-55b5fdb775-7d696   1/1     Running   0          34s
      cattle-55b5fdb775-892sz   1/1     Running   0          34s
      cattle-55b5fdb775-b4ns8   1/1     Running   0          34s
      cattle-55b5fdb775-vq4m4   1/1     Running   0          34s
      cattle-55b5fdb775-xscz5   1/1     Running   0          34s
      """
