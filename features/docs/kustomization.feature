Feature: Declarative Management of Kubernetes Objects Using Kustomize
  # Source: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/
  #
  # `kubectl kustomize DIR` prints what kustomize v5.5.0 (bundled in kubectl v1.32) builds from a
  # kustomization; `kubectl apply -k DIR`, `get -k`, `describe -k` and `delete -k` use that build as
  # their manifests. The page's files are under exercises/docs/kustomize/, one directory per
  # example. Generated ConfigMaps and Secrets get a content-hash suffix (kustomize's
  # api/hasher/hasher.go). The page's outputs come from several kustomize versions: where they
  # disagree with v5.5.0's hasher, the source wins. v5.5.0 hashes the content only (its lookup of
  # "metadata/name" finds no such field), so the same data gives the same suffix whatever the
  # generator's name: the page's env-file ConfigMap (42cfbf598f) and its Deployment example's
  # ConfigMap (g4hk9g2ff8) are v5.5.0's; its first file ConfigMap (8mbdf7882g), literal ConfigMap
  # (g2hdhfc6tk) and Secrets (t2kt65hgtb, t52t6g96d8) were made by older versions, and v5.5.0
  # (krusty's configmaps_test.go agrees) names them g4hk9g2ff8, 42cfbf598f, 2kdd8ckcc7 and
  # 8c5228dkb9. The deprecated fields (commonLabels, patchesStrategicMerge, patchesJson6902) are
  # still built, with kustomize's warning on stderr.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: configMapGenerator from a .properties file
    When I run "kubectl kustomize exercises/docs/kustomize/configmap-from-file"
    Then the output is:
      """
      apiVersion: v1
      data:
        application.properties: |
          FOO=Bar
      kind: ConfigMap
      metadata:
        name: example-configmap-1-g4hk9g2ff8
      """

  Scenario: configMapGenerator from an env file: one key per variable
    When I run "kubectl kustomize exercises/docs/kustomize/configmap-from-env"
    Then the output is:
      """
      apiVersion: v1
      data:
        FOO: Bar
      kind: ConfigMap
      metadata:
        name: example-configmap-1-42cfbf598f
      """

  Scenario: configMapGenerator from a literal
    When I run "kubectl kustomize exercises/docs/kustomize/configmap-from-literal"
    Then the output is:
      """
      apiVersion: v1
      data:
        FOO: Bar
      kind: ConfigMap
      metadata:
        name: example-configmap-2-42cfbf598f
      """

  Scenario: A Deployment refers to the generated ConfigMap by its generated name
    When I run "kubectl kustomize exercises/docs/kustomize/configmap-in-deployment"
    Then the output is:
      """
      apiVersion: v1
      data:
        application.properties: |
          FOO=Bar
      kind: ConfigMap
      metadata:
        name: example-configmap-1-g4hk9g2ff8
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: my-app
        name: my-app
      spec:
        selector:
          matchLabels:
            app: my-app
        template:
          metadata:
            labels:
              app: my-app
          spec:
            containers:
            - image: my-app
              name: app
              volumeMounts:
              - mountPath: /config
                name: config
            volumes:
            - configMap:
                name: example-configmap-1-g4hk9g2ff8
              name: config
      """

  Scenario: secretGenerator from a file and from literals
    When I run "kubectl kustomize exercises/docs/kustomize/secret-from-file"
    Then the output is:
      """
      apiVersion: v1
      data:
        password.txt: dXNlcm5hbWU9YWRtaW4KcGFzc3dvcmQ9c2VjcmV0Cg==
      kind: Secret
      metadata:
        name: example-secret-1-2kdd8ckcc7
      type: Opaque
      """
    When I run "kubectl kustomize exercises/docs/kustomize/secret-from-literal"
    Then the output is:
      """
      apiVersion: v1
      data:
        password: c2VjcmV0
        username: YWRtaW4=
      kind: Secret
      metadata:
        name: example-secret-2-8c5228dkb9
      type: Opaque
      """

  Scenario: A Deployment mounts the generated Secret by its generated name
    When I run "kubectl kustomize exercises/docs/kustomize/secret-in-deployment"
    Then the output contains:
      """
      metadata:
        name: example-secret-1-2kdd8ckcc7
      type: Opaque
      ---
      apiVersion: apps/v1
      kind: Deployment
      """
    And the output contains:
      """
            volumes:
            - name: password
              secret:
                secretName: example-secret-1-2kdd8ckcc7
      """

  Scenario: generatorOptions: no hash suffix, labels and annotations on what is generated
    When I run "kubectl kustomize exercises/docs/kustomize/generator-options"
    Then the output is:
      """
      apiVersion: v1
      data:
        FOO: Bar
      kind: ConfigMap
      metadata:
        annotations:
          note: generated
        labels:
          type: generated
        name: example-configmap-3
      """

  Scenario: Cross-cutting fields: namespace, name prefix and suffix, labels and annotations
    When I run "kubectl kustomize exercises/docs/kustomize/cross-cutting"
    Then the output is:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          oncallPager: 800-555-1212
        labels:
          app: bingo
        name: dev-nginx-deployment-001
        namespace: my-namespace
      spec:
        selector:
          matchLabels:
            app: bingo
        template:
          metadata:
            annotations:
              oncallPager: 800-555-1212
            labels:
              app: bingo
          spec:
            containers:
            - image: nginx
              name: nginx
      """
    And the error output is:
      """
      # Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.
      """

  Scenario: Composing a Deployment and a Service: the Service comes first
    When I run "kubectl kustomize exercises/docs/kustomize/composing"
    Then the output is:
      """
      apiVersion: v1
      kind: Service
      metadata:
        labels:
          run: my-nginx
        name: my-nginx
      spec:
        ports:
        - port: 80
          protocol: TCP
        selector:
          run: my-nginx
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: my-nginx
      spec:
        replicas: 2
        selector:
          matchLabels:
            run: my-nginx
        template:
          metadata:
            labels:
              run: my-nginx
          spec:
            containers:
            - image: nginx
              name: my-nginx
              ports:
              - containerPort: 80
      """

  Scenario: patchesStrategicMerge: more replicas and a memory limit
    When I run "kubectl kustomize exercises/docs/kustomize/patches-strategic-merge"
    Then the output is:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: my-nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            run: my-nginx
        template:
          metadata:
            labels:
              run: my-nginx
          spec:
            containers:
            - image: nginx
              name: my-nginx
              ports:
              - containerPort: 80
              resources:
                limits:
                  memory: 512Mi
      """
    And the error output is:
      """
      # Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.
      """

  Scenario: patchesJson6902: a JSON patch replaces the replica count
    When I run "kubectl kustomize exercises/docs/kustomize/patches-json6902"
    Then the output is:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: my-nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            run: my-nginx
        template:
          metadata:
            labels:
              run: my-nginx
          spec:
            containers:
            - image: nginx
              name: my-nginx
              ports:
              - containerPort: 80
      """

  Scenario: images: a new name and tag for the nginx image
    When I run "kubectl kustomize exercises/docs/kustomize/images"
    Then the output contains:
      """
            containers:
            - image: my.image.registry/nginx:1.4.0
              name: my-nginx
      """

  Scenario: Bases and overlays: two overlays name the same base's resources differently
    When I run "kubectl kustomize exercises/docs/kustomize/bases-and-overlays/dev"
    Then the output contains:
      """
        name: dev-my-nginx
      spec:
        ports:
      """
    And the output contains:
      """
      kind: Deployment
      metadata:
        name: dev-my-nginx
      """
    When I run "kubectl kustomize exercises/docs/kustomize/bases-and-overlays/prod"
    Then the output contains:
      """
      kind: Deployment
      metadata:
        name: prod-my-nginx
      """

  Scenario: apply, get, describe and delete with -k
    When I run "kubectl apply -k exercises/docs/kustomize/apply-view-delete/"
    Then the output is:
      """
      deployment.apps/dev-my-nginx created
      """
    When 10 seconds pass
    And I run "kubectl get -k exercises/docs/kustomize/apply-view-delete/"
    Then the output is:
      """
      NAME           READY   UP-TO-DATE   AVAILABLE   AGE
      dev-my-nginx   2/2     2            2           10s
      """
    When I run "kubectl describe -k exercises/docs/kustomize/apply-view-delete/"
    Then the output contains:
      """
      Name:                   dev-my-nginx
      Namespace:              default
      """
    And the output contains:
      """
      Selector:               app=my-nginx,run=my-nginx
      Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable
      """
    When I run "kubectl delete -k exercises/docs/kustomize/apply-view-delete/"
    Then the output is:
      """
      deployment.apps "dev-my-nginx" deleted
      """

  Scenario: -k needs a directory with a kustomization, and is not -f
    When I try to run "kubectl kustomize exercises/docs/kustomize"
    Then the command fails with:
      """
      error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory 'exercises/docs/kustomize'
      """
    When I try to run "kubectl apply -k exercises/docs/kustomize/images -f exercises/docs/kustomize/images/deployment.yaml"
    Then the command fails with:
      """
      error: only one of -f or -k can be specified
      """
