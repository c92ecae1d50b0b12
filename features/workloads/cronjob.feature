@epic:Workloads @feature:CronJob
Feature: CronJobs — a Job on a schedule, with a bounded history
  A CronJob creates a Job at each time its cron schedule names, on the cluster's clock. Each Job
  is named after the CronJob and the scheduled time in minutes since 1970. Only the last
  `successfulJobsHistoryLimit` (default 3) successful and `failedJobsHistoryLimit` (default 1)
  failed Jobs are kept; older ones are deleted with their pods.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A CronJob runs every minute and keeps three successful Jobs
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: CronJob
      metadata:
        name: hello
      spec:
        schedule: "*/1 * * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: OnFailure
                containers:
                - name: hello
                  image: busybox
                  command: ["sh", "-c", "echo Hello"]
      """
    And 70 seconds pass
    Then job "hello-28411201" matches:
      """yaml
      metadata:
        annotations:
          batch.kubernetes.io/cronjob-scheduled-timestamp: "2024-01-08T00:01:00Z"
        ownerReferences:
        - {kind: CronJob, name: hello, controller: true}
      """
    And job "hello-28411201" is complete
    When 5 minutes pass
    And I run "kubectl get jobs"
    Then the output contains:
      """
      hello-28411204   Complete   1/1
      """
    And the output contains:
      """
      hello-28411206   Complete   1/1
      """
    When I run "kubectl get jobs -o name"
    Then the output is:
      """
      job.batch/hello-28411204
      job.batch/hello-28411205
      job.batch/hello-28411206
      """
    And cronjob "hello" matches:
      """yaml
      status:
        lastScheduleTime: "2024-01-08T00:06:00Z"
      """
