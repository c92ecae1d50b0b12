@epic:Apps @feature:CertManager
Feature: cert-manager installed from its release manifest, issuing real certificates
  # Sources: https://cert-manager.io/docs/installation/kubectl/ and
  # https://cert-manager.io/docs/installation/verify/ ("Verifying the Installation": its
  # test-resources.yaml, verbatim; cert-manager/website content/docs/installation/verify.md at
  # 0159ae7d17aa703283b10d3136a7cd1f9cb5c010); the release asset
  # https://github.com/cert-manager/cert-manager/releases/download/v1.16.1/cert-manager.yaml, copied
  # verbatim into exercises/apps/cert-manager/cert-manager.yaml (exercises/apps/SOURCES).
  cert-manager adds certificates to Kubernetes as API objects. Its release manifest installs six
  CustomResourceDefinitions (Certificate, CertificateRequest, Issuer, ClusterIssuer, and ACME's Order
  and Challenge), RBAC, and three Deployments in the namespace `cert-manager`: the controller, which
  issues certificates; the webhook, which the API server asks about every cert-manager object before
  storing it; and the cainjector, which copies CA certificates into webhook configurations. The
  webhook serves TLS with a CA it creates itself, in the Secret `cert-manager-webhook-ca`; the API
  server trusts it once the cainjector has copied that CA into the webhook configurations'
  `caBundle`. Until the webhook is ready, the API server cannot create any cert-manager object.

  Background:
    Given a cluster with nodes:
      | name         | cpu | memory |
      | kind-worker  | 4   | 8Gi    |
      | kind-worker2 | 4   | 8Gi    |
    When I run "kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/v1.16.1/cert-manager.yaml"
    Then the output is:
      """
      namespace/cert-manager created
      customresourcedefinition.apiextensions.k8s.io/certificaterequests.cert-manager.io created
      customresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io created
      customresourcedefinition.apiextensions.k8s.io/challenges.acme.cert-manager.io created
      customresourcedefinition.apiextensions.k8s.io/clusterissuers.cert-manager.io created
      customresourcedefinition.apiextensions.k8s.io/issuers.cert-manager.io created
      customresourcedefinition.apiextensions.k8s.io/orders.acme.cert-manager.io created
      serviceaccount/cert-manager-cainjector created
      serviceaccount/cert-manager created
      serviceaccount/cert-manager-webhook created
      clusterrole.rbac.authorization.k8s.io/cert-manager-cainjector created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-issuers created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-clusterissuers created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-certificates created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-orders created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-challenges created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-ingress-shim created
      clusterrole.rbac.authorization.k8s.io/cert-manager-cluster-view created
      clusterrole.rbac.authorization.k8s.io/cert-manager-view created
      clusterrole.rbac.authorization.k8s.io/cert-manager-edit created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-approve:cert-manager-io created
      clusterrole.rbac.authorization.k8s.io/cert-manager-controller-certificatesigningrequests created
      clusterrole.rbac.authorization.k8s.io/cert-manager-webhook:subjectaccessreviews created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-cainjector created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-issuers created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-clusterissuers created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-certificates created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-orders created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-challenges created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-ingress-shim created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-approve:cert-manager-io created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-controller-certificatesigningrequests created
      clusterrolebinding.rbac.authorization.k8s.io/cert-manager-webhook:subjectaccessreviews created
      role.rbac.authorization.k8s.io/cert-manager-cainjector:leaderelection created
      role.rbac.authorization.k8s.io/cert-manager:leaderelection created
      role.rbac.authorization.k8s.io/cert-manager-tokenrequest created
      role.rbac.authorization.k8s.io/cert-manager-webhook:dynamic-serving created
      rolebinding.rbac.authorization.k8s.io/cert-manager-cainjector:leaderelection created
      rolebinding.rbac.authorization.k8s.io/cert-manager:leaderelection created
      rolebinding.rbac.authorization.k8s.io/cert-manager-cert-manager-tokenrequest created
      rolebinding.rbac.authorization.k8s.io/cert-manager-webhook:dynamic-serving created
      service/cert-manager-cainjector created
      service/cert-manager created
      service/cert-manager-webhook created
      deployment.apps/cert-manager-cainjector created
      deployment.apps/cert-manager created
      deployment.apps/cert-manager-webhook created
      mutatingwebhookconfiguration.admissionregistration.k8s.io/cert-manager-webhook created
      validatingwebhookconfiguration.admissionregistration.k8s.io/cert-manager-webhook created
      """

  Scenario: The three components start; until the webhook serves, no cert-manager object can be created
    When I run "kubectl get pods --namespace cert-manager"
    Then the output is:
      """
      NAME                                       READY   STATUS              RESTARTS   AGE
      cert-manager-8577b987c4-drqq5              0/1     ContainerCreating   0          0s
      cert-manager-cainjector-7ff8cdddc5-hp57x   0/1     ContainerCreating   0          0s
      cert-manager-webhook-7f48f7766-q74cl       0/1     ContainerCreating   0          0s
      """
    # The validating webhook's failurePolicy is Fail: with nothing listening behind its Service, the
    # API server refuses the Issuer (the Namespace, not a cert-manager object, is created).
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Namespace
      metadata:
        name: cert-manager-test
      ---
      apiVersion: cert-manager.io/v1
      kind: Issuer
      metadata:
        name: test-selfsigned
        namespace: cert-manager-test
      spec:
        selfSigned: {}
      """
    Then the output is:
      """
      namespace/cert-manager-test created
      """
    And the error output is:
      """
      Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s": dial tcp 10.97.186.35:443: connect: connection refused
      """
    When I run "kubectl wait --for=condition=Available --timeout=300s -n cert-manager deployment --all"
    Then the output is:
      """
      deployment.apps/cert-manager condition met
      deployment.apps/cert-manager-cainjector condition met
      deployment.apps/cert-manager-webhook condition met
      """
    When I run "kubectl get pods --namespace cert-manager"
    Then the output is:
      """
      NAME                                       READY   STATUS    RESTARTS   AGE
      cert-manager-8577b987c4-drqq5              1/1     Running   0          7s
      cert-manager-cainjector-7ff8cdddc5-hp57x   1/1     Running   0          7s
      cert-manager-webhook-7f48f7766-q74cl       1/1     Running   0          7s
      """
    # The webhook made its CA at start (ECDSA P-384, CN=cert-manager-webhook-ca, a year), and the
    # cainjector copied its ca.crt into both webhook configurations, which name the Secret in their
    # annotation cert-manager.io/inject-ca-from-secret.
    When I run "kubectl get secret cert-manager-webhook-ca --namespace cert-manager"
    Then the output is:
      """
      NAME                      TYPE                DATA   AGE
      cert-manager-webhook-ca   kubernetes.io/tls   3      5s
      """
    When I run "kubectl get secret cert-manager-webhook-ca --namespace cert-manager -o jsonpath={.metadata.annotations}"
    Then the output is:
      """
      {"cert-manager.io/allow-direct-injection":"true"}
      """
    When I run "kubectl get validatingwebhookconfiguration cert-manager-webhook -o jsonpath={.webhooks[0].clientConfig.caBundle}"
    Then the output contains:
      """
      LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ3VENDQVVlZ0F3SUJBZ0lRSUhqMkdVZEN6TEdLejlNdnBNT28vVEFLQmdncWhrak9QUVFEQXpBaU1TQXcK
      """
    When I run "kubectl get mutatingwebhookconfiguration cert-manager-webhook -o jsonpath={.webhooks[0].clientConfig.caBundle}"
    Then the output contains:
      """
      LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ3VENDQVVlZ0F3SUJBZ0lRSUhqMkdVZEN6TEdLejlNdnBNT28vVEFLQmdncWhrak9QUVFEQXpBaU1TQXcK
      """

  Scenario: Verifying the installation: the test Issuer issues a self-signed certificate
    When I run "kubectl wait --for=condition=Available --timeout=300s -n cert-manager deployment --all"
    # The page's test-resources.yaml.
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Namespace
      metadata:
        name: cert-manager-test
      ---
      apiVersion: cert-manager.io/v1
      kind: Issuer
      metadata:
        name: test-selfsigned
        namespace: cert-manager-test
      spec:
        selfSigned: {}
      ---
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata:
        name: selfsigned-cert
        namespace: cert-manager-test
      spec:
        dnsNames:
          - example.com
        secretName: selfsigned-cert-tls
        issuerRef:
          name: test-selfsigned
      """
    Then the output is:
      """
      namespace/cert-manager-test created
      issuer.cert-manager.io/test-selfsigned created
      certificate.cert-manager.io/selfsigned-cert created
      """
    # The CertificateRequest's REQUESTER is who created it, as the cert-manager webhook read it
    # from the AdmissionReview's userInfo: cert-manager's controller, by its service account.
    When 3 seconds pass
    And I run "kubectl get issuer,certificate,certificaterequest --namespace cert-manager-test"
    Then the output is:
      """
      NAME                                     READY   AGE
      issuer.cert-manager.io/test-selfsigned   True    3s

      NAME                                          READY   SECRET                AGE
      certificate.cert-manager.io/selfsigned-cert   True    selfsigned-cert-tls   3s

      NAME                                                   APPROVED   DENIED   READY   ISSUER            REQUESTER                                         AGE
      certificaterequest.cert-manager.io/selfsigned-cert-1   True                True    test-selfsigned   system:serviceaccount:cert-manager:cert-manager   3s
      """
    # The Certificate is Ready: valid 90 days (the default duration), renewed a third of that before
    # it expires. Each of cert-manager's controllers records what it did: the trigger saw no Secret, the key
    # manager stored a new private key in a temporary Secret, the request manager asked for a
    # certificate with a CertificateRequest signed by that key, and the issuing controller wrote the
    # Secret once the request was signed.
    When I run "kubectl describe certificate --namespace cert-manager-test"
    Then the output contains:
      """
      Spec:
        Dns Names:
          example.com
        Issuer Ref:
          Name:       test-selfsigned
        Secret Name:  selfsigned-cert-tls
      Status:
        Conditions:
          Last Transition Time:  2024-01-08T00:00:07Z
          Message:               Certificate is up to date and has not expired
          Observed Generation:   1
          Reason:                Ready
          Status:                True
          Type:                  Ready
        Not After:               2024-04-07T00:00:07Z
        Not Before:              2024-01-08T00:00:07Z
        Renewal Time:            2024-03-08T00:00:07Z
        Revision:                1
      Events:
        Type    Reason     Age   From                                       Message
        ----    ------     ----  ----                                       -------
        Normal  Issuing    3s    cert-manager-certificates-trigger          Issuing certificate as Secret does not exist
        Normal  Generated  3s    cert-manager-certificates-key-manager      Stored new private key in temporary Secret resource "selfsigned-cert-zw8mq"
        Normal  Requested  3s    cert-manager-certificates-request-manager  Created new CertificateRequest resource "selfsigned-cert-1"
        Normal  Issuing    3s    cert-manager-certificates-issuing          The certificate has been successfully issued
      """
    # Every issuer type's controller waits for the approval; the approver approves requests for
    # cert-manager's own issuers; the SelfSigned issuer signs the request with its own key, warning
    # that a certificate without a subject has an empty issuer name (give it spec.subject or a
    # commonName to avoid that).
    When I run "kubectl describe certificaterequest selfsigned-cert-1 --namespace cert-manager-test"
    Then the output contains:
      """
      Events:
        Type     Reason              Age   From                                                Message
        ----     ------              ----  ----                                                -------
        Normal   WaitingForApproval  3s    cert-manager-certificaterequests-issuer-acme        Not signing CertificateRequest until it is Approved
        Normal   WaitingForApproval  3s    cert-manager-certificaterequests-issuer-ca          Not signing CertificateRequest until it is Approved
        Normal   WaitingForApproval  3s    cert-manager-certificaterequests-issuer-selfsigned  Not signing CertificateRequest until it is Approved
        Normal   WaitingForApproval  3s    cert-manager-certificaterequests-issuer-vault       Not signing CertificateRequest until it is Approved
        Normal   WaitingForApproval  3s    cert-manager-certificaterequests-issuer-venafi      Not signing CertificateRequest until it is Approved
        Normal   cert-manager.io     3s    cert-manager-certificaterequests-approver           Certificate request has been approved by cert-manager.io
        Warning  BadConfig           3s    cert-manager-certificaterequests-issuer-selfsigned  Certificate will be issued with an empty Issuer DN, which contravenes RFC 5280 and could break some strict clients
        Normal   CertificateIssued   3s    cert-manager-certificaterequests-issuer-selfsigned  Certificate fetched from issuer successfully
      """
    # The Secret: the key (PKCS#1), the certificate, and the CA (a self-signed certificate is its own),
    # with the annotations cert-manager writes from the certificate it issued.
    When I run "kubectl describe secret selfsigned-cert-tls --namespace cert-manager-test"
    Then the output is:
      """
      Name:         selfsigned-cert-tls
      Namespace:    cert-manager-test
      Labels:       controller.cert-manager.io/fao=true
      Annotations:  cert-manager.io/alt-names: example.com
                    cert-manager.io/certificate-name: selfsigned-cert
                    cert-manager.io/common-name: 
                    cert-manager.io/ip-sans: 
                    cert-manager.io/issuer-group: 
                    cert-manager.io/issuer-kind: Issuer
                    cert-manager.io/issuer-name: test-selfsigned
                    cert-manager.io/uri-sans: 

      Type:  kubernetes.io/tls

      Data
      ====
      ca.crt:   1021 bytes
      tls.crt:  1021 bytes
      tls.key:  1675 bytes
      """
    # Issuance is over: the temporary key's Secret is gone.
    When I run "kubectl get secrets --namespace cert-manager-test"
    Then the output is:
      """
      NAME                  TYPE                DATA   AGE
      selfsigned-cert-tls   kubernetes.io/tls   3      3s
      """
    # Clean up the test resources.
    When I run "kubectl delete namespace cert-manager-test"
    Then the output is:
      """
      namespace "cert-manager-test" deleted
      """

  Scenario: The webhook refuses an invalid Certificate with cert-manager's validation messages
    When I run "kubectl wait --for=condition=Available --timeout=300s -n cert-manager deployment --all"
    And I run "kubectl create namespace cert-manager-test"
    And I try to apply the manifest:
      """yaml
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata:
        name: no-names
        namespace: cert-manager-test
      spec:
        secretName: no-names-tls
        duration: 30m
        issuerRef:
          name: test-selfsigned
          kind: SelfSignedIssuer
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": admission webhook "webhook.cert-manager.io" denied the request: [spec: Invalid value: "": at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set, spec.issuerRef.kind: Invalid value: "SelfSignedIssuer": must be one of Issuer or ClusterIssuer (did you forget to set spec.issuerRef.group?), spec.duration: Invalid value: 30m0s: certificate duration must be greater than 1h0m0s]
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: cert-manager.io/v1
      kind: Issuer
      metadata:
        name: nothing
        namespace: cert-manager-test
      spec: {}
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": admission webhook "webhook.cert-manager.io" denied the request: spec: Required value: at least one issuer must be configured
      """

  Scenario: A self-signed root bootstraps a CA Issuer; an Ingress asks for its certificate; ACME cannot register without a network
    # Source: https://cert-manager.io/docs/configuration/selfsigned/ ("Bootstrapping CA Issuers",
    # its YAML verbatim) and https://cert-manager.io/docs/usage/ingress/ (the ingress-shim).
    When I run "kubectl wait --for=condition=Available --timeout=300s -n cert-manager deployment --all"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Namespace
      metadata:
        name: sandbox
      ---
      apiVersion: cert-manager.io/v1
      kind: ClusterIssuer
      metadata:
        name: selfsigned-issuer
      spec:
        selfSigned: {}
      ---
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata:
        name: my-selfsigned-ca
        namespace: sandbox
      spec:
        isCA: true
        commonName: my-selfsigned-ca
        secretName: root-secret
        privateKey:
          algorithm: ECDSA
          size: 256
        issuerRef:
          name: selfsigned-issuer
          kind: ClusterIssuer
          group: cert-manager.io
      ---
      apiVersion: cert-manager.io/v1
      kind: Issuer
      metadata:
        name: my-ca-issuer
        namespace: sandbox
      spec:
        ca:
          secretName: root-secret
      """
    And 3 seconds pass
    # The CA issuer found no key pair until the root certificate's Secret was written.
    And I run "kubectl get issuers,clusterissuers,certificates --namespace sandbox"
    Then the output is:
      """
      NAME                                  READY   AGE
      issuer.cert-manager.io/my-ca-issuer   True    3s

      NAME                                              READY   AGE
      clusterissuer.cert-manager.io/selfsigned-issuer   True    3s

      NAME                                           READY   SECRET        AGE
      certificate.cert-manager.io/my-selfsigned-ca   True    root-secret   3s
      """
    When I run "kubectl describe issuer my-ca-issuer --namespace sandbox"
    Then the output contains:
      """
      Events:
        Type     Reason           Age   From                  Message
        ----     ------           ----  ----                  -------
        Warning  ErrGetKeyPair    3s    cert-manager-issuers  Error getting keypair for CA issuer: secrets "root-secret" not found
        Normal   KeyPairVerified  3s    cert-manager-issuers  Signing CA verified
      """
    # An Ingress annotated with the issuer: cert-manager's ingress-shim makes a Certificate named
    # after each TLS block's secretName, for its hosts, and the CA issuer signs it.
    When I apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: web
        namespace: sandbox
        annotations:
          cert-manager.io/issuer: my-ca-issuer
      spec:
        ingressClassName: nginx
        tls:
        - hosts:
          - web.example.com
          secretName: web-tls
        rules:
        - host: web.example.com
          http:
            paths:
            - path: /
              pathType: Prefix
              backend:
                service:
                  name: web
                  port:
                    number: 80
      """
    And 2 seconds pass
    And I run "kubectl get events --namespace sandbox --field-selector involvedObject.kind=Ingress"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON              OBJECT        MESSAGE
      2s          Normal   CreateCertificate   ingress/web   Successfully created Certificate "web-tls"
      """
    When I run "kubectl get certificate web-tls --namespace sandbox -o jsonpath={.spec}"
    Then the output is:
      """
      {"dnsNames":["web.example.com"],"issuerRef":{"group":"cert-manager.io","kind":"Issuer","name":"my-ca-issuer"},"secretName":"web-tls","usages":["digital signature","key encipherment"]}
      """
    # The TLS Secret the Ingress names: the CA's certificate as ca.crt, the issuer in the annotations.
    When I run "kubectl get secret web-tls --namespace sandbox -o jsonpath={.metadata.annotations}"
    Then the output is:
      """
      {"cert-manager.io/alt-names":"web.example.com","cert-manager.io/certificate-name":"web-tls","cert-manager.io/common-name":"","cert-manager.io/ip-sans":"","cert-manager.io/issuer-group":"cert-manager.io","cert-manager.io/issuer-kind":"Issuer","cert-manager.io/issuer-name":"my-ca-issuer","cert-manager.io/uri-sans":""}
      """
    # An ACME issuer registers an account with its server first; the cluster has no Internet, so the
    # directory's name does not resolve and the issuer stays not Ready.
    When I apply the manifest:
      """yaml
      apiVersion: cert-manager.io/v1
      kind: ClusterIssuer
      metadata:
        name: letsencrypt-staging
      spec:
        acme:
          server: https://acme-staging-v02.api.letsencrypt.org/directory
          email: user@example.com
          privateKeySecretRef:
            name: letsencrypt-staging
          solvers:
          - http01:
              ingress:
                ingressClassName: nginx
      """
    And 2 seconds pass
    And I run "kubectl get clusterissuer letsencrypt-staging -o wide"
    Then the output is:
      """
      NAME                  READY   STATUS                                                                                                                                                                                AGE
      letsencrypt-staging   False   Failed to register ACME account: Get "https://acme-staging-v02.api.letsencrypt.org/directory": dial tcp: lookup acme-staging-v02.api.letsencrypt.org on 10.96.0.10:53: no such host   2s
      """
