Feature: Namespaces Walkthrough
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/namespaces-walkthrough/
  #
  # The page's manifests verbatim (exercises/docs/admin/namespace-dev.yaml, namespace-prod.yaml and
  # snowflake-deployment.yaml, as k8s.io/examples/admin/ serves them). The page's kubeconfig names its
  # cluster and user `lithe-cocoa-92103_kubernetes`; the simulated kubectl's are `kube-scenario`.
  # "The value of "cluster" and "user" fields are copied from the current context": the contexts
  # are made with this cluster's names. Copied as printed, the page's names make a context whose
  # commands fail, as they do on a real cluster.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Two namespaces, a context for each, and what each one sees
    When I run "kubectl get namespaces"
    Then the output is:
      """
      NAME              STATUS   AGE
      default           Active   0s
      kube-node-lease   Active   0s
      kube-public       Active   0s
      kube-system       Active   0s
      """
    When I run "kubectl create -f https://k8s.io/examples/admin/namespace-dev.yaml"
    Then the output is:
      """
      namespace/development created
      """
    When 6 seconds pass
    And I run "kubectl create -f https://k8s.io/examples/admin/namespace-prod.yaml"
    Then the output is:
      """
      namespace/production created
      """
    When 23 seconds pass
    And I run "kubectl get namespaces --show-labels"
    Then the output is:
      """
      NAME              STATUS   AGE   LABELS
      default           Active   29s   kubernetes.io/metadata.name=default
      development       Active   29s   kubernetes.io/metadata.name=development,name=development
      kube-node-lease   Active   29s   kubernetes.io/metadata.name=kube-node-lease
      kube-public       Active   29s   kubernetes.io/metadata.name=kube-public
      kube-system       Active   29s   kubernetes.io/metadata.name=kube-system
      production        Active   23s   kubernetes.io/metadata.name=production,name=production
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
    Then the output is:
      """
      Context "prod" created.
      """
    When I run "kubectl config view"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          insecure-skip-tls-verify: true
          server: http://127.0.0.1:6443
        name: kube-scenario
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
      kind: Config
      preferences: {}
      users:
      - name: kube-scenario
        user: {}
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
    When I run "kubectl apply -f https://k8s.io/examples/admin/snowflake-deployment.yaml"
    Then the output is:
      """
      deployment.apps/snowflake created
      """
    When 2 minutes pass
    And I run "kubectl get deployment"
    Then the output is:
      """
      NAME        READY   UP-TO-DATE   AVAILABLE   AGE
      snowflake   2/2     2            2           2m
      """
    When I run "kubectl get pods -l app=snowflake"
    Then the output is:
      """
      NAME                         READY   STATUS    RESTARTS   AGE
      snowflake-5d8dbbcd99-9pmnm   1/1     Running   0          2m
      snowflake-5d8dbbcd99-n2s77   1/1     Running   0          2m
      """
    # "The production namespace should be empty, and the following commands should return nothing."
    When I run "kubectl config use-context prod"
    And I run "kubectl get deployment"
    Then the output is:
      """
      """
    And the error output is:
      """
      No resources found in production namespace.
      """
    When I run "kubectl get pods"
    Then the error output is:
      """
      No resources found in production namespace.
      """
    When I run "kubectl create deployment cattle --image=registry.k8s.io/serve_hostname --replicas=5"
    Then the output is:
      """
      deployment.apps/cattle created
      """
    When 10 seconds pass
    And I run "kubectl get deployment"
    Then the output is:
      """
      NAME     READY   UP-TO-DATE   AVAILABLE   AGE
      cattle   5/5     5            5           10s
      """
    When 24 seconds pass
    And I run "kubectl get pods -l app=cattle"
    Then the output is:
      """
      NAME                      READY   STATUS    RESTARTS   AGE
      cattle-76476b7766-75mch   1/1     Running   0          34s
      cattle-76476b7766-m7dhv   1/1     Running   0          34s
      cattle-76476b7766-ptjpg   1/1     Running   0          34s
      cattle-76476b7766-qnszl   1/1     Running   0          34s
      cattle-76476b7766-szdxk   1/1     Running   0          34s
      """

  Scenario: A context copied with the page's own cluster and user names cannot reach a cluster
    When I run "kubectl config set-context dev --namespace=development --cluster=lithe-cocoa-92103_kubernetes --user=lithe-cocoa-92103_kubernetes"
    Then the output is:
      """
      Context "dev" created.
      """
    When I run "kubectl config use-context dev"
    And I try to run "kubectl get deployment"
    Then the command fails with:
      """
      error: auth info "lithe-cocoa-92103_kubernetes" does not exist
      """
