Feature: Any image a manifest names pulls and runs as it would on a cluster
  # Source: https://kubernetes.io/docs/concepts/containers/images/
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
    And the explanation of pod "typo" contains:
      """
      Images:
      container "typo" is waiting (ErrImagePull) for the image "ngnix"
        the image "ngnix" does not exist: a one-word name means Docker Hub's official image docker.io/library/ngnix, and there is none of that name (did you mean "nginx"?)
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
    And the explanation of pod "app" contains:
      """
      Images:
      container "app" is waiting (ErrImagePull) for the image "kubetm/ap"
        the image "kubetm/ap" does not exist: the registry has no repository docker.io/kubetm/ap (did you mean "kubetm/app"?)
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
    And the explanation of pod "web" contains:
      """
      Images:
      container "web" is waiting (ImagePullBackOff) for the image "nginx:1.161"
        the image "nginx:1.161" does not exist: the repository docker.io/library/nginx exists but has no tag "1.161" (did you mean "1.16.1"?)
      """

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
    And the explanation of pod "shop" contains:
      """
      Images:
      container "shop" is waiting (ErrImagePull) for the image "myorg/shop:2.0"
        the image "myorg/shop:2.0" does not exist because the scenario says so (Given the image "…" does not exist)
      """
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

  Scenario: A name one edit from a catalogue image is a typo, not the team's own image
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: memory-demo
      spec:
        containers:
        - name: memory-demo-ctr
          image: polinux/stres
          command: ["stress"]
          args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
      """
    And 5 seconds pass
    Then container "memory-demo-ctr" of pod "memory-demo" is waiting with reason "ErrImagePull"
    When I run "kubectl get events --field-selector involvedObject.name=memory-demo -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Failed to pull image "polinux/stres": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/polinux/stres:latest": failed to resolve reference "docker.io/polinux/stres:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
      """
    And the explanation of pod "memory-demo" contains:
      """
      Images:
      container "memory-demo-ctr" is waiting (ErrImagePull) for the image "polinux/stres"
        the image "polinux/stres" does not exist: docker.io/polinux/stres is not a repository the registry has; it is a near miss of "polinux/stress"
      """

  Scenario: A digest pins the image; the default pull policy follows the tag, as the Images page lists
    # "if you omit the imagePullPolicy field, and you specify the digest for your container image,
    # the imagePullPolicy is automatically set to IfNotPresent"; ":latest" or no tag: Always; another
    # tag: IfNotPresent.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pinned
      spec:
        containers:
        - name: digest
          image: busybox@sha256:45b23dee08af5e43a7fea6c4cf9c25ccf269ee113168c19722f87876677c5cb2
          command: ["sleep", "3600"]
        - name: untagged
          image: busybox
          command: ["sleep", "3600"]
        - name: latest
          image: busybox:latest
          command: ["sleep", "3600"]
        - name: tagged
          image: busybox:1.36
          command: ["sleep", "3600"]
      """
    And 20 seconds pass
    Then pod "pinned" is Running
    When I run "kubectl get pod pinned -o jsonpath={.spec.containers[*].imagePullPolicy}"
    Then the output is:
      """
      IfNotPresent Always Always IfNotPresent
      """
    When I run "kubectl get pod pinned -o jsonpath={.status.containerStatuses[0].imageID}"
    Then the output is:
      """
      docker.io/library/busybox@sha256:45b23dee08af5e43a7fea6c4cf9c25ccf269ee113168c19722f87876677c5cb2
      """

  Scenario: busybox under every registry name runs its shell; a tag a mirror does not have fails
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shells
      spec:
        restartPolicy: Never
        containers:
        - name: hub
          image: docker.io/library/busybox:1.36
          command: ["sh", "-c", "echo hub; uname -s"]
        - name: k8s
          image: registry.k8s.io/busybox
          command: ["sh", "-c", "echo k8s"]
        - name: gcr
          image: gcr.io/google-containers/busybox:1.27
          command: ["sh", "-c", "echo gcr"]
        - name: e2e
          image: registry.k8s.io/e2e-test-images/busybox:1.36.1-1
          command: ["sh", "-c", "echo e2e"]
        - name: alpine
          image: alpine:3.20
          command: ["/bin/sh", "-c", "echo alpine"]
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: mirror
      spec:
        containers:
        - name: gcr
          image: gcr.io/google-containers/busybox:1.36
      """
    And 30 seconds pass
    Then pod "shells" is Succeeded
    When I run "kubectl logs shells -c hub"
    Then the output is:
      """
      hub
      Linux
      """
    When I run "kubectl logs shells -c gcr"
    Then the output is:
      """
      gcr
      """
    When I run "kubectl logs shells -c alpine"
    Then the output is:
      """
      alpine
      """
    When I run "kubectl get events --field-selector involvedObject.name=mirror -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Failed to pull image "gcr.io/google-containers/busybox:1.36": rpc error: code = NotFound desc = failed to pull and unpack image "gcr.io/google-containers/busybox:1.36": failed to resolve reference "gcr.io/google-containers/busybox:1.36": gcr.io/google-containers/busybox:1.36: not found
      """
