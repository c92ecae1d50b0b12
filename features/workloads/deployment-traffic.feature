@epic:Workloads @feature:Deployment
Feature: A rolling update behind a Service — readiness decides whether requests are lost
  A Service sends requests only to ready endpoints. During a rolling update the Deployment starts
  new pods and stops old ones. `kubetm/app` serves 10 seconds after its container starts: with a
  readiness probe, a new pod becomes Ready (and receives requests) only once it serves, and the
  rollout waits for it before stopping an old pod, so no request is lost. Without a probe the pod
  is Ready as soon as its container runs, the rollout moves on at once, and requests sent to the
  new pods during their first 10 seconds are refused.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc-web
      spec:
        selector:
          app: web
        ports:
        - port: 8080
          targetPort: 8080
      """

  Scenario: With a readiness probe no request is lost
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: app
              image: kubetm/app:v1
              readinessProbe:
                httpGet:
                  path: /hostname
                  port: 8080
                periodSeconds: 1
      """
    And I run "kubectl rollout status deployment/web"
    And I run "kubectl set image deployment/web app=kubetm/app:v2"
    And a client requests "http://svc-web:8080/hostname" every 1 second for 90 seconds
    Then the client saw 90 successful and 0 failed requests
    And deployment "web" has 2 available replicas

  Scenario: Without a readiness probe some requests are refused
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: app
              image: kubetm/app:v1
      """
    And I run "kubectl rollout status deployment/web"
    And 20 seconds pass
    And I run "kubectl set image deployment/web app=kubetm/app:v2"
    And a client requests "http://svc-web:8080/hostname" every 1 second for 90 seconds
    Then the client saw between 5 and 15 failed requests
