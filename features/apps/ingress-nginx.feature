@epic:Apps @feature:IngressNginx
Feature: ingress-nginx installed from its release manifest, verbatim
  # Source: https://github.com/kubernetes/ingress-nginx, docs/deploy/index.md ("Quick start", "Pre-flight
  # check", "Local testing") and deploy/static/provider/cloud/deploy.yaml at the tag controller-v1.12.0
  # (commit 8ee4384271e081578bb8f08eccf2f3b5a78ada25), copied verbatim into
  # exercises/apps/ingress-nginx/deploy.yaml (exercises/apps/SOURCES).
  An Ingress does nothing until an ingress controller runs. A new kind cluster has none; ingress-nginx's
  manifest installs one: a Namespace, RBAC, a ConfigMap, the controller's Deployment behind a
  LoadBalancer Service, an IngressClass `nginx`, and a validating admission webhook that checks every
  Ingress before the API server stores it. The webhook needs a TLS certificate: two Jobs run
  kube-webhook-certgen, `create` (a CA and a serving certificate in the Secret
  `ingress-nginx-admission`) and `patch` (the CA as the webhook's `caBundle`). The controller's pod
  mounts that Secret, so it waits for it before its container starts; the API server calls the
  webhook for every Ingress, so Ingresses are refused until the controller is ready.

  Background:
    Given the cluster has no ingress controller installed
    And a cluster with nodes:
      | name         | cpu | memory |
      | kind-worker  | 4   | 8Gi    |
      | kind-worker2 | 4   | 8Gi    |
    When I run "kubectl apply -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.0/deploy/static/provider/cloud/deploy.yaml"
    Then the output is:
      """
      namespace/ingress-nginx created
      serviceaccount/ingress-nginx created
      serviceaccount/ingress-nginx-admission created
      role.rbac.authorization.k8s.io/ingress-nginx created
      role.rbac.authorization.k8s.io/ingress-nginx-admission created
      clusterrole.rbac.authorization.k8s.io/ingress-nginx created
      clusterrole.rbac.authorization.k8s.io/ingress-nginx-admission created
      rolebinding.rbac.authorization.k8s.io/ingress-nginx created
      rolebinding.rbac.authorization.k8s.io/ingress-nginx-admission created
      clusterrolebinding.rbac.authorization.k8s.io/ingress-nginx created
      clusterrolebinding.rbac.authorization.k8s.io/ingress-nginx-admission created
      configmap/ingress-nginx-controller created
      service/ingress-nginx-controller created
      service/ingress-nginx-controller-admission created
      deployment.apps/ingress-nginx-controller created
      job.batch/ingress-nginx-admission-create created
      job.batch/ingress-nginx-admission-patch created
      ingressclass.networking.k8s.io/nginx created
      validatingwebhookconfiguration.admissionregistration.k8s.io/ingress-nginx-admission created
      """

  Scenario: Pre-flight check: the admission Jobs complete and the controller becomes ready
    When I run "kubectl get pods --namespace=ingress-nginx"
    Then the output is:
      """
      NAME                                        READY   STATUS              RESTARTS   AGE
      ingress-nginx-admission-create-qr666        0/1     ContainerCreating   0          0s
      ingress-nginx-admission-patch-ljh27         0/1     ContainerCreating   0          0s
      ingress-nginx-controller-556c5bb5d4-s29nq   0/1     ContainerCreating   0          0s
      """
    # The install guide's wait for the controller pod to be up, running and ready.
    When I run "kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s"
    Then the output is:
      """
      pod/ingress-nginx-controller-556c5bb5d4-s29nq condition met
      """
    When I run "kubectl get pods --namespace=ingress-nginx"
    Then the output is:
      """
      NAME                                        READY   STATUS      RESTARTS   AGE
      ingress-nginx-admission-create-qr666        0/1     Completed   0          26s
      ingress-nginx-admission-patch-ljh27         0/1     Completed   0          26s
      ingress-nginx-controller-556c5bb5d4-s29nq   1/1     Running     0          26s
      """
    When I run "kubectl get jobs --namespace=ingress-nginx"
    Then the output is:
      """
      NAME                             STATUS     COMPLETIONS   DURATION   AGE
      ingress-nginx-admission-create   Complete   1/1           2s         26s
      ingress-nginx-admission-patch    Complete   1/1           2s         26s
      """
    # The controller's pod could not mount the Secret until the create Job had made it; the kubelet
    # retried the mount.
    When I run "kubectl get events --namespace=ingress-nginx --field-selector reason=FailedMount"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON        OBJECT                                          MESSAGE
      26s         Warning   FailedMount   pod/ingress-nginx-controller-556c5bb5d4-s29nq   MountVolume.SetUp failed for volume "webhook-cert" : secret "ingress-nginx-admission" not found
      """
    # A kind cluster has no load-balancer provider: the EXTERNAL-IP stays <pending>, as the guide says.
    When I run "kubectl get service ingress-nginx-controller --namespace=ingress-nginx"
    Then the output is:
      """
      NAME                       TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)                      AGE
      ingress-nginx-controller   LoadBalancer   10.105.253.216   <pending>     80:31227/TCP,443:32686/TCP   26s
      """
    When I run "kubectl get ingressclass"
    Then the output is:
      """
      NAME    CONTROLLER             PARAMETERS   AGE
      nginx   k8s.io/ingress-nginx   <none>       26s
      """

  Scenario: kube-webhook-certgen creates the admission Secret and patches the webhook's CA bundle
    When I run "kubectl wait --namespace ingress-nginx --for=condition=complete job --all --timeout=60s"
    Then the output is:
      """
      job.batch/ingress-nginx-admission-create condition met
      job.batch/ingress-nginx-admission-patch condition met
      """
    When I run "kubectl logs --namespace=ingress-nginx job/ingress-nginx-admission-create"
    Then the output is:
      """
      {"err":"secrets \"ingress-nginx-admission\" not found","level":"info","msg":"no secret found","source":"k8s/k8s.go:229","time":"2024-01-08T00:00:01Z"}
      {"level":"info","msg":"creating new secret","source":"cmd/create.go:28","time":"2024-01-08T00:00:01Z"}
      """
    When I run "kubectl logs --namespace=ingress-nginx job/ingress-nginx-admission-patch"
    Then the output is:
      """
      {"level":"info","msg":"patching webhook configurations 'ingress-nginx-admission' mutating=false, validating=true, failurePolicy=Fail","source":"k8s/k8s.go:118","time":"2024-01-08T00:00:01Z"}
      {"level":"info","msg":"Patched hook(s)","source":"k8s/k8s.go:138","time":"2024-01-08T00:00:01Z"}
      """
    When I run "kubectl get secret ingress-nginx-admission --namespace=ingress-nginx"
    Then the output is:
      """
      NAME                      TYPE     DATA   AGE
      ingress-nginx-admission   Opaque   3      1s
      """
    # The CA of the Secret (certgen's ECDSA P-256 CA, organisation "nil1") is now the webhook's
    # caBundle: the API server trusts the certificate the controller's webhook serves.
    When I run "kubectl get secret ingress-nginx-admission --namespace=ingress-nginx -o jsonpath={.data.ca} | base64 -d"
    Then the output is:
      """
      -----BEGIN CERTIFICATE-----
      MIIBWjCCAQCgAwIBAgIUJiyamdeGPWJ65knQPm2QirhVGsYwCgYIKoZIzj0EAwIw
      DzENMAsGA1UECgwEbmlsMTAgFw0yNDAxMDcyMzU1MDBaGA8yMTIzMTIxNDIzNTUw
      MFowDzENMAsGA1UECgwEbmlsMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDNq
      iRz7QNQUirsrKN9xj4f3W25IhflKr8dVe4GqBYKYqNgpziML1ThuXdmyRihKcZK/
      iwGNL++Wz9ngR9b0kqCjODA2MA4GA1UdDwEB/wQEAwICBDATBgNVHSUEDDAKBggr
      BgEFBQcDATAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCreDvJ
      DOKYyOIc8pP9YIlOBnSBG1bSaIylUtFUwHKT+AIgU0Rqhi7Me6JUzbjj5m3OfJWp
      77JvvRnl2H2xYZvXp4I=
      -----END CERTIFICATE-----
      """
    When I run "kubectl get validatingwebhookconfiguration ingress-nginx-admission -o jsonpath={.webhooks[0].clientConfig.caBundle} | base64 -d"
    Then the output is:
      """
      -----BEGIN CERTIFICATE-----
      MIIBWjCCAQCgAwIBAgIUJiyamdeGPWJ65knQPm2QirhVGsYwCgYIKoZIzj0EAwIw
      DzENMAsGA1UECgwEbmlsMTAgFw0yNDAxMDcyMzU1MDBaGA8yMTIzMTIxNDIzNTUw
      MFowDzENMAsGA1UECgwEbmlsMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDNq
      iRz7QNQUirsrKN9xj4f3W25IhflKr8dVe4GqBYKYqNgpziML1ThuXdmyRihKcZK/
      iwGNL++Wz9ngR9b0kqCjODA2MA4GA1UdDwEB/wQEAwICBDATBgNVHSUEDDAKBggr
      BgEFBQcDATAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCreDvJ
      DOKYyOIc8pP9YIlOBnSBG1bSaIylUtFUwHKT+AIgU0Rqhi7Me6JUzbjj5m3OfJWp
      77JvvRnl2H2xYZvXp4I=
      -----END CERTIFICATE-----
      """

  Scenario: Too early: the API server cannot call the admission webhook until the controller is ready
    # The ValidatingWebhookConfiguration (failurePolicy: Fail) sends every new Ingress to the
    # controller's webhook Service, which has no ready endpoint yet: the API server refuses the Ingress.
    When I try to run "kubectl create ingress demo-localhost --class=nginx --rule=demo.localdev.me/*=demo:80"
    Then the command fails with:
      """
      error: failed to create ingress: Internal error occurred: failed calling webhook "validate.nginx.ingress.kubernetes.io": failed to call webhook: Post "https://ingress-nginx-controller-admission.ingress-nginx.svc:443/networking/v1/ingresses?timeout=10s": dial tcp 10.106.159.113:443: connect: connection refused
      """
    # That is why the install guide waits for the controller pod first.
    When I run "kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s"
    And I run "kubectl create ingress demo-localhost --class=nginx --rule=demo.localdev.me/*=demo:80"
    Then the output is:
      """
      ingress.networking.k8s.io/demo-localhost created
      """

  Scenario: Local testing: an Ingress of class nginx for a demo web server
    Given I run "kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s"
    When I run "kubectl create deployment demo --image=httpd --port=80"
    And I run "kubectl expose deployment demo"
    And I run "kubectl create ingress demo-localhost --class=nginx --rule=demo.localdev.me/*=demo:80"
    Then the output is:
      """
      ingress.networking.k8s.io/demo-localhost created
      """
    # The controller publishes the address of its LoadBalancer Service (--publish-service), which has
    # none on kind: the Ingress's ADDRESS stays empty.
    When 60 seconds pass
    And I run "kubectl get ingress"
    Then the output is:
      """
      NAME             CLASS   HOSTS              ADDRESS   PORTS   AGE
      demo-localhost   nginx   demo.localdev.me             80      60s
      """
    # "Now, forward a local port to the ingress controller" and access the deployment with curl: the
    # controller routes the request for demo.localdev.me to the demo Service's pod, whose httpd answers.
    When I run "kubectl port-forward --namespace=ingress-nginx service/ingress-nginx-controller 8080:80" in a second terminal
    And I run "curl --resolve demo.localdev.me:8080:127.0.0.1 http://demo.localdev.me:8080"
    Then the output is:
      """
      <html><body><h1>It works!</h1></body></html>
      """
    # A host no Ingress names reaches the catch-all server: the default backend's 404.
    When I run "curl --resolve other.localdev.me:8080:127.0.0.1 http://other.localdev.me:8080"
    And I stop the second terminal
    Then the output is:
      """
      Forwarding from 127.0.0.1:8080 -> 80
      Forwarding from [::1]:8080 -> 80
      Handling connection for 8080
      Handling connection for 8080
      """
    # The controller took the Ingress (a Sync event), holds the leader Lease, and logs each request
    # it proxied in its upstreaminfo format (the catch-all server's requests are not logged).
    When I run "kubectl get events --field-selector involvedObject.kind=Ingress"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON   OBJECT                   MESSAGE
      60s         Normal   Sync     ingress/demo-localhost   Scheduled for sync
      """
    When I run "kubectl get lease ingress-nginx-leader --namespace=ingress-nginx -o jsonpath={.spec.holderIdentity}"
    Then the output is:
      """
      ingress-nginx-controller-556c5bb5d4-s29nq
      """
    When I run "kubectl logs --namespace=ingress-nginx deployment/ingress-nginx-controller --tail=1"
    Then the output is:
      """
      127.0.0.1 - - [08/Jan/2024:00:01:26 +0000] "GET / HTTP/1.1" 200 45 "-" "curl/8.5.0" 84 0.000 [default-demo-80] [] 10.244.1.3:80 45 0.000 200 cd5c9178786810d3ca29f5ad139f6fa1
      """

  Scenario: The controller logs its start, holds the leader Lease and records its reloads
    Given I run "kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s"
    When I run "kubectl get lease --namespace=ingress-nginx"
    Then the output is:
      """
      NAME                   HOLDER                                      AGE
      ingress-nginx-leader   ingress-nginx-controller-556c5bb5d4-s29nq   13s
      """
    # The version banner (stdout), then klog's lines (stderr): the API client, the store's first
    # event, the leader election and nginx's first reload.
    When I run "kubectl logs --namespace=ingress-nginx deployment/ingress-nginx-controller"
    Then the output is:
      """
      -------------------------------------------------------------------------------
      NGINX Ingress controller
        Release:       v1.12.0
        Build:         8ee4384271e081578bb8f08eccf2f3b5a78ada25
        Repository:    https://github.com/kubernetes/ingress-nginx
        nginx version: nginx/1.25.5

      -------------------------------------------------------------------------------

      W0108 00:00:13.425000       7 client_config.go:667] Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.
      I0108 00:00:13.425000       7 main.go:205] "Creating API client" host="https://10.96.0.1:443"
      I0108 00:00:13.425000       7 main.go:248] "Running in Kubernetes cluster" major="1" minor="32" git="v1.32.0" state="clean" commit="70d3cc986aa8221cd1dfb1121852688902d3bf53" platform="linux/amd64"
      I0108 00:00:13.425000       7 main.go:101] "SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"
      I0108 00:00:13.425000       7 ssl.go:535] "loading tls certificate" path="/usr/local/certificates/cert" key="/usr/local/certificates/key"
      I0108 00:00:13.425000       7 nginx.go:271] "Starting NGINX Ingress controller"
      I0108 00:00:13.425000       7 event.go:377] Event(v1.ObjectReference{Kind:"ConfigMap", Namespace:"ingress-nginx", Name:"ingress-nginx-controller", UID:"1b5feeeb-3cde-429a-b193-00b2ddc5600e", APIVersion:"v1", ResourceVersion:"1098", FieldPath:""}): type: 'Normal' reason: 'CREATE' ConfigMap ingress-nginx/ingress-nginx-controller
      I0108 00:00:13.425000       7 nginx.go:317] "Starting NGINX process"
      I0108 00:00:13.425000       7 leaderelection.go:257] attempting to acquire leader lease ingress-nginx/ingress-nginx-leader...
      I0108 00:00:13.425000       7 nginx.go:337] "Starting validation webhook" address=":8443" certPath="/usr/local/certificates/cert" keyPath="/usr/local/certificates/key"
      I0108 00:00:13.425000       7 controller.go:196] "Configuration changes detected, backend reload required"
      I0108 00:00:13.425000       7 leaderelection.go:271] successfully acquired lease ingress-nginx/ingress-nginx-leader
      I0108 00:00:13.425000       7 status.go:85] "New leader elected" identity="ingress-nginx-controller-556c5bb5d4-s29nq"
      I0108 00:00:13.425000       7 controller.go:216] "Backend successfully reloaded"
      I0108 00:00:13.425000       7 controller.go:227] "Initial sync, sleeping for 1 second"
      I0108 00:00:13.425000       7 event.go:377] Event(v1.ObjectReference{Kind:"Pod", Namespace:"ingress-nginx", Name:"ingress-nginx-controller-556c5bb5d4-s29nq", UID:"76b8b16e-e005-490e-921f-dd79b5c4e653", APIVersion:"v1", ResourceVersion:"1137", FieldPath:""}): type: 'Normal' reason: 'RELOAD' NGINX reload triggered due to a change in configuration
      """
    When I run "kubectl get events --namespace=ingress-nginx --field-selector reason=RELOAD"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON   OBJECT                                          MESSAGE
      13s         Normal   RELOAD   pod/ingress-nginx-controller-556c5bb5d4-s29nq   NGINX reload triggered due to a change in configuration
      """
