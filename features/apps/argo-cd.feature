@epic:Apps @feature:ArgoCD
Feature: Argo CD installed from its install manifest, verbatim
  # Source: https://argo-cd.readthedocs.io/en/stable/getting_started/ ("1. Install Argo CD"), the
  # page as docs/getting_started.md has it at the release v3.3.0 (tag commit
  # fd6b7d5b3cba5e7aa7ad400b0fb905a81018a77b), the first release whose guide applies the manifest
  # with `--server-side --force-conflicts`; Argo CD 3.3 is tested on Kubernetes v1.31 to v1.34. The
  # manifest's copy is exercises/apps/argo-cd/install.yaml (exercises/apps/SOURCES): 59 objects,
  # among them three CustomResourceDefinitions, six Deployments and a StatefulSet.
  A client-side `kubectl apply` keeps a copy of each object it applies in the annotation
  `kubectl.kubernetes.io/last-applied-configuration`, and an object's annotations may hold at most
  262144 bytes. The ApplicationSet CRD's schema is larger than that, so the API server refuses that
  one object. The guide's note: "The `--server-side` flag is required because some Argo CD CRDs
  (like ApplicationSet) exceed the 262KB annotation size limit imposed by client-side `kubectl
  apply`. Server-side apply avoids this limitation by not storing the `last-applied-configuration`
  annotation."

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |
    When I run "kubectl create namespace argocd"
    Then the output is:
      """
      namespace/argocd created
      """

  Scenario: A client-side apply creates all but the ApplicationSet CRD; the guide's server-side apply completes the install, and every pod runs
    # What the guide said before v3.3: a client-side apply.
    When I try to run "kubectl apply -n argocd -f https://raw.githubusercontent.com/argoproj/argo-cd/v3.3.0/manifests/install.yaml"
    Then the command fails with:
      """
      The CustomResourceDefinition "applicationsets.argoproj.io" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      """
    And the output contains:
      """
      customresourcedefinition.apiextensions.k8s.io/applications.argoproj.io created
      customresourcedefinition.apiextensions.k8s.io/appprojects.argoproj.io created
      serviceaccount/argocd-application-controller created
      """
    When I run "kubectl get crd"
    Then the output is:
      """
      NAME                       CREATED AT
      applications.argoproj.io   2024-01-08T00:00:00Z
      appprojects.argoproj.io    2024-01-08T00:00:00Z
      """
    # The pods that read REDIS_PASSWORD from the Secret argocd-redis cannot start before it exists:
    # the Redis pod's init container creates it (`argocd admin redis-initial-password`).
    # (The node pulls one image at a time: the argocd image is large.)
    When 15 seconds pass
    And I run "kubectl get pods -n argocd"
    Then the output is:
      """
      NAME                                                READY   STATUS                       RESTARTS   AGE
      argocd-application-controller-0                     0/1     CreateContainerConfigError   0          15s
      argocd-applicationset-controller-6d775dc9c4-jqx8p   1/1     Running                      0          15s
      argocd-dex-server-686c95cb95-8m575                  0/1     Init:0/1                     0          15s
      argocd-notifications-controller-f557557f7-rb99w     0/1     ContainerCreating            0          15s
      argocd-redis-768fd9c784-qkj7n                       0/1     Init:0/1                     0          15s
      argocd-repo-server-67dcff4b8c-zttd9                 0/1     Init:0/1                     0          15s
      argocd-server-d5848dd65-rvxlf                       0/1     ContainerCreating            0          15s
      """
    When I run "kubectl describe pod -n argocd argocd-application-controller-0"
    Then the output contains:
      """
      Error: secret "argocd-redis" not found
      """
    # The guide's command: the ApplicationSet CRD is created without the annotation.
    When I run "kubectl apply -n argocd --server-side --force-conflicts -f https://raw.githubusercontent.com/argoproj/argo-cd/v3.3.0/manifests/install.yaml"
    Then the output contains:
      """
      customresourcedefinition.apiextensions.k8s.io/applicationsets.argoproj.io serverside-applied
      """
    And the output contains:
      """
      statefulset.apps/argocd-application-controller serverside-applied
      """
    When I run "kubectl get crd applicationsets.argoproj.io -o jsonpath='{.metadata.annotations}'"
    Then the output is:
      """
      """
    When 90 seconds pass
    And I run "kubectl get pods -n argocd"
    Then the output is:
      """
      NAME                                                READY   STATUS    RESTARTS   AGE
      argocd-application-controller-0                     1/1     Running   0          105s
      argocd-applicationset-controller-6d775dc9c4-jqx8p   1/1     Running   0          105s
      argocd-dex-server-686c95cb95-8m575                  1/1     Running   0          105s
      argocd-notifications-controller-f557557f7-rb99w     1/1     Running   0          105s
      argocd-redis-768fd9c784-qkj7n                       1/1     Running   0          105s
      argocd-repo-server-67dcff4b8c-zttd9                 1/1     Running   0          105s
      argocd-server-d5848dd65-rvxlf                       1/1     Running   0          105s
      """
    When I run "kubectl logs -n argocd deploy/argocd-redis -c secret-init"
    Then the output is:
      """
      Checking for initial Redis password in secret argocd/argocd-redis at key auth. 
      Argo CD Redis secret state confirmed: secret name argocd-redis.
      Password secret is configured properly.
      """
    # The only failure on the way: the controller's start before the Secret existed.
    When I run "kubectl get events -n argocd --field-selector reason=Failed"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON   OBJECT                                MESSAGE
      100s        Warning   Failed   pod/argocd-application-controller-0   Error: secret "argocd-redis" not found
      """
