Feature: Fine Parallel Processing Using a Work Queue
  # Source: https://kubernetes.io/docs/tasks/job/fine-parallel-processing-work-queue/
  #
  # A Job of two worker pods takes items from a Redis list until the list is empty. The page's
  # manifests are applied by their k8s.io URLs (exercises/docs/application/job/redis/), and its
  # worker image is built from the page's Dockerfile, worker.py and rediswq.py (the worker runs as
  # the page's Python does: src/images/programs/rediswq.ts).
  #
  # The page fills the queue from an interactive `redis-cli -h redis` in a terminal
  # (`kubectl run -i --tty temp --image redis --command "/bin/sh"`). A scenario has no terminal:
  # without one, kubectl drops `--tty` and the shell reads what is typed as a pipe, so here each
  # typed line is one `redis-cli -h redis <command>`, and redis-cli, writing to a pipe, prints its
  # replies raw (`1`, not `(integer) 1`; one element a line, not `1) "apple"`).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl apply -f https://k8s.io/examples/application/job/redis/redis-pod.yaml"
    Then the output is:
      """
      pod/redis-master created
      """
    When I run "kubectl apply -f https://k8s.io/examples/application/job/redis/redis-service.yaml"
    Then the output is:
      """
      service/redis created
      """
    And within 30 seconds pod "redis-master" is Running

  Scenario: Filling the queue, then running the Job until the queue is empty
    When I run "kubectl run -i temp --image redis --restart=Never --rm --command -- /bin/sh" and type:
      """
      redis-cli -h redis rpush job2 "apple"
      redis-cli -h redis rpush job2 "banana"
      redis-cli -h redis rpush job2 "cherry"
      redis-cli -h redis rpush job2 "date"
      redis-cli -h redis rpush job2 "fig"
      redis-cli -h redis rpush job2 "grape"
      redis-cli -h redis rpush job2 "lemon"
      redis-cli -h redis rpush job2 "melon"
      redis-cli -h redis rpush job2 "orange"
      redis-cli -h redis lrange job2 0 -1
      """
    Then the output contains:
      """
      1
      2
      3
      4
      5
      6
      7
      8
      9
      apple
      banana
      cherry
      date
      fig
      grape
      lemon
      melon
      orange
      pod "temp" deleted
      """
    # The page's `docker build -t job-wq-2 .` and push, under the name job.yaml pulls.
    Given the image "gcr.io/myproject/job-wq-2" is built from "https://k8s.io/examples/application/job/redis/Dockerfile" and pushed
    When I run "kubectl apply -f https://k8s.io/examples/application/job/redis/job.yaml"
    Then the output is:
      """
      job.batch/job-wq-2 created
      """
    When 30 seconds pass
    And I run "kubectl describe jobs/job-wq-2"
    Then the output contains:
      """
      Parallelism:      2
      Completions:      <unset>
      """
    And the output contains:
      """
      Pods Statuses:    2 Active (2 Ready) / 0 Succeeded / 0 Failed
      """
    When 60 seconds pass
    And I run "kubectl get jobs"
    Then the output is:
      """
      NAME       STATUS     COMPLETIONS   DURATION   AGE
      job-wq-2   Complete   2/1 of 2      55s        90s
      """
    When I run "kubectl get pods -l job-name=job-wq-2"
    Then the output is:
      """
      NAME             READY   STATUS      RESTARTS   AGE
      job-wq-2-qzdnw   0/1     Completed   0          90s
      job-wq-2-sr2xb   0/1     Completed   0          90s
      """
    # Each worker prints a random session ID first (uuid4), then what it worked on. Python buffers
    # what it prints to a pipe: the log is written when the worker exits.
    When I run "kubectl logs pods/job-wq-2-sr2xb"
    Then the output contains:
      """
      Initial queue state: empty=False
      Working on orange
      Working on lemon
      Working on fig
      Working on cherry
      Working on apple
      Queue empty, exiting
      """
    # The other worker found the main list empty while an item was still being processed: it
    # waited 2 seconds at a time (the lease's blocking pop) until the queue was empty.
    When I run "kubectl logs pods/job-wq-2-qzdnw"
    Then the output contains:
      """
      Initial queue state: empty=False
      Working on melon
      Working on grape
      Working on date
      Working on banana
      Waiting for work
      """
    And the output contains:
      """
      Waiting for work
      Queue empty, exiting
      """
    When I run "kubectl exec redis-master -- redis-cli llen job2"
    Then the output is:
      """
      0
      """
    When I run "kubectl exec redis-master -- redis-cli llen job2:processing"
    Then the output is:
      """
      0
      """
