@epic:Workloads @feature:Job
Feature: Jobs — pods that run to completion, and a back-off limit for pods that fail
  A Job runs pods until enough of them succeed (`completions`, default 1), at most `parallelism`
  at a time. Its pods use restartPolicy Never or OnFailure, never Always. When they all succeed
  the Job gets the conditions SuccessCriteriaMet and Complete. When its pods keep failing, the
  Job controller waits before each new pod (10 s, 20 s, 40 s ... up to 10 minutes) and gives up
  once more pods failed than `backoffLimit` (default 6): the Job gets the conditions
  FailureTarget and Failed with reason BackoffLimitExceeded.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |

  Scenario: Every pod succeeds and the Job is complete
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-1
      spec:
        completions: 3
        parallelism: 2
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: container
              image: busybox
              command: ["sh", "-c", "sleep 5"]
      """
    And 5 seconds pass
    Then job "job-1" matches:
      """yaml
      status:
        active: 2
      """
    And within 1 minute job "job-1" is complete
    And job "job-1" matches:
      """yaml
      status:
        succeeded: 3
        conditions:
        - type: SuccessCriteriaMet
          status: "True"
          reason: CompletionsReached
          message: Reached expected number of succeeded pods
        - type: Complete
          status: "True"
          reason: CompletionsReached
          message: Reached expected number of succeeded pods
      """
    When I run "kubectl get events --field-selector involvedObject.name=job-1"
    Then the output contains:
      """
      Job completed
      """

  Scenario: A pod that keeps failing fails the Job after its back-off limit
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-fail
      spec:
        backoffLimit: 2
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: container
              image: busybox
              command: ["sh", "-c", "exit 1"]
      """
    And 5 seconds pass
    Then job "job-fail" matches:
      """yaml
      status:
        failed: 1
      """
    When 15 seconds pass
    Then job "job-fail" matches:
      """yaml
      status:
        failed: 2
      """
    And within 1 minute job "job-fail" has failed with reason "BackoffLimitExceeded"
    And job "job-fail" matches:
      """yaml
      status:
        failed: 3
        conditions:
        - type: FailureTarget
          status: "True"
          reason: BackoffLimitExceeded
          message: Job has reached the specified backoff limit
        - type: Failed
          status: "True"
          reason: BackoffLimitExceeded
          message: Job has reached the specified backoff limit
      """
    When I run "kubectl get events --field-selector involvedObject.name=job-fail"
    Then the output contains:
      """
      Job has reached the specified backoff limit
      """
