@epic:Apps @feature:GatewayAPI
Feature: The Gateway API, installed from its release bundle
  # Source: https://gateway-api.sigs.k8s.io/guides/ ("Installing Gateway API": "kubectl apply -f
  # https://github.com/kubernetes-sigs/gateway-api/releases/download/<version>/standard-install.yaml";
  # the guide's current form adds `--server-side`, site/content/en/guides/getting-started/introduction.md)
  # and https://kubernetes.io/docs/concepts/services-networking/gateway/ (its examples,
  # https://k8s.io/examples/service/networking/gateway.yaml and the others). The bundle is Gateway API
  # v1.2.1's release asset standard-install.yaml, the concatenation of config/crd/standard/*.yaml at the
  # tag v1.2.1 (commit a8fe5c8732a37ef471d86afaf570ff8ad0ef0221) that hack/build-install-yaml.sh
  # writes, copied into exercises/apps/gateway-api/ (exercises/apps/SOURCES).
  A kubeadm cluster does not know the Gateway API's kinds: the kubernetes.io examples are refused
  with kubectl's "no matches for kind" until the CRDs are installed. The bundle installs five
  CustomResourceDefinitions: GatewayClass, Gateway, HTTPRoute, GRPCRoute and ReferenceGrant. They
  only store and validate: with no controller for the class, nothing answers, and every Gateway and
  GatewayClass keeps the status the CRD gives it by default, "Waiting for controller".

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |

  Scenario: Without the CRDs, the kubernetes.io examples are refused
    When I try to run "kubectl apply -f https://k8s.io/examples/service/networking/gatewayclass.yaml"
    Then the command fails with:
      """
      error: resource mapping not found for name: "example-class" namespace: "" from "https://k8s.io/examples/service/networking/gatewayclass.yaml": no matches for kind "GatewayClass" in version "gateway.networking.k8s.io/v1"
      ensure CRDs are installed first
      """

  Scenario: The standard channel's CRDs, installed with a client-side apply as the v1.2 guide says
    # Each CRD's last-applied-configuration annotation stays under the 262144 bytes an object's
    # annotations may hold (HTTPRoute's, the largest, is about 190 kB), so all five are created.
    When I run "kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml"
    Then the output is:
      """
      customresourcedefinition.apiextensions.k8s.io/gatewayclasses.gateway.networking.k8s.io created
      customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io created
      customresourcedefinition.apiextensions.k8s.io/grpcroutes.gateway.networking.k8s.io created
      customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io created
      customresourcedefinition.apiextensions.k8s.io/referencegrants.gateway.networking.k8s.io created
      """
    When I run "kubectl get crd"
    Then the output is:
      """
      NAME                                        CREATED AT
      gatewayclasses.gateway.networking.k8s.io    2024-01-08T00:00:00Z
      gateways.gateway.networking.k8s.io          2024-01-08T00:00:00Z
      grpcroutes.gateway.networking.k8s.io        2024-01-08T00:00:00Z
      httproutes.gateway.networking.k8s.io        2024-01-08T00:00:00Z
      referencegrants.gateway.networking.k8s.io   2024-01-08T00:00:00Z
      """
    When I run "kubectl api-resources --api-group=gateway.networking.k8s.io"
    Then the output is:
      """
      NAME              SHORTNAMES   APIVERSION                          NAMESPACED   KIND
      gatewayclasses    gc           gateway.networking.k8s.io/v1        false        GatewayClass
      gateways          gtw          gateway.networking.k8s.io/v1        true         Gateway
      grpcroutes                     gateway.networking.k8s.io/v1        true         GRPCRoute
      httproutes                     gateway.networking.k8s.io/v1        true         HTTPRoute
      referencegrants   refgrant     gateway.networking.k8s.io/v1beta1   true         ReferenceGrant
      """

  Scenario: The guide's server-side apply installs the same CRDs, and the kubernetes.io examples are stored with their defaults
    When I run "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml"
    Then the output is:
      """
      customresourcedefinition.apiextensions.k8s.io/gatewayclasses.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/grpcroutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io serverside-applied
      customresourcedefinition.apiextensions.k8s.io/referencegrants.gateway.networking.k8s.io serverside-applied
      """
    When I run "kubectl get crd httproutes.gateway.networking.k8s.io -o jsonpath={.metadata.annotations}"
    Then the output is:
      """
      {"api-approved.kubernetes.io":"https://github.com/kubernetes-sigs/gateway-api/pull/3328","gateway.networking.k8s.io/bundle-version":"v1.2.1","gateway.networking.k8s.io/channel":"standard"}
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/gatewayclass.yaml"
    Then the output is:
      """
      gatewayclass.gateway.networking.k8s.io/example-class created
      """
    When I run "kubectl create namespace example-namespace"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/gateway.yaml"
    Then the output is:
      """
      gateway.gateway.networking.k8s.io/example-gateway created
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/httproute.yaml"
    Then the output is:
      """
      httproute.gateway.networking.k8s.io/example-httproute created
      """
    # No controller serves example.com/gateway-controller: the status is the CRD's default.
    When I run "kubectl get gatewayclass"
    Then the output is:
      """
      NAME            CONTROLLER                       ACCEPTED   AGE
      example-class   example.com/gateway-controller   Unknown    0s
      """
    When I run "kubectl get gateway -n example-namespace"
    Then the output is:
      """
      NAME              CLASS           ADDRESS   PROGRAMMED   AGE
      example-gateway   example-class   <none>    Unknown      0s
      """
    When I run:
      """
      kubectl get gateway example-gateway -n example-namespace -o jsonpath='{.status.conditions[?(@.type=="Programmed")].message}'
      """
    Then the output is:
      """
      Waiting for controller
      """
    # The defaults the CRD fills in: the parent is a Gateway of this group, the backend a Service
    # with weight 1.
    When I run "kubectl get httproute example-httproute -o jsonpath={.spec}"
    Then the output is:
      """
      {"hostnames":["www.example.com"],"parentRefs":[{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"example-gateway"}],"rules":[{"backendRefs":[{"group":"","kind":"Service","name":"example-svc","port":8080,"weight":1}],"matches":[{"path":{"type":"PathPrefix","value":"/login"}}]}]}
      """
    When I run "kubectl get httproute"
    Then the output is:
      """
      NAME                HOSTNAMES             AGE
      example-httproute   ["www.example.com"]   0s
      """

  Scenario: The CRDs' validation rules refuse what the API would not route
    When I run "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml"
    # A GatewayClass's controller cannot be changed once set.
    And I apply the manifest:
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example-class
      spec:
        controllerName: example.com/gateway-controller
      """
    And I try to apply the manifest:
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example-class
      spec:
        controllerName: example.com/other-controller
      """
    Then the command fails with:
      """
      The GatewayClass "example-class" is invalid: spec.controllerName: Invalid value: "string": Value is immutable
      """
    # An HTTP listener takes no TLS settings; an HTTPS one needs a certificate.
    When I try to apply the manifest:
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: example-gateway
      spec:
        gatewayClassName: example-class
        listeners:
        - name: http
          protocol: HTTP
          port: 80
          tls:
            certificateRefs:
            - name: example-cert
      """
    Then the command fails with:
      """
      The Gateway "example-gateway" is invalid: spec.listeners: Invalid value: "array": tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']
      """
    # A path match is an absolute path.
    When I try to apply the manifest:
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: example-httproute
      spec:
        parentRefs:
        - name: example-gateway
        rules:
        - matches:
          - path:
              type: PathPrefix
              value: login
          backendRefs:
          - name: example-svc
            port: 8080
      """
    Then the command fails with:
      """
      The HTTPRoute "example-httproute" is invalid: spec.rules[0].matches[0].path: Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']
      """
