Feature: Indexed Job for parallel processing with static work assignment
  # Source: https://kubernetes.io/docs/tasks/job/indexed-parallel-processing-static/
  #
  # The page's Indexed Job (application/job/indexed-job.yaml, verbatim) runs five pods, three at a
  # time. Each pod's init container, a bash, picks its work item from an array by the pod's
  # completion index (`items=(foo bar baz qux xyz)`, `${items[$JOB_COMPLETION_INDEX]}`) into a
  # shared emptyDir; the worker reverses it with busybox's `rev`. The second manifest
  # (application/job/indexed-job-vol.yaml) hands the index over through a downward API volume.
  # Pod names end in random letters (the page's `indexed-job-fdhq5`); the steps pick a pod by its
  # completion-index label instead, as the page says: "Change this to match the name of a Pod".

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Each pod reverses the work item of its index
    When I run "kubectl apply -f https://kubernetes.io/examples/application/job/indexed-job.yaml"
    Then the output is:
      """
      job.batch/indexed-job created
      """
    And within 60 seconds job "indexed-job" is complete
    When I run "kubectl describe jobs/indexed-job"
    Then the output contains:
      """
      Parallelism:        3
      Completions:        5
      Completion Mode:    Indexed
      """
    And the output contains:
      """
      Pods Statuses:      0 Active (0 Ready) / 5 Succeeded / 0 Failed
      Completed Indexes:  0-4
      """
    And the output contains:
      """
        Init Containers:
         input:
          Image:      docker.io/library/bash
          Port:       <none>
          Host Port:  <none>
          Command:
            bash
            -c
            items=(foo bar baz qux xyz)
            echo ${items[$JOB_COMPLETION_INDEX]} > /input/data.txt
      """
    When I run "kubectl logs -l batch.kubernetes.io/job-completion-index=3"
    Then the output is:
      """
      xuq
      """
    When I run "kubectl logs -l batch.kubernetes.io/job-completion-index=0"
    Then the output is:
      """
      oof
      """

  Scenario: The index through a downward API volume
    When I run "kubectl apply -f https://kubernetes.io/examples/application/job/indexed-job-vol.yaml"
    Then within 60 seconds job "indexed-job" is complete
    When I run "kubectl logs -l batch.kubernetes.io/job-completion-index=4"
    Then the output is:
      """
      4
      """
