Feature: Issue a Certificate for a Kubernetes API Client Using a CertificateSigningRequest
  # Source: https://kubernetes.io/docs/tasks/tls/certificate-issue-client-csr/
  #
  # The page's steps in order: a private key and an X.509 request made with openssl on the user's
  # machine, a CertificateSigningRequest for the kube-apiserver-client signer, its approval, the
  # issued certificate, a kubeconfig user with it, and RBAC for that user. The request's base64 is
  # the page's `cat myuser.csr | base64 | tr -d "\n"`, written into the manifest by the shell (the
  # page pastes it by hand). The page's kubeconfig names its cluster `kubernetes`; the simulated
  # kubectl's is `kube-scenario`, so the context is made with that name. Since v1.32 the x509
  # authenticator gives the user the certificate's SHA-256 as its credential id (`auth whoami`'s Extra).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A user with a client certificate, forbidden until a Role is bound to it
    When I run "openssl genrsa -out myuser.key 3072"
    Then the output is:
      """
      """
    When I run:
      """
      openssl req -new -key myuser.key -out myuser.csr -subj "/CN=myuser"
      """
    And I run "openssl req -in myuser.csr -noout -subject"
    Then the output is:
      """
      subject=CN = myuser
      """
    When I run:
      """
      cat <<EOF > myuser-csr.yaml
      apiVersion: certificates.k8s.io/v1
      kind: CertificateSigningRequest
      metadata:
        name: myuser # example
      spec:
        # This is an encoded CSR. Change this to the base64-encoded contents of myuser.csr
        request: $(cat myuser.csr | base64 | tr -d "\n")
        signerName: kubernetes.io/kube-apiserver-client
        expirationSeconds: 86400  # one day
        usages:
        - client auth
      EOF
      """
    And I run "kubectl apply -f myuser-csr.yaml"
    Then the output is:
      """
      certificatesigningrequest.certificates.k8s.io/myuser created
      """
    When I run "kubectl get csr"
    Then the output is:
      """
      NAME     AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION
      myuser   0s    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Pending
      """
    When 10 seconds pass
    And I run "kubectl certificate approve myuser"
    Then the output is:
      """
      certificatesigningrequest.certificates.k8s.io/myuser approved
      """
    When I run "kubectl get csr"
    Then the output is:
      """
      NAME     AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION
      myuser   10s   kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Approved,Issued
      """
    And certificatesigningrequest "myuser" matches:
      """yaml
      spec:
        username: kubernetes-admin
        groups:
        - kubeadm:cluster-admins
        - system:authenticated
      status:
        conditions:
        - type: Approved
          status: "True"
          reason: KubectlApprove
          message: This CSR was approved by kubectl certificate approve.
      """
    When I run:
      """
      kubectl get csr myuser -o jsonpath='{.status.certificate}'| base64 -d > myuser.crt
      """
    And I run "openssl x509 -in myuser.crt -noout -subject -issuer -dates"
    Then the output is:
      """
      subject=CN = myuser
      issuer=CN = kubernetes
      notBefore=Jan  7 23:55:10 2024 GMT
      notAfter=Jan  8 23:55:10 2024 GMT
      """
    When I run "kubectl config set-credentials myuser --client-key=myuser.key --client-certificate=myuser.crt --embed-certs=true"
    Then the output is:
      """
      User "myuser" set.
      """
    When I run "kubectl config set-context myuser --cluster=kube-scenario --user=myuser"
    Then the output is:
      """
      Context "myuser" created.
      """
    When I run "kubectl --context myuser auth whoami"
    Then the output is:
      """
      ATTRIBUTE                                           VALUE
      Username                                            myuser
      Groups                                              [system:authenticated]
      Extra: authentication.kubernetes.io/credential-id   [X509SHA256=3316517932df8f6bea138b26c73f64834da2a6f5ea889ac1227029ccbb831c2e]
      """
    When I try to run "kubectl --context myuser get pods"
    Then the command fails with:
      """
      Error from server (Forbidden): pods is forbidden: User "myuser" cannot list resource "pods" in API group "" in the namespace "default"
      """
    When I run "kubectl create role developer --verb=create --verb=get --verb=list --verb=update --verb=delete --resource=pods"
    Then the output is:
      """
      role.rbac.authorization.k8s.io/developer created
      """
    When I run "kubectl create rolebinding developer-binding-myuser --role=developer --user=myuser"
    Then the output is:
      """
      rolebinding.rbac.authorization.k8s.io/developer-binding-myuser created
      """
    When I run "kubectl --context myuser auth can-i list pods"
    Then the output is:
      """
      yes
      """
    When I run "kubectl --context myuser get pods"
    Then the error output is:
      """
      No resources found in default namespace.
      """
    When I try to run "kubectl --context myuser get deployments"
    Then the command fails with:
      """
      Error from server (Forbidden): deployments.apps is forbidden: User "myuser" cannot list resource "deployments" in API group "apps" in the namespace "default"
      """

  Scenario: The certificate expires after the requested day
    When I run "openssl genrsa -out myuser.key 2048"
    And I run:
      """
      openssl req -new -key myuser.key -out myuser.csr -subj "/CN=myuser/O=developers"
      """
    And I run:
      """
      cat <<EOF > myuser-csr.yaml
      apiVersion: certificates.k8s.io/v1
      kind: CertificateSigningRequest
      metadata:
        name: myuser
      spec:
        request: $(cat myuser.csr | base64 | tr -d "\n")
        signerName: kubernetes.io/kube-apiserver-client
        expirationSeconds: 86400
        usages:
        - client auth
      EOF
      """
    And I run "kubectl apply -f myuser-csr.yaml"
    And I run "kubectl certificate approve myuser"
    And I run:
      """
      kubectl get csr myuser -o jsonpath='{.status.certificate}'| base64 -d > myuser.crt
      """
    And I run "kubectl config set-credentials myuser --client-key=myuser.key --client-certificate=myuser.crt --embed-certs=true"
    And I run "kubectl config set-context myuser --cluster=kube-scenario --user=myuser"
    And I run "kubectl --context myuser auth whoami"
    Then the output is:
      """
      ATTRIBUTE                                           VALUE
      Username                                            myuser
      Groups                                              [developers system:authenticated]
      Extra: authentication.kubernetes.io/credential-id   [X509SHA256=a210c4577b1c893dc37987346c0022caf186b730fdddaeb11f5e94d3ce24d789]
      """
    When 1 day passes
    And I try to run "kubectl --context myuser auth whoami"
    Then the command fails with:
      """
      error: You must be logged in to the server (Unauthorized)
      """
