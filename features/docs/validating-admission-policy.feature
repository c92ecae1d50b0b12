@parity
Feature: Validating Admission Policy: CEL validations enforced at admission
  # Source: https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
  #
  # A ValidatingAdmissionPolicy holds CEL expressions; a ValidatingAdmissionPolicyBinding puts it
  # to work on the requests it selects, with validationActions Deny (the request is refused),
  # Warn (kubectl prints a warning) or Audit (an audit annotation; the simulation keeps no audit
  # log). "At least a ValidatingAdmissionPolicy and a corresponding
  # ValidatingAdmissionPolicyBinding must be defined for a policy to have an effect."
  #
  # The manifests are the page's, under exercises/docs/ at their k8s.io/examples path. Where the
  # stored copy of kubernetes/website is an older revision (admissionregistration.k8s.io/v1alpha1
  # or v1beta1, which v1.32 does not serve by default), the file is the page's current v1 text
  # (exercises/docs/README.md). The ReplicaLimit CustomResourceDefinition the parameter examples
  # need is not on the page ("The validating admission policy author is responsible for
  # providing the ReplicaLimit parameter CRD"): the scenario writes one.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A policy without a binding has no effect; bound to the test namespaces, it refuses 6 replicas
    When I run "kubectl apply -f exercises/docs/validatingadmissionpolicy/basic-example-policy.yaml"
    Then the output is:
      """
      validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com created
      """
    When I run "kubectl create namespace test-env"
    And I run "kubectl label namespace test-env environment=test"
    And I run "kubectl create deployment unbound -n test-env --image=nginx --replicas=6"
    Then the output is:
      """
      deployment.apps/unbound created
      """
    When I run "kubectl apply -f exercises/docs/validatingadmissionpolicy/basic-example-binding.yaml"
    Then the output is:
      """
      validatingadmissionpolicybinding.admissionregistration.k8s.io/demo-binding-test.example.com created
      """
    When I try to run "kubectl create deployment nginx -n test-env --image=nginx --replicas=6"
    Then the command fails with:
      """
      error: failed to create deployment: deployments.apps "nginx" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5
      """
    # kubectl's generic error printing shows the denial as Invalid (the validation's reason, by
    # default) with the resource's name; the cause has no field, so kubectl prints an empty one
    # (`is invalid: : ...`), as it does against a real cluster.
    When I try to apply the manifest:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: test-env
      spec:
        replicas: 8
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: nginx
              image: nginx
      """
    Then the command fails with:
      """
      The deployments "web" is invalid: : ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5
      """
    # The binding selects namespaces labelled environment=test: default is not one of them.
    When I run "kubectl create deployment nginx --image=nginx --replicas=6"
    Then the output is:
      """
      deployment.apps/nginx created
      """
    # An update is checked too: the policy's rules name CREATE and UPDATE.
    When I run "kubectl create deployment small -n test-env --image=nginx --replicas=2"
    When I try to run "kubectl patch deployment small -n test-env -p '{\"spec\":{\"replicas\":7}}'"
    Then the command fails with:
      """
      The deployments "small" is invalid: : ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5
      """

  Scenario: With validationActions Warn the request goes through with a warning
    When I run "kubectl apply -f exercises/docs/validatingadmissionpolicy/basic-example-policy.yaml"
    And I run "kubectl apply -f exercises/docs/validatingadmissionpolicy/basic-example-binding.yaml"
    And I run "kubectl create namespace test-env"
    And I run "kubectl label namespace test-env environment=test"
    And I run "kubectl patch validatingadmissionpolicybinding demo-binding-test.example.com --type=merge -p '{\"spec\":{\"validationActions\":[\"Warn\"]}}'"
    And I run "kubectl create deployment nginx -n test-env --image=nginx --replicas=6"
    Then the output is:
      """
      deployment.apps/nginx created
      """
    And the error output is:
      """
      Warning: Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com': failed expression: object.spec.replicas <= 5
      """
    # "Deny and Warn may not be used together".
    When I try to run "kubectl patch validatingadmissionpolicybinding demo-binding-test.example.com --type=merge -p '{\"spec\":{\"validationActions\":[\"Deny\",\"Warn\"]}}'"
    Then the command fails with:
      """
      The ValidatingAdmissionPolicyBinding "demo-binding-test.example.com" is invalid: spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)
      """
