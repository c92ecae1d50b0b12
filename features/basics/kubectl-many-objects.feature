@epic:Basics @feature:kubectl
Feature: kubectl apply, create and delete with a directory of manifests
  # Source: https://kubernetes.io/docs/concepts/workloads/management/#recursive-operations-on-local-files
  #
  # The page's tree project/k8s/development (configmap/, deployment/, pvc/) and
  # project/k8s/namespaces, as exercises/basics/many-objects/project/k8s/ (the page shows the tree
  # and kubectl's output, not the files: see that folder's README.md). The page shows an older
  # kubectl's error for a directory without -R; v1.32 prints "error reading [DIR]: ...".
  #
  # `kubectl apply -f DIR` reads the directory's .json, .yaml and .yml files in name order;
  # `--recursive` (`-R`) its subdirectories too. kubectl v1.32 writes every object it can and
  # reports the others at the end: a file that is not valid YAML stops at its bad document, an
  # object the API server refuses is skipped, the rest is applied. Every output here was compared
  # with the real kubectl v1.32.4 (src/kubectl/testdata/many-course.yaml).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A directory of directories needs --recursive
    When I try to run "kubectl apply -f exercises/basics/many-objects/project/k8s/development"
    Then the command fails with:
      """
      error: error reading [exercises/basics/many-objects/project/k8s/development]: recognized file extensions are [.json .yaml .yml]
      """
    When I run "kubectl apply -f exercises/basics/many-objects/project/k8s/development --recursive"
    Then the output is:
      """
      configmap/my-config created
      deployment.apps/my-deployment created
      persistentvolumeclaim/my-pvc created
      """
    # Several -f, each read in turn; what did not change is `unchanged`.
    When I run "kubectl apply -f exercises/basics/many-objects/project/k8s/namespaces -f exercises/basics/many-objects/project/k8s/development --recursive"
    Then the output is:
      """
      namespace/development created
      namespace/staging created
      configmap/my-config unchanged
      deployment.apps/my-deployment unchanged
      persistentvolumeclaim/my-pvc unchanged
      """
    When I run "kubectl delete -R -f exercises/basics/many-objects/project/k8s"
    Then the output is:
      """
      configmap "my-config" deleted
      deployment.apps "my-deployment" deleted
      persistentvolumeclaim "my-pvc" deleted
      namespace "development" deleted
      namespace "staging" deleted
      """

  Scenario: One bad file does not stop the others
    # broken/ holds four files: 2-frontend.yaml's Deployment has a selector that does not match its
    # Pod labels (the API server refuses it, its Service is created); 3-backend.yaml's second
    # document is not valid YAML (its Service, the first document, is created).
    When I try to run "kubectl apply -f exercises/basics/many-objects/broken"
    Then the output is:
      """
      configmap/shop-config created
      service/frontend created
      service/backend created
      pod/worker created
      """
    And the error output is:
      """
      error parsing exercises/basics/many-objects/broken/3-backend.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context
      Error from server (Invalid): error when creating "exercises/basics/many-objects/broken/2-frontend.yaml": Deployment.apps "frontend" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"front-end"}: `selector` does not match template `labels`
      """
    And the command exits with code 1
    When I run "kubectl get deployments,services,configmaps,pods -o name"
    Then the output is:
      """
      service/backend
      service/frontend
      service/kubernetes
      configmap/kube-root-ca.crt
      configmap/shop-config
      pod/worker
      """
    # create refuses what exists; each object has its own error.
    When I try to run "kubectl create -f exercises/basics/many-objects/broken"
    Then the output is:
      """
      """
    And the error output is:
      """
      Error from server (AlreadyExists): error when creating "exercises/basics/many-objects/broken/1-config.yaml": configmaps "shop-config" already exists
      Error from server (Invalid): error when creating "exercises/basics/many-objects/broken/2-frontend.yaml": Deployment.apps "frontend" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"front-end"}: `selector` does not match template `labels`
      Error from server (AlreadyExists): error when creating "exercises/basics/many-objects/broken/2-frontend.yaml": services "frontend" already exists
      Error from server (AlreadyExists): error when creating "exercises/basics/many-objects/broken/3-backend.yaml": services "backend" already exists
      Error from server (AlreadyExists): error when creating "exercises/basics/many-objects/broken/4-worker.yaml": pods "worker" already exists
      error parsing exercises/basics/many-objects/broken/3-backend.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context
      """
    # delete deletes what exists and, with an error, returns without waiting for the Pod.
    When I try to run "kubectl delete -f exercises/basics/many-objects/broken --ignore-not-found"
    Then the output is:
      """
      configmap "shop-config" deleted
      service "frontend" deleted
      service "backend" deleted
      pod "worker" deleted
      """
    And the error output is:
      """
      error parsing exercises/basics/many-objects/broken/3-backend.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context
      """
    When I run "kubectl get pod worker"
    Then the output is:
      """
      NAME     READY   STATUS        RESTARTS   AGE
      worker   0/1     Terminating   0          0s
      """
