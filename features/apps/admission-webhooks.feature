@epic:Apps @feature:AdmissionWebhooks
Feature: Admission webhooks a user deploys: agnhost's webhook server, as Kubernetes' e2e tests run it
  # Sources: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
  # (the configurations' fields); the webhook server is agnhost's `webhook` subcommand
  # (kubernetes/kubernetes test/images/agnhost/webhook, image registry.k8s.io/e2e-test-images/agnhost:2.53,
  # the tag of v1.32's e2e manifest), deployed as test/e2e/apimachinery/webhook.go deploys it: a
  # Deployment on port 8444 with a readiness probe on /readyz, a Service on 8443, and webhook
  # configurations pointing at its paths (/mutating-pods-sidecar, /pods, /configmaps,
  # /always-allow-delay-5s). The e2e test makes its serving certificate in Go; here a Job of
  # kube-webhook-certgen makes it and another sets the CA as the configurations' caBundle, as
  # ingress-nginx's manifest does (features/apps/ingress-nginx.feature).
  The API server calls admission webhooks for the requests their rules match: the mutating ones
  first, in the order of their configurations' names, each answering with a JSON patch the API
  server applies; then, once the object is valid, the validating ones, any of which may refuse it.
  A webhook's namespaceSelector, objectSelector and matchConditions narrow the requests it gets; its
  failurePolicy says what a call that fails (no answer within timeoutSeconds, nothing listening)
  does to the request.

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: webhook-demo
        labels:
          sample-webhook: enabled
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: webhook-certgen
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: webhook-certgen
      rules:
      - apiGroups: [""]
        resources: [secrets]
        verbs: [get, create]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: webhook-certgen
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: webhook-certgen
      subjects:
      - kind: ServiceAccount
        name: webhook-certgen
        namespace: default
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: webhook-certgen
      rules:
      - apiGroups: [admissionregistration.k8s.io]
        resources: [mutatingwebhookconfigurations, validatingwebhookconfigurations]
        verbs: [get, update]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata:
        name: webhook-certgen
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: webhook-certgen
      subjects:
      - kind: ServiceAccount
        name: webhook-certgen
        namespace: default
      ---
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: webhook-certgen-create
      spec:
        template:
          spec:
            serviceAccountName: webhook-certgen
            restartPolicy: OnFailure
            containers:
            - name: create
              image: registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.0
              args:
              - create
              - --host=e2e-test-webhook,e2e-test-webhook.default.svc
              - --namespace=default
              - --secret-name=sample-webhook-secret
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: sample-webhook-deployment
        labels:
          app: sample-webhook
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: sample-webhook
            webhook: "true"
        template:
          metadata:
            labels:
              app: sample-webhook
              webhook: "true"
          spec:
            containers:
            - name: sample-webhook
              image: registry.k8s.io/e2e-test-images/agnhost:2.53
              args:
              - webhook
              - --tls-cert-file=/webhook.local.config/certificates/cert
              - --tls-private-key-file=/webhook.local.config/certificates/key
              - --alsologtostderr
              - -v=4
              - --port=8444
              - --sidecar-image=registry.k8s.io/e2e-test-images/busybox:1.36.1-1
              ports:
              - containerPort: 8444
              readinessProbe:
                httpGet:
                  scheme: HTTPS
                  port: 8444
                  path: /readyz
                periodSeconds: 1
                successThreshold: 1
                failureThreshold: 30
              volumeMounts:
              - name: webhook-certs
                mountPath: /webhook.local.config/certificates
                readOnly: true
            volumes:
            - name: webhook-certs
              secret:
                secretName: sample-webhook-secret
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: e2e-test-webhook
        labels:
          test: webhook
      spec:
        selector:
          webhook: "true"
        ports:
        - port: 8443
          targetPort: 8444
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: MutatingWebhookConfiguration
      metadata:
        name: e2e-test-webhook
      webhooks:
      - name: adding-sidecar.k8s.io
        clientConfig:
          service:
            namespace: default
            name: e2e-test-webhook
            path: /mutating-pods-sidecar
            port: 8443
        rules:
        - operations: [CREATE]
          apiGroups: [""]
          apiVersions: [v1]
          resources: [pods]
        namespaceSelector:
          matchLabels:
            sample-webhook: enabled
        sideEffects: None
        admissionReviewVersions: [v1, v1beta1]
        reinvocationPolicy: IfNeeded
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata:
        name: e2e-test-webhook
      webhooks:
      - name: deny-unwanted-pod-container-name-and-label.k8s.io
        clientConfig:
          service:
            namespace: default
            name: e2e-test-webhook
            path: /pods
            port: 8443
        rules:
        - operations: [CREATE]
          apiGroups: [""]
          apiVersions: [v1]
          resources: [pods]
        namespaceSelector:
          matchLabels:
            sample-webhook: enabled
        sideEffects: None
        admissionReviewVersions: [v1, v1beta1]
      - name: deny-unwanted-configmap-data.k8s.io
        clientConfig:
          service:
            namespace: default
            name: e2e-test-webhook
            path: /configmaps
            port: 8443
        rules:
        - operations: [CREATE, UPDATE]
          apiGroups: [""]
          apiVersions: [v1]
          resources: [configmaps]
        namespaceSelector:
          matchLabels:
            sample-webhook: enabled
        # Not the ConfigMaps labelled skip-webhook (a CEL match condition).
        matchConditions:
        - name: not-skipped
          expression: "!has(object.metadata.labels) || !('skip-webhook' in object.metadata.labels)"
        sideEffects: None
        admissionReviewVersions: [v1, v1beta1]
      # agnhost's /always-allow-delay-5s sleeps 5 s before it allows; this webhook waits 1 s.
      - name: allow-configmap-with-delay-webhook.k8s.io
        clientConfig:
          service:
            namespace: default
            name: e2e-test-webhook
            path: /always-allow-delay-5s
            port: 8443
        rules:
        - operations: [CREATE]
          apiGroups: [""]
          apiVersions: [v1]
          resources: [configmaps]
        matchConditions:
        - name: slow-ones
          expression: "object.metadata.name.startsWith('slow')"
        timeoutSeconds: 1
        failurePolicy: Fail
        sideEffects: None
        admissionReviewVersions: [v1]
      ---
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: webhook-certgen-patch
      spec:
        template:
          spec:
            serviceAccountName: webhook-certgen
            restartPolicy: OnFailure
            containers:
            - name: patch
              image: registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.0
              args:
              - patch
              - --webhook-name=e2e-test-webhook
              - --namespace=default
              - --secret-name=sample-webhook-secret
      """
    And I run "kubectl wait --for=condition=available deployment/sample-webhook-deployment --timeout=120s"
    Then the output is:
      """
      deployment.apps/sample-webhook-deployment condition met
      """

  Scenario: The sidecar webhook adds a container to every pod created in a selected namespace
    When I run "kubectl run web --image=nginx --namespace=webhook-demo"
    Then the output is:
      """
      pod/web created
      """
    When I run "kubectl get pod web --namespace=webhook-demo -o jsonpath={.spec.containers[*].name}"
    Then the output is:
      """
      web webhook-added-sidecar
      """
    # The API server ran its own mutating plugins again after the webhook changed the pod: the
    # sidecar got the service account token's volume mount too.
    When I run "kubectl get pod web --namespace=webhook-demo -o jsonpath={.spec.containers[1].volumeMounts[0].mountPath}"
    Then the output is:
      """
      /var/run/secrets/kubernetes.io/serviceaccount
      """
    # The namespaceSelector leaves other namespaces alone.
    When I run "kubectl run plain --image=nginx"
    And I run "kubectl get pod plain -o jsonpath={.spec.containers[*].name}"
    Then the output is:
      """
      plain
      """

  Scenario: The validating webhook refuses a pod with an unwanted label, and a ConfigMap with unwanted data
    When I try to run "kubectl run bad --image=nginx --namespace=webhook-demo --labels=webhook-e2e-test=webhook-disallow"
    Then the command fails with:
      """
      Error from server: admission webhook "deny-unwanted-pod-container-name-and-label.k8s.io" denied the request: the pod contains unwanted label;
      """
    # agnhost's ConfigMap handler gives its reason and no message: kubectl prints the reason twice.
    When I try to run "kubectl create configmap bad --namespace=webhook-demo --from-literal=webhook-e2e-test=webhook-disallow"
    Then the command fails with:
      """
      error: failed to create configmap: admission webhook "deny-unwanted-configmap-data.k8s.io" denied the request: the configmap contains unwanted key and value
      """
    When I run "kubectl create configmap fine --namespace=webhook-demo --from-literal=webhook-e2e-test=fine"
    Then the output is:
      """
      configmap/fine created
      """

  Scenario: A server-side dry run goes to webhooks whose sideEffects are None
    When I try to run "kubectl run bad --image=nginx --namespace=webhook-demo --labels=webhook-e2e-test=webhook-disallow --dry-run=server"
    Then the command fails with:
      """
      Error from server: admission webhook "deny-unwanted-pod-container-name-and-label.k8s.io" denied the request: the pod contains unwanted label;
      """
    When I run "kubectl run web --image=nginx --namespace=webhook-demo --dry-run=server -o jsonpath={.spec.containers[*].name}"
    Then the output is:
      """
      web webhook-added-sidecar
      """

  Scenario: A webhook that answers after its timeoutSeconds: failurePolicy Fail refuses, Ignore admits
    When I try to run "kubectl create configmap slow-1 --from-literal=a=b"
    Then the command fails with:
      """
      error: failed to create configmap: Internal error occurred: failed calling webhook "allow-configmap-with-delay-webhook.k8s.io": failed to call webhook: Post "https://e2e-test-webhook.default.svc:8443/always-allow-delay-5s?timeout=1s": context deadline exceeded
      """
    When I run "kubectl create configmap quick --from-literal=a=b"
    Then the output is:
      """
      configmap/quick created
      """
    When I run:
      """
      kubectl patch validatingwebhookconfiguration e2e-test-webhook --type=json -p='[{"op":"replace","path":"/webhooks/2/failurePolicy","value":"Ignore"}]'
      """
    And I run "kubectl create configmap slow-2 --from-literal=a=b"
    Then the output is:
      """
      configmap/slow-2 created
      """

  Scenario: With the webhook's pod gone, its calls fail and failurePolicy Fail refuses the requests it matches
    When I run "kubectl scale deployment sample-webhook-deployment --replicas=0"
    And I run "kubectl wait --for=delete pod --selector=app=sample-webhook --timeout=60s"
    And I try to run "kubectl run web --image=nginx --namespace=webhook-demo"
    Then the command fails with:
      """
      Error from server (InternalError): Internal error occurred: failed calling webhook "adding-sidecar.k8s.io": failed to call webhook: Post "https://e2e-test-webhook.default.svc:8443/mutating-pods-sidecar?timeout=10s": dial tcp 10.105.253.216:8443: connect: connection refused
      """

  Scenario: The API server refuses a configuration whose matchCondition does not compile
    When I try to apply the manifest:
      """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata:
        name: broken
      webhooks:
      - name: broken.k8s.io
        clientConfig:
          service:
            namespace: default
            name: e2e-test-webhook
            path: /always-deny
            port: 8443
        rules:
        - operations: [CREATE]
          apiGroups: [""]
          apiVersions: [v1]
          resources: [configmaps]
        matchConditions:
        - name: uses-params
          expression: "params.enabled"
        sideEffects: None
        admissionReviewVersions: [v1]
      """
    Then the command fails with:
      """
      The ValidatingWebhookConfiguration "broken" is invalid: webhooks[0].matchConditions[0].expression: Invalid value: "params.enabled": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')
      """
