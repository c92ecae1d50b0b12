@epic:Apps @feature:Kyverno
Feature: Kyverno, the policy engine, installed from its release manifest and enforcing its quick start's policies
  # Sources: https://kyverno.io/docs/installation/ (v1.14: the compatibility matrix, 1.14.x for
  # Kubernetes 1.29 to 1.32; "kubectl create -f" of the release's install.yaml) and
  # https://kyverno.io/docs/introduction/quick-start/ (the Quick Start Guides at release-1-14-0:
  # validate `require-labels`, mutate `add-labels`, generate `sync-secrets`). install.yaml is v1.14.5's
  # release asset (exercises/apps/kyverno, rebuilt by scripts/kyverno-release.sh from the tag's chart
  # rendering); the images' programs follow the tag's source (src/images/programs/kyverno/). The
  # denial's text is the source's (pkg/webhooks/utils/block.go, pkg/engine/handlers/validation):
  # "rule autogen-check-team failed at path …" where the page, written for an older release, prints
  # "Rule"; go-yaml v2 folds the quoted message once a line passes 80 columns.
  Kyverno runs as an admission webhook: its admission controller registers webhook configurations
  for the kinds its policies match and answers the API server's AdmissionReviews, denying what an
  Enforce rule refuses and patching what a mutate rule changes.

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |

  Scenario: kubectl apply cannot install it: two CRDs exceed the last-applied annotation's limit
    # The docs install it with `kubectl create`: client-side apply stores the whole object in the
    # kubectl.kubernetes.io/last-applied-configuration annotation, and the ClusterPolicy and Policy
    # CRDs are larger than the 262,144 bytes an object's annotations may hold.
    When I try to run "kubectl apply -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    Then the command fails with:
      """
      Error from server (Invalid): error when creating "https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml": CustomResourceDefinition.apiextensions.k8s.io "clusterpolicies.kyverno.io" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      Error from server (Invalid): error when creating "https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml": CustomResourceDefinition.apiextensions.k8s.io "policies.kyverno.io" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      """

  Scenario: The install runs four controllers and registers Kyverno's webhook configurations
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I run "kubectl get pods -n kyverno"
    Then the output is:
      """
      NAME                                             READY   STATUS    RESTARTS   AGE
      kyverno-admission-controller-8ddcdbc9d-k9b7q     1/1     Running   0          60s
      kyverno-background-controller-7c788cbdcb-crxzb   1/1     Running   0          60s
      kyverno-cleanup-controller-5586f45546-p5rwd      1/1     Running   0          60s
      kyverno-reports-controller-77cf7ff8b8-c68tk      1/1     Running   0          60s
      """
    # The resource webhooks have no rules until a policy asks for some.
    When I run "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations"
    Then the output is:
      """
      NAME                                                                                                        WEBHOOKS   AGE
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-cel-exception-validating-webhook-cfg    1          51s
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-cleanup-validating-webhook-cfg          1          55s
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-exception-validating-webhook-cfg        1          51s
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-global-context-validating-webhook-cfg   1          51s
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-policy-validating-webhook-cfg           1          51s
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-resource-validating-webhook-cfg         0          51s
      validatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-ttl-validating-webhook-cfg              1          55s

      NAME                                                                                              WEBHOOKS   AGE
      mutatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-policy-mutating-webhook-cfg     1          51s
      mutatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-resource-mutating-webhook-cfg   0          51s
      mutatingwebhookconfiguration.admissionregistration.k8s.io/kyverno-verify-mutating-webhook-cfg     1          51s
      """

  Scenario: Validate Resources: require-labels blocks a Deployment whose Pods lack the team label
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I run "kubectl create -f exercises/apps/kyverno/require-labels.yaml"
    Then the output is:
      """
      clusterpolicy.kyverno.io/require-labels created
      """
    When 2 seconds pass
    And I run "kubectl get clusterpolicy"
    Then the output is:
      """
      NAME             ADMISSION   BACKGROUND   READY   AGE   MESSAGE
      require-labels   true        true         True    2s    Ready
      """
    # The policy matches Pods; its rule auto-generation covers the Pod controllers, so the
    # Deployment itself is refused.
    When I try to run "kubectl create deployment nginx --image=nginx"
    Then the command fails with:
      """
      error: failed to create deployment: admission webhook "validate.kyverno.svc-fail" denied the request: 

      resource Deployment/default/nginx was blocked due to the following policies 

      require-labels:
        autogen-check-team: 'validation error: label ''team'' is required. rule autogen-check-team
          failed at path /spec/template/metadata/labels/team/'
      """
    When I run "kubectl run nginx --image nginx --labels team=backend"
    Then the output is:
      """
      pod/nginx created
      """
    When I try to run "kubectl run nginx2 --image nginx"
    Then the command fails with:
      """
      Error from server: admission webhook "validate.kyverno.svc-fail" denied the request: 

      resource Pod/default/nginx2 was blocked due to the following policies 

      require-labels:
        check-team: 'validation error: label ''team'' is required. rule check-team failed
          at path /metadata/labels/team/'
      """
    When I run "kubectl delete clusterpolicy require-labels"
    Then the output is:
      """
      clusterpolicy.kyverno.io "require-labels" deleted
      """
    When I run "kubectl create deployment nginx --image=nginx"
    Then the output is:
      """
      deployment.apps/nginx created
      """

  Scenario: Mutate Resources: add-labels gives a new Pod the team label unless it has one
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I run "kubectl create -f exercises/apps/kyverno/add-labels.yaml"
    Then the output is:
      """
      clusterpolicy.kyverno.io/add-labels created
      """
    When I run "kubectl run redis --image redis"
    And I run "kubectl get pod redis --show-labels"
    Then the output is:
      """
      NAME    READY   STATUS              RESTARTS   AGE   LABELS
      redis   0/1     ContainerCreating   0          0s    run=redis,team=bravo
      """
    When I run "kubectl run newredis --image redis -l team=alpha"
    And I run "kubectl get pod newredis --show-labels"
    Then the output is:
      """
      NAME       READY   STATUS              RESTARTS   AGE   LABELS
      newredis   0/1     ContainerCreating   0          0s    team=alpha
      """

  Scenario: Generate Resources: sync-secrets clones the image pull secret into a new Namespace
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I run "kubectl -n default create secret docker-registry regcred --docker-server=myinternalreg.corp.com --docker-username=john.doe --docker-password=Passw0rd123! --docker-email=john.doe@corp.com"
    Then the output is:
      """
      secret/regcred created
      """
    # The background controller may not touch Secrets until ClusterRoles aggregated into its own say so.
    When I apply the manifest:
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: kyverno:secrets:view
        labels:
          rbac.kyverno.io/aggregate-to-admission-controller: "true"
          rbac.kyverno.io/aggregate-to-reports-controller: "true"
          rbac.kyverno.io/aggregate-to-background-controller: "true"
      rules:
      - apiGroups:
        - ''
        resources:
        - secrets
        verbs:
        - get
        - list
        - watch
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: kyverno:secrets:manage
        labels:
          rbac.kyverno.io/aggregate-to-background-controller: "true"
      rules:
      - apiGroups:
        - ''
        resources:
        - secrets
        verbs:
        - create
        - update
        - delete
      """
    And I run "kubectl create -f exercises/apps/kyverno/sync-secrets.yaml"
    Then the output is:
      """
      clusterpolicy.kyverno.io/sync-secrets created
      """
    # The Namespace's creation reaches the validating webhook, which records an UpdateRequest; the
    # background controller clones the Secret and deletes the request.
    When I run "kubectl create ns mytestns"
    And 1 second passes
    And I run "kubectl -n mytestns get secret"
    Then the output is:
      """
      NAME      TYPE                             DATA   AGE
      regcred   kubernetes.io/dockerconfigjson   1      1s
      """
    # The copy says where it came from and which policy and trigger made it (common.ManageLabels).
    When I run "kubectl -n mytestns get secret regcred -o jsonpath={.metadata.labels}"
    Then the output is:
      """
      {"app.kubernetes.io/managed-by":"kyverno","generate.kyverno.io/clone-source":"","generate.kyverno.io/policy-name":"sync-secrets","generate.kyverno.io/policy-namespace":"","generate.kyverno.io/rule-name":"sync-image-pull-secret","generate.kyverno.io/source-group":"","generate.kyverno.io/source-kind":"Secret","generate.kyverno.io/source-namespace":"default","generate.kyverno.io/source-uid":"4347803c-a337-486c-99b7-ca28a86dbc5b","generate.kyverno.io/source-version":"v1","generate.kyverno.io/trigger-group":"","generate.kyverno.io/trigger-kind":"Namespace","generate.kyverno.io/trigger-namespace":"","generate.kyverno.io/trigger-uid":"893a5d7f-0840-432f-b74d-8d9c547c2d10","generate.kyverno.io/trigger-version":"v1"}
      """
    When I run "kubectl delete clusterpolicy sync-secrets"
    Then the output is:
      """
      clusterpolicy.kyverno.io "sync-secrets" deleted
      """

  Scenario: A policy using what the model does not evaluate is refused, not let through
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I try to apply the manifest:
      """
      apiVersion: kyverno.io/v1
      kind: ClusterPolicy
      metadata:
        name: deny-privileged
      spec:
        rules:
        - name: no-privileged
          match:
            any:
            - resources:
                kinds:
                - Pod
          validate:
            failureAction: Enforce
            message: "privileged containers are not allowed"
            deny:
              conditions:
                any:
                - key: "{{ request.object.spec.containers[].securityContext.privileged }}"
                  operator: AnyIn
                  value: [true]
      """
    # docs/divergences.md ("Kyverno"): the engine does not evaluate deny conditions or JMESPath.
    Then the command fails with:
      """
      admission webhook "validate-policy.kyverno.svc" denied the request: kube-scenario's Kyverno model does not evaluate spec.rules[0].validate.deny (docs/divergences.md); refusing the policy rather than letting it pass unchecked
      """

  Scenario: Validate Resources: the policy report says the labelled Pod passed
    # https://kyverno.io/docs/introduction/quick-start/ ("Validate Resources"): after the Pod with
    # the team label is created, `kubectl get policyreport -o wide` lists the report Kyverno made for
    # it. The admission controller writes an EphemeralReport of the request's results; the reports
    # controller adopts it (10 seconds after it changes) and merges it into the PolicyReport named by
    # the Pod's uid (pkg/controllers/report/aggregate).
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I run "kubectl create -f exercises/apps/kyverno/require-labels.yaml"
    And 2 seconds pass
    And I try to run "kubectl create deployment nginx --image=nginx"
    Then the command fails with:
      """
      error: failed to create deployment: admission webhook "validate.kyverno.svc-fail" denied the request: 

      resource Deployment/default/nginx was blocked due to the following policies 

      require-labels:
        autogen-check-team: 'validation error: label ''team'' is required. rule autogen-check-team
          failed at path /spec/template/metadata/labels/team/'
      """
    When I run "kubectl run nginx --image nginx --labels team=backend"
    And 25 seconds pass
    And I run "kubectl get policyreport -o wide"
    Then the output is:
      """
      NAME                                   KIND   NAME    PASS   FAIL   WARN   ERROR   SKIP   AGE
      0f20b7ec-5bc1-4c42-811e-1583f509407f   Pod    nginx   1      0      0      0       0      5s
      """
    When I run "kubectl get policyreport -o jsonpath={.items[0].results}"
    Then the output is:
      """
      [{"message":"validation rule 'check-team' passed.","policy":"require-labels","properties":{"process":"background scan"},"result":"pass","rule":"check-team","scored":true,"source":"kyverno","timestamp":{"nanos":0,"seconds":1704672062}}]
      """
    # Kyverno's Events (pkg/event): the refused Deployment is recorded on the policy, "(blocked)";
    # policy Events live in the default namespace. The others come from the background scan, which
    # ran when the policy became ready: the release runs the reports controller with
    # --skipResourceFilters=true, so the ConfigMap's filters do not spare Kyverno's own Deployments,
    # ReplicaSets and Pods, which have no team label either.
    When I run "kubectl get events --field-selector reason=PolicyViolation"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON            OBJECT                         MESSAGE
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Deployment kyverno/kyverno-admission-controller: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Deployment kyverno/kyverno-background-controller: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Deployment kyverno/kyverno-cleanup-controller: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Deployment kyverno/kyverno-reports-controller: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Pod kyverno/kyverno-admission-controller-8ddcdbc9d-k9b7q: [check-team] fail; validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Pod kyverno/kyverno-background-controller-7c788cbdcb-crxzb: [check-team] fail; validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Pod kyverno/kyverno-cleanup-controller-5586f45546-p5rwd: [check-team] fail; validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   Pod kyverno/kyverno-reports-controller-77cf7ff8b8-c68tk: [check-team] fail; validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   ReplicaSet kyverno/kyverno-admission-controller-8ddcdbc9d: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   ReplicaSet kyverno/kyverno-background-controller-7c788cbdcb: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   ReplicaSet kyverno/kyverno-cleanup-controller-5586f45546: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      27s         Warning   PolicyViolation   clusterpolicy/require-labels   ReplicaSet kyverno/kyverno-reports-controller-77cf7ff8b8: [autogen-check-team] fail; validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      25s         Warning   PolicyViolation   clusterpolicy/require-labels   Deployment default/nginx: [autogen-check-team] fail (blocked); validation error: label 'team' is required. rule autogen-check-team failed at path /spec/template/metadata/labels/team/
      """

  Scenario: Background scan: a Pod created before the policy is reported as failing it, with Events
    # https://kyverno.io/docs/policy-reports/ ("Policy reports are created based on two different
    # triggers: an admission event ... or the result of a background scan discovering existing
    # resources") and https://kyverno.io/docs/policy-types/cluster-policy/background/: with
    # `background: true` (the default) the reports controller evaluates existing resources when a
    # policy changes and every --backgroundScanInterval (1h).
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I run "kubectl run nginx2 --image nginx"
    And I run "kubectl create -f exercises/apps/kyverno/require-labels.yaml"
    And 15 seconds pass
    And I run "kubectl get policyreport -o wide"
    Then the output is:
      """
      NAME                                   KIND   NAME     PASS   FAIL   WARN   ERROR   SKIP   AGE
      ffbe5b32-10da-4c08-bf20-6ddd58c937b2   Pod    nginx2   0      1      0      0       0      5s
      """
    When I run "kubectl get events --field-selector involvedObject.name=nginx2,reason=PolicyViolation"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON            OBJECT       MESSAGE
      15s         Warning   PolicyViolation   pod/nginx2   policy require-labels/check-team fail: validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/
      """
    # Labelling the Pod changes it: the scan runs again 30 seconds later and the report follows.
    When I run "kubectl label pod nginx2 team=frontend"
    And 45 seconds pass
    And I run "kubectl get policyreport -o wide"
    Then the output is:
      """
      NAME                                   KIND   NAME     PASS   FAIL   WARN   ERROR   SKIP   AGE
      ffbe5b32-10da-4c08-bf20-6ddd58c937b2   Pod    nginx2   1      0      0      0       0      50s
      """
    # Deleting the policy empties the report, which is then deleted.
    When I run "kubectl delete clusterpolicy require-labels"
    And 15 seconds pass
    And I run "kubectl get policyreport"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Generate Resources: a generate rule the background controller may not carry out is refused
    # https://kyverno.io/docs/introduction/quick-start/ ("Generate Resources"): Kyverno needs
    # permission to manage Secrets first. Without the ClusterRoles the page adds, the policy webhook's
    # checks (pkg/validation/policy/actions.go, pkg/policy/generate: a SubjectAccessReview per verb
    # for the admission controller, `list,get` with synchronize, and for the background controller,
    # `get,create,update,delete`) refuse the policy, naming what is missing.
    When I run "kubectl create -f https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml"
    And 60 seconds pass
    And I try to run "kubectl create -f exercises/apps/kyverno/sync-secrets.yaml"
    Then the command fails with:
      """
      Error from server: error when creating "exercises/apps/kyverno/sync-secrets.yaml": admission webhook "validate-policy.kyverno.svc" denied the request: path: spec.rules[0].generate..: system:serviceaccount:kyverno:kyverno-admission-controller requires permissions list,get for resource v1/Secret in namespace {{request.object.metadata.name}}
      """
    # With the page's first ClusterRole only (reading Secrets), the background controller still may
    # not write them: the checks name the verbs it lacks.
    When I apply the manifest:
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: kyverno:secrets:view
        labels:
          rbac.kyverno.io/aggregate-to-admission-controller: "true"
          rbac.kyverno.io/aggregate-to-reports-controller: "true"
          rbac.kyverno.io/aggregate-to-background-controller: "true"
      rules:
      - apiGroups:
        - ''
        resources:
        - secrets
        verbs:
        - get
        - list
        - watch
      """
    And 1 second passes
    And I try to run "kubectl create -f exercises/apps/kyverno/sync-secrets.yaml"
    Then the command fails with:
      """
      Error from server: error when creating "exercises/apps/kyverno/sync-secrets.yaml": admission webhook "validate-policy.kyverno.svc" denied the request: path: spec.rules[0].generate..: system:serviceaccount:kyverno:kyverno-background-controller requires permissions create,update,delete for resource v1/Secret in namespace {{request.object.metadata.name}}
      """
