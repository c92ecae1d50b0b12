Feature: A real application's manifests apply whole, whatever built-in kinds they use
  Every resource of a v1.32 API server is served: a chart's rendered output with a StatefulSet,
  claims, an Ingress, an HPA, a NetworkPolicy, RBAC and a custom resource applies in one go, and
  `kubectl get` prints each kind's columns. (The CRD is applied first, as Helm does with a chart's
  crds/ folder: kubectl cannot map a custom resource whose CRD it has not seen yet.)

  Scenario: A Deployment, a StatefulSet, claims, config, RBAC, an Ingress, an HPA, a NetworkPolicy and a custom resource
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: backups.example.com
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: backups, singular: backup, kind: Backup}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    schedule: {type: string}
          additionalPrinterColumns:
          - {name: Schedule, type: string, jsonPath: .spec.schedule}
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: shop}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: shop-reader}
      rules:
      - apiGroups: [""]
        resources: ["configmaps"]
        verbs: ["get", "list", "watch"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: shop-reader}
      subjects:
      - kind: ServiceAccount
        name: shop
      roleRef:
        kind: Role
        name: shop-reader
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-config}
      data: {LOG_LEVEL: info}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-db}
      stringData: {password: s3cret}
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: shop-uploads}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: shop-db}
      spec:
        serviceName: shop-db
        replicas: 1
        selector: {matchLabels: {app: shop-db}}
        template:
          metadata: {labels: {app: shop-db}}
          spec:
            containers:
            - name: postgres
              image: postgres:16
        volumeClaimTemplates:
        - metadata: {name: data}
          spec:
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: shop}
      spec:
        selector: {app: shop}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop}
      spec:
        ingressClassName: nginx
        rules:
        - host: shop.example
          http:
            paths:
            - path: /
              pathType: Prefix
              backend: {service: {name: shop, port: {number: 80}}}
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: shop}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
        minReplicas: 2
        maxReplicas: 5
        metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: shop-db}
      spec:
        podSelector: {matchLabels: {app: shop-db}}
        ingress:
        - from:
          - podSelector: {matchLabels: {app: shop}}
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: shop}
      spec:
        minAvailable: 1
        selector: {matchLabels: {app: shop}}
      ---
      apiVersion: example.com/v1
      kind: Backup
      metadata: {name: nightly}
      spec: {schedule: "0 3 * * *"}
      """
    When I run "kubectl get role,rolebinding,ing,hpa,netpol,backups"
    Then the output is:
      """
      NAME                                         CREATED AT
      role.rbac.authorization.k8s.io/shop-reader   2024-01-08T00:00:00Z

      NAME                                                ROLE               AGE
      rolebinding.rbac.authorization.k8s.io/shop-reader   Role/shop-reader   0s

      NAME                             CLASS   HOSTS          ADDRESS   PORTS   AGE
      ingress.networking.k8s.io/shop   nginx   shop.example             80      0s

      NAME                                       REFERENCE         TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
      horizontalpodautoscaler.autoscaling/shop   Deployment/shop   cpu: <unknown>/60%   2         5         0          0s

      NAME                                      POD-SELECTOR   AGE
      networkpolicy.networking.k8s.io/shop-db   app=shop-db    0s

      NAME                         SCHEDULE
      backup.example.com/nightly   0 3 * * *
      """
    And rolebinding "shop-reader" matches:
      """yaml
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: shop-reader
      subjects:
      - kind: ServiceAccount
        name: shop
      """

  Scenario: RBAC validation: a binding must name a Role or ClusterRole
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I try to apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: bad}
      subjects:
      - kind: Robot
        name: r2d2
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Deployment
        name: web
      """
    Then the command fails with:
      """
      The RoleBinding "bad" is invalid: 
      * roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole"
      * subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"
      """

  Scenario: The whole application comes up: the database with its claim, the web tier scaled by its HPA, served through the Ingress
    # The same kinds as above, as a chart renders them for one release: 15 documents applied whole.
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: backups.example.com
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: backups, singular: backup, kind: Backup}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    schedule: {type: string}
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: shop}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: shop-reader}
      rules:
      - apiGroups: [""]
        resources: ["configmaps"]
        verbs: ["get", "list", "watch"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: shop-reader}
      subjects:
      - kind: ServiceAccount
        name: shop
      roleRef:
        kind: Role
        name: shop-reader
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-config}
      data: {LOG_LEVEL: info}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-db}
      stringData: {password: s3cret}
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: shop-uploads}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: shop-db}
      spec:
        clusterIP: None
        selector: {app: shop-db}
        ports: [{port: 5432}]
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: shop-db}
      spec:
        serviceName: shop-db
        replicas: 1
        selector: {matchLabels: {app: shop-db}}
        template:
          metadata: {labels: {app: shop-db}}
          spec:
            containers:
            - name: postgres
              image: postgres:16
              env:
              - name: POSTGRES_PASSWORD
                valueFrom: {secretKeyRef: {name: shop-db, key: password}}
              ports: [{containerPort: 5432}]
              volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
        volumeClaimTemplates:
        - metadata: {name: data}
          spec:
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: shop}
      spec:
        replicas: 1
        selector: {matchLabels: {app: shop}}
        template:
          metadata: {labels: {app: shop}}
          spec:
            serviceAccountName: shop
            containers:
            - name: web
              image: nginx:1.27
              envFrom: [{configMapRef: {name: shop-config}}]
              ports: [{containerPort: 80}]
              readinessProbe: {httpGet: {path: /, port: 80}}
              resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
              volumeMounts: [{name: uploads, mountPath: /uploads}]
            volumes:
            - name: uploads
              persistentVolumeClaim: {claimName: shop-uploads}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: shop}
      spec:
        selector: {app: shop}
        ports: [{port: 80}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop}
      spec:
        ingressClassName: nginx
        rules:
        - host: shop.example
          http:
            paths:
            - path: /
              pathType: Prefix
              backend: {service: {name: shop, port: {number: 80}}}
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: shop}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
        minReplicas: 2
        maxReplicas: 5
        metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: shop-db}
      spec:
        podSelector: {matchLabels: {app: shop-db}}
        ingress:
        - from:
          - podSelector: {matchLabels: {app: shop}}
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: shop}
      spec:
        minAvailable: 1
        selector: {matchLabels: {app: shop}}
      ---
      apiVersion: example.com/v1
      kind: Backup
      metadata: {name: nightly}
      spec: {schedule: "0 3 * * *"}
      """
    Then within 2 minutes statefulset "shop-db" has 1 ready replicas
    And persistentvolumeclaim "data-shop-db-0" is bound
    And within 2 minutes persistentvolumeclaim "shop-uploads" is bound
    And within 2 minutes deployment "shop" has 2 available replicas
    When 2 minutes pass
    And I run "kubectl get statefulset,deployment,hpa,pvc,backups"
    Then the output contains:
      """
      NAME                       READY   AGE
      statefulset.apps/shop-db   1/1     2m16s

      NAME                   READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/shop   2/2     2            2           2m16s
      """
    # The HPA raised the Deployment to its minReplicas; each claim is bound to a provisioned volume.
    And the output contains:
      """
      Deployment/shop
      """
    And the output contains:
      """
      2         5         2          2m16s
      """
    And the output contains:
      """
      persistentvolumeclaim/data-shop-db-0   Bound
      """
    And the output contains:
      """
      persistentvolumeclaim/shop-uploads     Bound
      """
    And the output contains:
      """
      backup.example.com/nightly   2m16s
      """
    When I request "http://shop.example/"
    Then the response status is 200
