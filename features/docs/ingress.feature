Feature: Ingress
  # Source: https://kubernetes.io/docs/concepts/services-networking/ingress/
  #
  # The page's example manifests, applied verbatim from https://k8s.io/examples/service/networking/
  # (exercises/docs/service/networking/). The API server checks them as v1.32 does
  # (pkg/apis/networking/validation), and its DefaultIngressClass admission plugin gives an Ingress
  # without a class the cluster's default IngressClass. This cluster has minikube's ingress addon
  # built in (docs/divergences.md): its IngressClass `nginx` is the default one, so an Ingress
  # without `ingressClassName` shows the class `nginx`, and the controller publishes its node's
  # address at its status sync, every 60 s. The page's `describe` outputs were printed by an older
  # kubectl (no `Labels:` and `Ingress Class:` lines) on a cloud with a load balancer: the addresses
  # and Pod IPs here are this cluster's.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The minimal Ingress: a class that no controller here implements gets no address
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/minimal-ingress.yaml"
    Then the output is:
      """
      ingress.networking.k8s.io/minimal-ingress created
      """
    When 2 minutes pass
    And I run "kubectl get ingress minimal-ingress"
    Then the output is:
      """
      NAME              CLASS           HOSTS   ADDRESS   PORTS   AGE
      minimal-ingress   nginx-example   *                 80      2m
      """

  Scenario: Resource backends: the describe output the page shows
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/ingress-resource-backend.yaml"
    Then the output is:
      """
      ingress.networking.k8s.io/ingress-resource-backend created
      """
    When I run "kubectl describe ingress ingress-resource-backend"
    Then the output is:
      """
      Name:             ingress-resource-backend
      Labels:           <none>
      Namespace:        default
      Address:          
      Ingress Class:    nginx
      Default backend:  APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets
      Rules:
        Host        Path  Backends
        ----        ----  --------
        *           
                    /icons   APIGroup: k8s.example.com, Kind: StorageBucket, Name: icon-assets
      Annotations:  <none>
      Events:       <none>
      """

  Scenario: "A Resource is a mutually exclusive setting with Service, and will fail validation if both are specified"
    When I try to apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: both-backends
      spec:
        defaultBackend:
          service:
            name: test
            port:
              number: 80
          resource:
            apiGroup: k8s.example.com
            kind: StorageBucket
            name: static-assets
      """
    Then the command fails with:
      """
      The Ingress "both-backends" is invalid: spec.defaultBackend: Invalid value: "": cannot set both resource and service backends
      """

  Scenario: "Paths that do not include an explicit pathType will fail validation"
    When I try to apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: no-path-type
      spec:
        rules:
        - http:
            paths:
            - path: /testpath
              backend:
                service:
                  name: test
                  port:
                    number: 80
      """
    Then the command fails with:
      """
      The Ingress "no-path-type" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified
      """
    And I run "kubectl get ingress"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: Hostname wildcards: `*.foo.com` is a host, `foo.*.com` is not
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/ingress-wildcard-host.yaml"
    Then the output is:
      """
      ingress.networking.k8s.io/ingress-wildcard-host created
      """
    When I run "kubectl get ingress ingress-wildcard-host"
    Then the output is:
      """
      NAME                    CLASS   HOSTS                   ADDRESS   PORTS   AGE
      ingress-wildcard-host   nginx   foo.bar.com,*.foo.com             80      0s
      """
    When I try to run "kubectl create ingress bad-wildcard --rule=foo.*.com/=service1:80"
    Then the command fails with:
      """
      error: failed to create ingress: Ingress.networking.k8s.io "bad-wildcard" is invalid: spec.rules[0].host: Invalid value: "foo.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      """

  Scenario: Ingress class: parameters are cluster-scoped unless the scope says Namespace
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/external-lb.yaml"
    Then the output is:
      """
      ingressclass.networking.k8s.io/external-lb created
      """
    # "If you set the .spec.parameters field and don't set .spec.parameters.scope ... then the
    # IngressClass refers to a cluster-scoped resource": the API server defaults the scope.
    When I run "kubectl get ingressclass external-lb -o jsonpath={.spec.parameters}"
    Then the output is:
      """
      {"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb","scope":"Cluster"}
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/namespaced-params.yaml"
    Then the output is:
      """
      ingressclass.networking.k8s.io/external-lb configured
      """
    When I run "kubectl describe ingressclass external-lb"
    Then the output is:
      """
      Name:         external-lb
      Labels:       <none>
      Annotations:  <none>
      Controller:   example.com/ingress-controller
      Parameters:
        APIGroup:  k8s.example.com
        Kind:      IngressParameters
        Name:      external-lb
      Events:      <none>
      """
    When I run "kubectl get ingressclass external-lb -o jsonpath={.spec.parameters.scope}/{.spec.parameters.namespace}"
    Then the output is:
      """
      Namespace/external-configuration
      """

  Scenario: Default IngressClass: with two classes marked default, an Ingress without a class is refused
    # minikube's addon has already marked `nginx` as the default class.
    When I run "kubectl get ingressclass"
    Then the output is:
      """
      NAME    CONTROLLER             PARAMETERS   AGE
      nginx   k8s.io/ingress-nginx   <none>       0s
      """
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/default-ingressclass.yaml"
    Then the output is:
      """
      ingressclass.networking.k8s.io/example-class created
      """
    When I try to run "kubectl apply -f https://k8s.io/examples/service/networking/test-ingress.yaml"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "https://k8s.io/examples/service/networking/test-ingress.yaml": ingresses.networking.k8s.io "test-ingress" is forbidden: Internal error occurred: 2 default IngressClasses were found, only 1 allowed
      """
    # "You can resolve this by ensuring that at most 1 IngressClass is marked as default".
    When I run "kubectl annotate ingressclass nginx ingressclass.kubernetes.io/is-default-class-"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/test-ingress.yaml"
    Then the output is:
      """
      ingress.networking.k8s.io/test-ingress created
      """
    When I run "kubectl get ingress test-ingress"
    Then the output is:
      """
      NAME           CLASS           HOSTS   ADDRESS   PORTS   AGE
      test-ingress   example-class   *                 80      0s
      """

  Scenario: Ingress backed by a single Service: the controller publishes an address
    When I run "kubectl create deployment test --image=nginx:1.27 --port=80"
    And I run "kubectl expose deployment test --port=80"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/test-ingress.yaml"
    Then the output is:
      """
      ingress.networking.k8s.io/test-ingress created
      """
    # "Ingress controllers and load balancers may take a minute or two to allocate an IP address":
    # the addon's controller publishes its node's address at its next status sync (every 60 s).
    When I run "kubectl get ingress test-ingress"
    Then the output is:
      """
      NAME           CLASS   HOSTS   ADDRESS   PORTS   AGE
      test-ingress   nginx   *                 80      0s
      """
    Then within 2 minutes the output of "kubectl get ingress test-ingress" contains:
      """
      test-ingress   nginx   *       172.18.0.3   80
      """

  Scenario: Simple fanout: each path's backend with the endpoints of its Service
    When I run "kubectl create deployment service1 --image=nginx:1.27 --port=4200"
    And I run "kubectl expose deployment service1 --port=4200"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/simple-fanout-example.yaml"
    And 30 seconds pass
    When I run "kubectl describe ingress simple-fanout-example"
    Then the output contains:
      """
      Rules:
        Host         Path  Backends
        ----         ----  --------
        foo.bar.com  
                     /foo   service1:4200 (10.244.0.2:4200)
                     /bar   service2:8080 (<error: services "service2" not found>)
      """

  Scenario: Name based virtual hosting, with and without a third host
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/name-virtual-host-ingress.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/name-virtual-host-ingress-no-third-host.yaml"
    And I run "kubectl get ingress"
    Then the output is:
      """
      NAME                                      CLASS   HOSTS                          ADDRESS   PORTS   AGE
      name-virtual-host-ingress                 nginx   foo.bar.com,bar.foo.com                  80      0s
      name-virtual-host-ingress-no-third-host   nginx   first.bar.com,second.bar.com             80      0s
      """

  Scenario: TLS: the Secret named in `tls`, and port 443
    # The key and certificate are the fixtures of "Connecting Applications with Services"; the
    # simulation does not read a certificate's names (TLS is not simulated, docs/divergences.md).
    When I run "kubectl create secret tls testsecret-tls --key exercises/docs/connect-applications-service/nginx.key --cert exercises/docs/connect-applications-service/nginx.crt"
    And I run "kubectl apply -f https://k8s.io/examples/service/networking/tls-example-ingress.yaml"
    And I run "kubectl get ingress tls-example-ingress"
    Then the output is:
      """
      NAME                  CLASS   HOSTS                   ADDRESS   PORTS     AGE
      tls-example-ingress   nginx   https-example.foo.com             80, 443   0s
      """
    When I run "kubectl describe ingress tls-example-ingress"
    Then the output contains:
      """
      TLS:
        testsecret-tls terminates https-example.foo.com
      """
