Feature: Server-Side Apply: field managers, conflicts and transferring ownership
  # Source: https://kubernetes.io/docs/reference/using-api/server-side-apply/
  #
  # The API server records in metadata.managedFields which manager last set each field: an `Apply`
  # entry for a server-side apply (`kubectl apply --server-side`, manager `kubectl`), an `Update`
  # entry for any other write, named after the request's fieldManager (kubectl's commands send
  # their own: `kubectl-client-side-apply`, `kubectl-label`...) or else the client's User-Agent
  # (`kubectl scale` sends none: `kubectl`, on the `scale` subresource). An apply that would change
  # a field another manager owns fails with a conflict unless forced. The manifests are the page's
  # (exercises/docs/application/ssa/).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: kubectl get shows managedFields only with --show-managed-fields
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    Then the output is:
      """
      deployment.apps/nginx-deployment serverside-applied
      """
    When I run "kubectl get deployment nginx-deployment -o yaml"
    Then the output does not contain:
      """
      managedFields
      """
    # "If the request that last changed that field was a Server-Side Apply patch then the value
    # of operation is Apply; otherwise, it is Update."
    When I run "kubectl get deployment nginx-deployment -o yaml --show-managed-fields"
    Then the output contains:
      """
        managedFields:
        - apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata:
              f:labels:
                f:app.kubernetes.io/name: {}
            f:spec:
              f:replicas: {}
              f:selector:
                f:matchLabels:
                  f:app.kubernetes.io/name: {}
              f:template:
                f:metadata:
                  f:labels:
                    f:app.kubernetes.io/name: {}
                f:spec:
                  f:containers:
                    k:{"name":"nginx"}:
                      .: {}
                      f:image: {}
                      f:name: {}
          manager: kubectl
          operation: Apply
          time: "2024-01-08T00:00:00Z"
      """

  Scenario: a field another manager changed conflicts; forcing takes it over
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    # kubectl scale writes the scale subresource: its manager owns .spec.replicas now.
    And I run "kubectl scale deployment nginx-deployment --replicas=5"
    And I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource} {.fieldsV1.f:spec}{\"\n\"}{end}'"
    Then the output is:
      """
      kubectl/Apply/ {"f:selector":{"f:matchLabels":{"f:app.kubernetes.io/name":{}}},"f:template":{"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}
      kubectl/Update/scale {"f:replicas":{}}
      """
    When I try to run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    Then the command fails with:
      """
      error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas
      Please review the fields above--they currently have other managers. Here
      are the ways you can resolve this warning:
      * If you intend to manage all of these fields, please re-run the apply
        command with the `--force-conflicts` flag.
      * If you do not intend to manage all of the fields, please edit your
        manifest to remove references to the fields that should keep their
        current managers.
      * You may co-own fields by updating your manifest to match the existing
        value; in this case, you'll become the manager if the other manager(s)
        stop managing the field (remove it from their configuration).
      See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
      """
    # "Overwrite value, become sole manager": --force-conflicts.
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side --force-conflicts"
    And I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{.spec.replicas} {.metadata.managedFields[*].manager}'"
    Then the output is:
      """
      3 kubectl
      """

  Scenario: an update by another manager takes the field it changes; the applier then conflicts with it
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    And I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"
    And I try to run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    Then the error output contains:
      """
      error: Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: .spec.template.spec.containers[name="nginx"].image
      """
    # "Don't overwrite value, become shared manager": the same value in the configuration.
    When I run:
      """
      cat <<EOF > shared.yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx-deployment
        labels:
          app.kubernetes.io/name: nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            app.kubernetes.io/name: nginx
        template:
          metadata:
            labels:
              app.kubernetes.io/name: nginx
          spec:
            containers:
            - name: nginx
              image: nginx:1.16.1
      EOF
      """
    And I run "kubectl apply -f shared.yaml --server-side"
    Then the output is:
      """
      deployment.apps/nginx-deployment serverside-applied
      """
    When I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{range .metadata.managedFields[*]}{.manager} {.fieldsV1.f:spec.f:template.f:spec.f:containers}{\"\n\"}{end}'"
    Then the output is:
      """
      kubectl {"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}
      kubectl-set {"k:{\"name\":\"nginx\"}":{"f:image":{}}}
      """

  Scenario: transferring replicas to the HorizontalPodAutoscaler: leave them in the configuration until the HPA's write conflicts
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    # The page autoscales with --min=1. The nginx Pods request no CPU, so the HPA cannot compute
    # their utilization and leaves 3 replicas alone; with --min=4 it writes the replicas at once.
    And I run "kubectl autoscale deployment nginx-deployment --cpu-percent=50 --min=4 --max=10"
    And 30 seconds pass
    And I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{.spec.replicas} {range .metadata.managedFields[*]}{.manager}/{.subresource} {end}'"
    Then the output is:
      """
      4 kubectl/ kube-controller-manager/scale 
      """
    When I try to run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    Then the error output contains:
      """
      error: Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas
      """
    # "At that point, it is safe to remove from the configuration."
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment-no-replicas.yaml --server-side"
    And I run "kubectl get deployment nginx-deployment -o jsonpath='{.spec.replicas}'"
    Then the output is:
      """
      4
      """

  Scenario: transferring replicas to the HorizontalPodAutoscaler through a private field manager
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    And I run "kubectl autoscale deployment nginx-deployment --cpu-percent=50 --min=1 --max=10"
    # The page's nginx-deployment-replicas-only.yaml, saved as it shows it.
    And I run:
      """
      cat <<EOF > nginx-deployment-replicas-only.yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx-deployment
      spec:
        replicas: 3
      EOF
      """
    And I run:
      """
      kubectl apply -f nginx-deployment-replicas-only.yaml \
        --server-side --field-manager=handover-to-hpa \
        --validate=false
      """
    Then the output is:
      """
      deployment.apps/nginx-deployment serverside-applied
      """
    # The user's configuration without replicas: handover-to-hpa still owns them, so they stay.
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment-no-replicas.yaml --server-side"
    And I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{.spec.replicas} {range .metadata.managedFields[*]}{.manager}:{.fieldsV1.f:spec.f:replicas} {end}'"
    Then the output is:
      """
      3 kubectl: handover-to-hpa:{} 
      """
    # "whenever the HPA controller sets the replicas field to a new value, the temporary field
    # manager will no longer own any fields and will be automatically deleted."
    When I run "kubectl patch hpa nginx-deployment -p '{\"spec\":{\"minReplicas\":5}}'"
    And 30 seconds pass
    And I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{.spec.replicas} {range .metadata.managedFields[*]}{.manager}/{.subresource} {end}'"
    Then the output is:
      """
      5 kubectl/ kube-controller-manager/scale 
      """

  Scenario: upgrading from client-side apply: kubectl apply --server-side takes over its fields without conflicts
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml"
    And I run "kubectl get deployment nginx-deployment --show-managed-fields -o jsonpath='{.metadata.managedFields[*].manager}'"
    Then the output is:
      """
      kubectl-client-side-apply
      """
    When I run:
      """
      cat <<EOF > upgraded.yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx-deployment
        labels:
          app.kubernetes.io/name: nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            app.kubernetes.io/name: nginx
        template:
          metadata:
            labels:
              app.kubernetes.io/name: nginx
          spec:
            containers:
            - name: nginx
              image: nginx:1.16.1
      EOF
      """
    And I run "kubectl apply -f upgraded.yaml --server-side"
    Then the output is:
      """
      deployment.apps/nginx-deployment serverside-applied
      """
    When I run "kubectl get deployment nginx-deployment -o jsonpath='{.spec.template.spec.containers[0].image}'"
    Then the output is:
      """
      nginx:1.16.1
      """

  Scenario: upgrading from client-side apply conflicts on a field kubectl scale changed after it
    # "if you used kubectl scale to update the replicas field after client-side apply, then this
    # field is not owned by client-side apply and creates conflicts on kubectl apply --server-side."
    When I run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml"
    And I run "kubectl scale deployment nginx-deployment --replicas=5"
    And I try to run "kubectl apply -f https://k8s.io/examples/application/ssa/nginx-deployment.yaml --server-side"
    Then the error output contains:
      """
      error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas
      """
