@epic:Basics @feature:Time-assertions
Feature: Assertions over time say when something happened, and why it did not
  A pod's story unfolds over time. Instead of guessing how long to wait (`And 30 seconds pass`),
  a scenario can say how long it is willing to wait: `Then within 1 minute pod "x" is Running`
  lets simulated time pass in small steps until it holds and records the instant in the report.
  `stays Ready for` and `never restarts during` check at every step over a span of time.

  When such an assertion fails, its message explains the pod in plain words: the probes with their
  thresholds and how often they failed, the restart back-off, the scheduler's reasons per node, the
  recent events and the pod as it stands. A failed scenario's report carries the same as
  `explanation.txt`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc-readiness
      spec:
        selector:
          app: readiness
        ports:
        - port: 8080
          targetPort: 8080
      """

  Scenario: A pod with a readiness probe becomes Ready once its file exists, and stays Ready
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-readiness-exec1
        labels:
          app: readiness
      spec:
        containers:
        - name: readiness
          image: kubetm/app
          ports:
          - containerPort: 8080
          readinessProbe:
            exec:
              command: ["cat", "/readiness/ready.txt"]
            initialDelaySeconds: 5
            periodSeconds: 10
            successThreshold: 3
          volumeMounts:
          - name: host-path
            mountPath: /readiness
        volumes:
        - name : host-path
          hostPath:
            path: /tmp/readiness
            type: DirectoryOrCreate
        terminationGracePeriodSeconds: 0
      """
    Then within 30 seconds pod "pod-readiness-exec1" is Running
    And pod "pod-readiness-exec1" stays Running for 1 minute
    And pod "pod-readiness-exec1" is not Ready
    When "/tmp/readiness/ready.txt" is touched on node "k8s-node1"
    # Three successes in a row, one every 10 seconds, are needed.
    Then within 1 minute pod "pod-readiness-exec1" becomes Ready
    And within 10 seconds endpoints "svc-readiness" list pod "pod-readiness-exec1" as ready
    And pod "pod-readiness-exec1" stays Ready for 5 minutes
    And pod "pod-readiness-exec1" never restarts during 10 minutes
