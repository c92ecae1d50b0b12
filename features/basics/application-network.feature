Feature: A web application's manifests: config, Deployment, Service, Ingress, HPA and NetworkPolicy
  # Source: https://kubernetes.io/docs/concepts/services-networking/network-policies/
  # Source: https://kubernetes.io/docs/concepts/services-networking/ingress/
  # Source: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
  #
  # What a chart renders for a small web shop, applied whole: the shop is reached through the
  # cluster's ingress-nginx, its pods accept traffic only from the ingress controller's namespace
  # (a common policy), and an HPA keeps it between 2 and 5 replicas.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-config}
      data: {MODE: production}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-secret}
      stringData: {API_KEY: s3cr3t}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: shop, labels: {app.kubernetes.io/name: shop}}
      spec:
        replicas: 1
        selector: {matchLabels: {app.kubernetes.io/name: shop}}
        template:
          metadata: {labels: {app.kubernetes.io/name: shop}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              ports: [{name: http, containerPort: 80}]
              envFrom: [{configMapRef: {name: shop-config}}, {secretRef: {name: shop-secret}}]
              resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
              readinessProbe: {httpGet: {path: /, port: http}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: shop}
      spec:
        selector: {app.kubernetes.io/name: shop}
        ports: [{name: http, port: 80, targetPort: http}]
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
              backend: {service: {name: shop, port: {name: http}}}
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
      metadata: {name: shop-from-ingress}
      spec:
        podSelector: {matchLabels: {app.kubernetes.io/name: shop}}
        policyTypes: [Ingress]
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
          ports: [{port: http}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        containers:
        - {name: busybox, image: busybox:1.28, command: [sleep, "3600"]}
      """
    And 90 seconds pass

  Scenario: The HPA brings the shop to its minimum; the Ingress has the controller's address
    When I run "kubectl get deployment shop"
    Then the output contains:
      """
      shop   2/2     2            2
      """
    When I run "kubectl get hpa shop"
    Then the output contains:
      """
      shop   Deployment/shop   cpu: 1%/60%   2         5         2
      """
    When I run "kubectl get ingress shop"
    Then the output contains:
      """
      shop   nginx   shop.example   172.18.0.3   80
      """

  Scenario: Through the ingress the shop answers; straight to its Service a pod times out
    When I request "http://shop.example/"
    Then the response status is 200
    When I run "kubectl exec client -- wget -q -O- --timeout=2 http://shop.example/"
    Then the output contains:
      """
      <title>Welcome to nginx!</title>
      """
    When I try to run "kubectl exec client -- wget -q -O- --timeout=2 http://shop/"
    Then the command fails with:
      """
      wget: download timed out
      """
