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

  Scenario: The kubernetes.io Gateway examples after the install: only a class naming Envoy Gateway's controller is served
    # Source: https://kubernetes.io/docs/concepts/services-networking/gateway/ and its examples
    # (exercises/docs/service/networking/gatewayclass.yaml, gateway.yaml, httproute.yaml). The page's
    # class names the controller `example.com/gateway-controller`: Envoy Gateway leaves it, and the
    # Gateway of that class, to that controller ("Waiting for controller"). A class of the same name
    # that names Envoy Gateway's controller makes the page's Gateway and route served.
    When I run "kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.3.3/install.yaml"
    And I run "kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available"
    And I run "kubectl create namespace example-namespace"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/gatewayclass.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/gateway.yaml"
    And 10 seconds pass
    And I run "kubectl get gatewayclass example-class"
    Then the output is:
      """
      NAME            CONTROLLER                       ACCEPTED   AGE
      example-class   example.com/gateway-controller   Unknown    10s
      """
    When I run "kubectl get gateway -n example-namespace"
    Then the output is:
      """
      NAME              CLASS           ADDRESS   PROGRAMMED   AGE
      example-gateway   example-class             Unknown      10s
      """
    When I run "kubectl delete gatewayclass example-class"
    And I apply the manifest:
      """yaml
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example-class
      spec:
        controllerName: gateway.envoyproxy.io/gatewayclass-controller
      """
    And I run "kubectl apply -n example-namespace -f https://k8s.io/examples/service/networking/httproute.yaml"
    And 30 seconds pass
    And I run "kubectl get gatewayclass example-class"
    Then the output is:
      """
      NAME            CONTROLLER                                      ACCEPTED   AGE
      example-class   gateway.envoyproxy.io/gatewayclass-controller   True       30s
      """
    When I run "kubectl get gateway -n example-namespace"
    Then the output is:
      """
      NAME              CLASS           ADDRESS   PROGRAMMED   AGE
      example-gateway   example-class             False        40s
      """
    # The route's backend, example-svc, does not exist yet: the route is accepted, its reference is
    # not resolved, and its requests get Envoy Gateway's direct 500.
    When I run "kubectl get httproute example-httproute -n example-namespace -o jsonpath={.status.parents[0].conditions[*].reason}"
    Then the output is:
      """
      Accepted BackendNotFound
      """
    When I run "kubectl get httproute example-httproute -n example-namespace -o jsonpath={.status.parents[0].conditions[1].message}"
    Then the output is:
      """
      Service example-namespace/example-svc not found
      """
    When I run "kubectl -n envoy-gateway-system port-forward service/envoy-example-namespace-example-gateway-cf2b1db0 8888:80" in a second terminal
    And I run "curl -s -o /dev/null -w %{http_code} --header 'Host: www.example.com' http://localhost:8888/login"
    Then the output is:
      """
      500
      """
    When I run "kubectl create deployment example-svc -n example-namespace --image=gcr.io/k8s-staging-gateway-api/echo-basic:v20231214-v1.0.0-140-gf544a46e"
    And I run "kubectl expose deployment example-svc -n example-namespace --port=8080 --target-port=3000"
    And 10 seconds pass
    And I run "kubectl get httproute example-httproute -n example-namespace -o jsonpath={.status.parents[0].conditions[*].reason}"
    Then the output is:
      """
      Accepted ResolvedRefs
      """
    # /login and what is below it go to example-svc; other paths and hosts have no route: Envoy's 404.
    When I run "curl -s --header 'Host: www.example.com' http://localhost:8888/login/form?x=1"
    Then the output contains:
      """
       "path": "/login/form?x=1",
       "host": "www.example.com",
      """
    When I run "curl -s -o /dev/null -w %{http_code} --header 'Host: www.example.com' http://localhost:8888/loginx"
    Then the output is:
      """
      404
      """
    When I run "curl -s -o /dev/null -w %{http_code} --header 'Host: other.example.com' http://localhost:8888/login"
    Then the output is:
      """
      404
      """

  Scenario: The quickstart with a load balancer (MetalLB): the Gateway gets the envoy Service's address and is Programmed
    # The quickstart's note: "In case your Kubernetes cluster does not have a LoadBalancer
    # implementation, we recommend installing one so the Gateway resource has an Address associated
    # with it. We recommend using MetalLB." MetalLB as features/apps/metallb.feature installs it, with
    # kind's LoadBalancer guide's pool; then "With External LoadBalancer Support": the Gateway's address
    # from its status, curled from the kind host (a node's network).
    When I run "kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml"
    And I run "kubectl wait --namespace metallb-system --for=condition=ready pod --selector=app=metallb --timeout=90s"
    And I apply the manifest:
      """yaml
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: example
        namespace: metallb-system
      spec:
        addresses:
        - 172.18.255.200-172.18.255.250
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata:
        name: empty
        namespace: metallb-system
      """
    And I run "kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.3.3/install.yaml"
    And I run "kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available"
    And I run "kubectl apply -f https://github.com/envoyproxy/gateway/releases/download/v1.3.3/quickstart.yaml -n default"
    And I run "kubectl wait --timeout=5m gateway/eg --for=condition=Programmed"
    Then the output is:
      """
      gateway.gateway.networking.k8s.io/eg condition met
      """
    When I run "kubectl get gateway eg"
    Then the output is:
      """
      NAME   CLASS   ADDRESS          PROGRAMMED   AGE
      eg     eg      172.18.255.200   True         10s
      """
    When I run "kubectl get gateway eg -o jsonpath={.status.conditions[1].message}"
    Then the output is:
      """
      Address assigned to the Gateway, 1/1 envoy replicas available
      """
    When I run "kubectl get svc -n envoy-gateway-system envoy-default-eg-e41e7b31"
    Then the output is:
      """
      NAME                        TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE
      envoy-default-eg-e41e7b31   LoadBalancer   10.105.189.65   172.18.255.200   80:31227/TCP   10s
      """
    When I run "kubectl get gatewayclass eg -o jsonpath={.metadata.finalizers}"
    Then the output is:
      """
      ["gateway-exists-finalizer.gateway.networking.k8s.io"]
      """
    When I run "curl -s --header 'Host: www.example.com' http://172.18.255.200/get" on node "kind-worker"
    Then the output contains:
      """
       "path": "/get",
       "host": "www.example.com",
      """
    # Deleting the Gateway removes its data plane, and the class's finalizer with it.
    When I run "kubectl delete gateway eg"
    And 5 seconds pass
    And I run "kubectl get deploy,svc -n envoy-gateway-system"
    Then the output is:
      """
      NAME                            READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/envoy-gateway   1/1     1            1           35s

      NAME                    TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)                                   AGE
      service/envoy-gateway   ClusterIP   10.106.159.113   <none>        18000/TCP,18001/TCP,18002/TCP,19001/TCP   35s
      """
    When I run "kubectl get gatewayclass eg -o jsonpath={.metadata.finalizers}"
    Then the output is:
      """
      []
      """
