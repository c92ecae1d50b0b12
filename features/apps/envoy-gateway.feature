@epic:Apps @feature:EnvoyGateway
Feature: Envoy Gateway, a Gateway API implementation, installed from its release manifest
  # Source: https://gateway.envoyproxy.io/v1.3/install/install-yaml/ ("Install with Kubernetes YAML":
  # kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.3.3/install.yaml)
  # and https://gateway.envoyproxy.io/v1.3/tasks/quickstart/ (the wait, quickstart.yaml, "Testing the
  # Configuration" without LoadBalancer support). install.yaml is v1.3.3's release asset, which the release
  # workflow renders with `helm template` from charts/gateway-helm at the tag
  # (34c134d24462ebcbcc4b235539683193fd3af94d); quickstart.yaml is the tag's
  # examples/kubernetes/quickstart.yaml (exercises/apps/SOURCES, exercises/apps/README.md). The
  # images' models follow the tag's source (src/images/programs/envoygateway.ts, envoy.ts) and the
  # quickstart's backend, echo-basic, the Gateway API's conformance/echo-basic (echobasic.ts).
  Envoy Gateway's install brings the Gateway API's CRDs (its experimental channel of v1.2.1), its own
  CRDs and its controller. The controller accepts the GatewayClass that names it, gives each of its
  Gateways a data plane of its own (an envoy Deployment and a LoadBalancer Service in
  envoy-gateway-system) and routes what the Gateway's HTTPRoutes say through it.

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |

  Scenario: The quickstart, without LoadBalancer support: a port-forward to the envoy Service reaches the backend
    When I run "kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.3.3/install.yaml"
    # The Gateway API's experimental channel (ten CRDs), Envoy Gateway's eight, then the chart's objects in helm's order.
    Then the output is:
      """
      customresourcedefinition.apiextensions.k8s.io/backendlbpolicies.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/backendtlspolicies.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/gatewayclasses.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/grpcroutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/referencegrants.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/tcproutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/tlsroutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/udproutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/backends.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/backendtrafficpolicies.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/clienttrafficpolicies.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/envoyextensionpolicies.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/envoypatchpolicies.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/envoyproxies.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/httproutefilters.gateway.envoyproxy.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/securitypolicies.gateway.envoyproxy.io serverside-applied
      namespace/envoy-gateway-system serverside-applied
      serviceaccount/envoy-gateway serverside-applied
      configmap/envoy-gateway-config serverside-applied
      clusterrole.rbac.authorization.k8s.io/eg-gateway-helm-envoy-gateway-role serverside-applied
      clusterrolebinding.rbac.authorization.k8s.io/eg-gateway-helm-envoy-gateway-rolebinding serverside-applied
      role.rbac.authorization.k8s.io/eg-gateway-helm-infra-manager serverside-applied
      role.rbac.authorization.k8s.io/eg-gateway-helm-leader-election-role serverside-applied
      rolebinding.rbac.authorization.k8s.io/eg-gateway-helm-infra-manager serverside-applied
      rolebinding.rbac.authorization.k8s.io/eg-gateway-helm-leader-election-rolebinding serverside-applied
      service/envoy-gateway serverside-applied
      deployment.apps/envoy-gateway serverside-applied
      serviceaccount/eg-gateway-helm-certgen serverside-applied
      role.rbac.authorization.k8s.io/eg-gateway-helm-certgen serverside-applied
      rolebinding.rbac.authorization.k8s.io/eg-gateway-helm-certgen serverside-applied
      job.batch/eg-gateway-helm-certgen serverside-applied
      """
    # The controller's pod waits for its certificates (the Secret envoy-gateway, which the certgen
    # Job creates) before it starts.
    When I run "kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available"
    Then the output is:
      """
      deployment.apps/envoy-gateway condition met
      """
    When I run "kubectl get secrets -n envoy-gateway-system"
    Then the output is:
      """
      NAME               TYPE                DATA   AGE
      envoy              kubernetes.io/tls   3      14s
      envoy-gateway      kubernetes.io/tls   3      14s
      envoy-oidc-hmac    Opaque              1      14s
      envoy-rate-limit   kubernetes.io/tls   3      14s
      """
    When I run "kubectl apply -f https://github.com/envoyproxy/gateway/releases/download/v1.3.3/quickstart.yaml -n default"
    Then the output is:
      """
      gatewayclass.gateway.networking.k8s.io/eg created
      gateway.gateway.networking.k8s.io/eg created
      serviceaccount/backend created
      service/backend created
      deployment.apps/backend created
      httproute.gateway.networking.k8s.io/backend created
      """
    # The controller accepts the class and the Gateway, and creates the Gateway's data plane. Without
    # a load balancer (kind has none) its Service stays <pending>: the Gateway has no address and is
    # not Programmed.
    When 30 seconds pass
    And I run "kubectl get gatewayclass,gateway,httproute"
    Then the output is:
      """
      NAME                                        CONTROLLER                                      ACCEPTED   AGE
      gatewayclass.gateway.networking.k8s.io/eg   gateway.envoyproxy.io/gatewayclass-controller   True       30s

      NAME                                   CLASS   ADDRESS   PROGRAMMED   AGE
      gateway.gateway.networking.k8s.io/eg   eg                False        30s

      NAME                                          HOSTNAMES             AGE
      httproute.gateway.networking.k8s.io/backend   ["www.example.com"]   30s
      """
    When I run "kubectl get deploy,svc -n envoy-gateway-system --selector=gateway.envoyproxy.io/owning-gateway-namespace=default,gateway.envoyproxy.io/owning-gateway-name=eg"
    Then the output is:
      """
      NAME                                        READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/envoy-default-eg-e41e7b31   1/1     1            1           30s

      NAME                                TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
      service/envoy-default-eg-e41e7b31   LoadBalancer   10.97.186.35   <pending>     80:31227/TCP   30s
      """
    When I run "kubectl get httproute backend -o jsonpath={.status.parents}"
    Then the output is:
      """
      [{"conditions":[{"lastTransitionTime":"2024-01-08T00:00:15Z","message":"Route is accepted","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-01-08T00:00:15Z","message":"Resolved all the Object references for the Route","observedGeneration":1,"reason":"ResolvedRefs","status":"True","type":"ResolvedRefs"}],"controllerName":"gateway.envoyproxy.io/gatewayclass-controller","parentRef":{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"eg"}}]
      """
    When I run "kubectl get svc -n envoy-gateway-system --selector=gateway.envoyproxy.io/owning-gateway-namespace=default,gateway.envoyproxy.io/owning-gateway-name=eg -o jsonpath={.items[0].metadata.name}"
    Then the output is:
      """
      envoy-default-eg-e41e7b31
      """
    When I run "kubectl -n envoy-gateway-system port-forward service/envoy-default-eg-e41e7b31 8888:80" in a second terminal
    And I run "curl --header 'Host: www.example.com' http://localhost:8888/get"
    Then the output is:
      """
      {
       "path": "/get",
       "host": "www.example.com",
       "method": "GET",
       "proto": "HTTP/1.1",
       "headers": {
        "Accept": [
         "*/*"
        ],
        "User-Agent": [
         "curl/8.5.0"
        ],
        "X-Envoy-Expected-Rq-Timeout-Ms": [
         "15000"
        ],
        "X-Envoy-Internal": [
         "true"
        ],
        "X-Forwarded-For": [
         "127.0.0.1"
        ],
        "X-Forwarded-Proto": [
         "http"
        ],
        "X-Request-Id": [
         "26648af6-96f5-48bc-9633-8e7990325326"
        ]
       },
       "namespace": "default",
       "ingress": "",
       "service": "",
       "pod": "backend-b8c646c79-ksf48"
      }
      """
