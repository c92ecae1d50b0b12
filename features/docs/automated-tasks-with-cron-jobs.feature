Feature: Running Automated Tasks with a CronJob
  # Source: https://kubernetes.io/docs/tasks/job/automated-tasks-with-cron-jobs/
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
  #
  # The pages' CronJob (exercises/docs/application/job/cronjob.yaml, verbatim: batch/v1, every
  # minute, busybox:1.28 printing the date and "Hello from the Kubernetes cluster"). The scenario
  # clock starts at 2024-01-08T00:00:00Z, so the first Job is scheduled for 00:01:00 and named
  # after that minute since the epoch: hello-28411201. `kubectl get jobs --watch` runs in a second
  # terminal while the minute passes, as on the page.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Creating a CronJob, watching its first Job and reading the Pod's log
    When I run "kubectl create -f https://k8s.io/examples/application/job/cronjob.yaml"
    Then the output is:
      """
      cronjob.batch/hello created
      """
    When 10 seconds pass
    And I run "kubectl get cronjob hello"
    Then the output is:
      """
      NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
      hello   * * * * *   <none>     False     0        <none>          10s
      """
    # "Watch for the job to be created in around one minute": the watch runs in a second terminal.
    When I run "kubectl get jobs --watch" in a second terminal
    And 60 seconds pass
    And I stop the second terminal
    # The page's rows: the new Job (0/1, no duration yet), its first status (0/1, 0s) and its completion.
    Then the output is:
      """
      NAME             STATUS    COMPLETIONS   DURATION   AGE
      hello-28411201   Running   0/1                      0s
      hello-28411201   Running   0/1           0s         0s
      hello-28411201   Complete   1/1           2s         2s
      """
    And I run "kubectl get jobs"
    Then the output is:
      """
      NAME             STATUS     COMPLETIONS   DURATION   AGE
      hello-28411201   Complete   1/1           2s         10s
      """
    When I run "kubectl get cronjob hello"
    Then the output is:
      """
      NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
      hello   * * * * *   <none>     False     0        10s             70s
      """
    # pods=$(kubectl get pods --selector=job-name=hello-28411201 --output=jsonpath={.items[*].metadata.name})
    When I run "kubectl get pods --selector=job-name=hello-28411201 --output=jsonpath={.items[*].metadata.name}"
    Then the output is:
      """
      hello-28411201-th8dt
      """
    When I run "kubectl logs hello-28411201-th8dt"
    Then the output is:
      """
      Mon Jan  8 00:01:01 UTC 2024
      Hello from the Kubernetes cluster
      """
    When I run "kubectl describe cronjob hello"
    Then the output contains:
      """
        Normal  SuccessfulCreate  10s   cronjob-controller  Created job hello-28411201
        Normal  SawCompletedJob   8s    cronjob-controller  Saw completed job: hello-28411201, condition: Complete
      """
    # "Deleting the cron job removes all the jobs and pods it created"
    When I run "kubectl delete cronjob hello"
    Then the output is:
      """
      cronjob.batch "hello" deleted
      """
    When I try to run "kubectl get jobs,pods"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: A Job every minute; three successful Jobs are kept (successfulJobsHistoryLimit)
    When I run "kubectl create -f https://k8s.io/examples/application/job/cronjob.yaml"
    And 5 minutes pass
    And I run "kubectl get jobs"
    Then the output is:
      """
      NAME             STATUS     COMPLETIONS   DURATION   AGE
      hello-28411202   Complete   1/1           2s         3m
      hello-28411203   Complete   1/1           2s         2m
      hello-28411204   Complete   1/1           2s         60s
      """
    When I run "kubectl get cronjob hello -o wide"
    Then the output is:
      """
      NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE   CONTAINERS   IMAGES         SELECTOR
      hello   * * * * *   <none>     False     0        60s             5m    hello        busybox:1.28   <none>
      """
