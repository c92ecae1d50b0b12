Feature: Any image a manifest names pulls and runs as it would on a cluster
  Images in the catalogue behave as the real images do; an image the catalogue does not know is
  the team's own: it pulls and runs as a generic process, so its probes pass and its Service
  routes. Names that cannot exist fail to pull with the registry's real message (docs/images.md).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A team's own image runs as a generic process: Ready, and answering through its Service
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: shop
        namespace: shop
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: shop
        template:
          metadata:
            labels:
              app: shop
          spec:
            containers:
            - name: shop
              image: myorg/shop:1.0
              ports:
              - containerPort: 8080
              readinessProbe:
                httpGet:
                  path: /healthz
                  port: 8080
                periodSeconds: 5
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: shop
        namespace: shop
      spec:
        selector:
          app: shop
        ports:
        - port: 80
          targetPort: 8080
      """
    And 30 seconds pass
    When I run "kubectl get deployment shop -n shop"
    Then the output is:
      """
      NAME   READY   UP-TO-DATE   AVAILABLE   AGE
      shop   2/2     2            2           30s
      """
    When I request "http://shop.shop.svc.cluster.local/api/cart"
    Then the response status is 200
    When I run "kubectl get events -n shop --field-selector reason=GenericImage -o custom-columns=TYPE:.type,REASON:.reason,FROM:.source.component"
    Then the output is:
      """
      TYPE     REASON         FROM
      Normal   GenericImage   kube-scenario
      Normal   GenericImage   kube-scenario
      """

  Scenario: A one-word name that is no official image fails as Docker Hub answers it
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: typo
      spec:
        containers:
        - name: typo
          image: ngnix
      """
    And 5 seconds pass
    Then container "typo" of pod "typo" is waiting with reason "ErrImagePull"
    When I run "kubectl get events --field-selector involvedObject.name=typo -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Pulling image "ngnix"
      Failed to pull image "ngnix": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
      Error: ErrImagePull
      """

  Scenario: A typo in a repository the catalogue knows completely does not exist
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - name: app
          image: kubetm/ap
      """
    And 5 seconds pass
    When I run "kubectl get events --field-selector involvedObject.name=app -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Failed to pull image "kubetm/ap": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/kubetm/ap:latest": failed to resolve reference "docker.io/kubetm/ap:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
      """

  Scenario: A tag that does not exist fails with NotFound, then backs off
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: web
          image: nginx:1.161
      """
    And 5 seconds pass
    When I run "kubectl get events --field-selector involvedObject.name=web -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Failed to pull image "nginx:1.161": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found
      """
    When 15 seconds pass
    Then container "web" of pod "web" is waiting with reason "ImagePullBackOff"

  Scenario: The scenario says an image does not exist
    Given the image "myorg/shop:2.0" does not exist
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shop
      spec:
        containers:
        - name: shop
          image: myorg/shop:2.0
      """
    And 5 seconds pass
    Then container "shop" of pod "shop" is waiting with reason "ErrImagePull"
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: old
      spec:
        containers:
        - name: old
          image: myorg/shop:1.9
      """
    And 10 seconds pass
    Then pod "old" is Running

  Scenario: A project that wants every unknown name to fail, with one image declared
    Given unknown images do not exist
    And the image "myorg/shop" exists
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shop
      spec:
        containers:
        - name: shop
          image: myorg/shop:1.4
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: api
      spec:
        containers:
        - name: api
          image: ghcr.io/acme/api:2.1
      """
    And 10 seconds pass
    Then pod "shop" is Running
    When I run "kubectl get events --field-selector involvedObject.name=api -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Failed to pull image "ghcr.io/acme/api:2.1": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/api:2.1": failed to resolve reference "ghcr.io/acme/api:2.1": ghcr.io/acme/api:2.1: not found
      """

  Scenario: A private image pulls only with a pull secret for its registry
    # An image already on the node is used without asking the registry (IfNotPresent), as the
    # kubelet does: the pods without credentials ask for a fresh pull (imagePullPolicy: Always).
    Given the image "ghcr.io/acme/private-api:1.0" is private
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: ghcr
      type: kubernetes.io/dockerconfigjson
      stringData:
        .dockerconfigjson: '{"auths":{"ghcr.io":{"username":"acme","password":"token"}}}'
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: with-secret
      spec:
        imagePullSecrets:
        - name: ghcr
        containers:
        - name: api
          image: ghcr.io/acme/private-api:1.0
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: without-secret
      spec:
        containers:
        - name: api
          image: ghcr.io/acme/private-api:1.0
          imagePullPolicy: Always
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: missing-secret
      spec:
        imagePullSecrets:
        - name: regcred
        containers:
        - name: api
          image: ghcr.io/acme/private-api:1.0
          imagePullPolicy: Always
      """
    And 10 seconds pass
    Then pod "with-secret" is Running
    And container "api" of pod "without-secret" is waiting with reason "ErrImagePull"
    When I run "kubectl get events --field-selector involvedObject.name=missing-secret -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.
      """
    And the output contains:
      """
      Failed to pull image "ghcr.io/acme/private-api:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/private-api:1.0": failed to resolve reference "ghcr.io/acme/private-api:1.0": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized
      """

  Scenario: imagePullPolicy Never with an image that is not on the node
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: never
      spec:
        containers:
        - name: app
          image: busybox:1.36
          imagePullPolicy: Never
          command: ["sleep", "3600"]
      """
    And 5 seconds pass
    Then container "app" of pod "never" is waiting with reason "ErrImageNeverPull"
    When I run "kubectl get events --field-selector involvedObject.name=never -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Container image "busybox:1.36" is not present with pull policy of Never
      Error: ErrImageNeverPull
      """
