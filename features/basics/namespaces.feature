@epic:Basics @feature:Namespaces
Feature: Working in a namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/namespaces-walkthrough/
  # Source: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#setting-the-namespace-preference
  kubectl's contexts say which namespace commands work in. After `kubectl config use-context` or
  `kubectl config set-context --current --namespace=...`, kubectl commands and the steps that name
  no namespace work there; a step can always name one with `in namespace "..."`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And the image "registry.k8s.io/serve_hostname" behaves as:
      """yaml
      ports: [9376]
      """

  Scenario: A context per team: development and production see only their own pods
    When I run "kubectl create -f exercises/basics/namespaces/namespace-dev.json"
    Then the output is:
      """
      namespace/development created
      """
    When I run "kubectl create -f exercises/basics/namespaces/namespace-prod.json"
    And 29 seconds pass
    And I run "kubectl get namespaces --show-labels"
    Then the output contains:
      """
      development       Active   29s   kubernetes.io/metadata.name=development,name=development
      """
    When I run "kubectl config current-context"
    Then the output is:
      """
      kube-scenario
      """
    When I run "kubectl config set-context dev --namespace=development --cluster=kube-scenario --user=kube-scenario"
    Then the output is:
      """
      Context "dev" created.
      """
    When I run "kubectl config set-context prod --namespace=production --cluster=kube-scenario --user=kube-scenario"
    And I run "kubectl config view"
    Then the output contains:
      """
      contexts:
      - context:
          cluster: kube-scenario
          namespace: development
          user: kube-scenario
        name: dev
      - context:
          cluster: kube-scenario
          namespace: default
          user: kube-scenario
        name: kube-scenario
      - context:
          cluster: kube-scenario
          namespace: production
          user: kube-scenario
        name: prod
      current-context: kube-scenario
      """
    When I run "kubectl config use-context dev"
    Then the output is:
      """
      Switched to context "dev".
      """
    When I run "kubectl config current-context"
    Then the output is:
      """
      dev
      """
    When I run "kubectl apply -f exercises/basics/namespaces/snowflake-deployment.yaml" and 1 minute passes
    Then deployment "snowflake" has 2 available replicas
    And deployment "snowflake" in namespace "development" matches:
      """yaml
      status: {readyReplicas: 2}
      """
    When I run "kubectl get deployment"
    Then the output is:
      """
      NAME        READY   UP-TO-DATE   AVAILABLE   AGE
      snowflake   2/2     2            2           60s
      """
    When I run "kubectl config use-context prod"
    And I run "kubectl get deployment"
    Then the error output is:
      """
      No resources found in production namespace.
      """
    When I run "kubectl get deployment -n development"
    Then the output contains:
      """
      snowflake   2/2     2            2           60s
      """

  Scenario: The current context's namespace is where pods are created and where the steps look
    When I run "kubectl create namespace team-a"
    And I run "kubectl config set-context --current --namespace=team-a"
    Then the output is:
      """
      Context "kube-scenario" modified.
      """
    When I run "kubectl config view --minify -o jsonpath={..namespace}"
    Then the output is:
      """
      team-a
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: worker
      spec:
        containers:
        - name: app
          image: registry.k8s.io/serve_hostname
      """
    And 30 seconds pass
    Then pod "worker" is Running
    And pod "worker" in namespace "team-a" is Running
    And container "app" of pod "worker" in namespace "team-a" is running
    And pod "worker" in namespace "team-a" has restarted 0 times
    And pod "worker" has QoS class "BestEffort"
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME     READY   STATUS    RESTARTS   AGE
      worker   1/1     Running   0          30s
      """
    When I run "kubectl get pods -n default"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Deleting a namespace deletes everything in it; until then it is Terminating
    # Source: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace
    # "This deletes everything under the namespace! This delete is asynchronous, so for a time you
    # will see the namespace in the Terminating state."
    When I run "kubectl create namespace shop"
    And I run "kubectl create deployment sleeper --image=busybox --replicas=2 -n shop -- sleep 3600"
    And 10 seconds pass
    And I run "kubectl delete namespace shop --wait=false"
    Then the output is:
      """
      namespace "shop" deleted
      """
    When I run "kubectl get namespace shop"
    Then the output is:
      """
      NAME   STATUS        AGE
      shop   Terminating   10s
      """
    When I run "kubectl get deployments -n shop"
    Then the error output is:
      """
      No resources found in shop namespace.
      """
    # sleep does not stop on SIGTERM: the pods go when their 30 s grace period ends, then the namespace.
    When 35 seconds pass
    And I try to run "kubectl get namespace shop"
    Then the command fails with:
      """
      Error from server (NotFound): namespaces "shop" not found
      """
