@epic:Workloads @feature:Deployment
Feature: Deployments — rolling updates that wait for readiness, history and undo
  A Deployment keeps one ReplicaSet per version of its pod template, named after the template's
  hash. A rolling update scales the new ReplicaSet up and the old one down in steps: with the
  defaults (maxSurge 25 %, maxUnavailable 25 %, so 1 and 0 for 3 replicas) it adds one new pod,
  waits until that pod is Ready (here: its readiness probe passes once the app serves, about
  10 seconds after start), then removes one old pod, and so on. `kubectl rollout status` follows
  the progress, `rollout history` lists the revisions and `rollout undo` goes back to the previous
  one (which becomes a new revision).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    And I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
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
                periodSeconds: 2
      """
    And I run "kubectl rollout status deployment/web"

  Scenario: A rolling update adds a new pod, waits for it to be ready, then removes an old one
    Then deployment "web" has 3 available replicas
    When I run "kubectl set image deployment/web app=kubetm/app:v2"
    And I run "kubectl rollout status deployment/web"
    Then the output is:
      """
      Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...
      Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...
      Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...
      deployment "web" successfully rolled out
      """
    And deployment "web" matches:
      """yaml
      metadata:
        annotations:
          deployment.kubernetes.io/revision: "2"
      status:
        replicas: 3
        updatedReplicas: 3
        availableReplicas: 3
        conditions:
        - {type: Available, status: "True", reason: MinimumReplicasAvailable}
        - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
      """
    When I run "kubectl rollout history deployment/web"
    Then the output is:
      """
      deployment.apps/web
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>
      """

  Scenario: Undo goes back to the previous template as a new revision
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
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
              image: kubetm/app:v2
              readinessProbe:
                httpGet:
                  path: /hostname
                  port: 8080
                periodSeconds: 2
      """
    And I run "kubectl rollout status deployment/web"
    And I run "kubectl rollout undo deployment/web"
    Then the output is:
      """
      deployment.apps/web rolled back
      """
    When I run "kubectl rollout status deployment/web"
    Then deployment "web" matches:
      """yaml
      metadata:
        annotations:
          deployment.kubernetes.io/revision: "3"
      spec:
        template:
          spec:
            containers:
            - {name: app, image: "kubetm/app:v1"}
      """
    When I run "kubectl rollout history deployment/web"
    Then the output is:
      """
      deployment.apps/web
      REVISION  CHANGE-CAUSE
      2         <none>
      3         <none>
      """

  Scenario: Scaling a Deployment scales its ReplicaSet
    When I run "kubectl scale deployment web --replicas=5"
    Then the output is:
      """
      deployment.apps/web scaled
      """
    And within 1 minute deployment "web" has 5 available replicas
    When I run "kubectl get events --field-selector involvedObject.kind=Deployment"
    Then the output contains:
      """
      from 3 to 5
      """
