Feature: Coarse Parallel Processing Using a Work Queue
  # Source: https://kubernetes.io/docs/tasks/job/coarse-parallel-processing-work-queue/
  # (content/en/docs/tasks/job/coarse-parallel-processing-work-queue.md as kubernetes/website has it
  # today: the StatefulSet, ubuntu:22.04, `apt-get … python3`, `kubectl wait`; the index's stored
  # revision of kubernetes/website, b8e058c, is the 2018 text with a ReplicationController)
  #
  # A Job of 8 completions, 2 at a time, whose pods each take one message from a RabbitMQ queue
  # with `amqp-consume -c 1`, pass it to the page's worker.py and exit. The page's manifests are
  # applied by their k8s.io URLs (exercises/docs/application/job/rabbitmq/); RabbitMQ is the
  # `rabbitmq` image's broker (src/images/programs/rabbitmq.ts), the amqp-tools are rabbitmq-c's
  # (src/images/programs/amqptools.ts), installed with the ubuntu image's apt-get
  # (src/images/programs/apt.ts), and the worker image is built from the page's Dockerfile and
  # worker.py (src/images/build.ts).
  #
  # The page types its commands into an interactive shell (`kubectl run -i --tty temp --image
  # ubuntu:22.04`). A scenario has no terminal: kubectl says it cannot use one, and bash reads
  # what is typed as a pipe, without a prompt. The whole session is typed at once, so the queue is
  # filled in the same shell (the page's "Run this on your computer" would need BROKER_URL and
  # the cluster's DNS there). apt-get reaches the Ubuntu archive: the simulated cluster has no
  # Internet, so the scenario declares the archive's hosts (what they serve is the package model's).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    And the external host "archive.ubuntu.com" answers:
      """yaml
      """
    And the external host "security.ubuntu.com" answers:
      """yaml
      """
    # make a Service for the StatefulSet to use
    When I run "kubectl create -f https://kubernetes.io/examples/application/job/rabbitmq/rabbitmq-service.yaml"
    Then the output is:
      """
      service/rabbitmq-service created
      """
    When I run "kubectl create -f https://kubernetes.io/examples/application/job/rabbitmq/rabbitmq-statefulset.yaml"
    Then the output is:
      """
      statefulset.apps/rabbitmq created
      """
    And within 30 seconds pod "rabbitmq-0" is Running
    And within 30 seconds the output of "kubectl logs rabbitmq-0" contains:
      """
      Server startup complete; 3 plugins started.
      """

  Scenario: Testing the message queue, filling it, and running the Job until every pod succeeded
    When I run "kubectl run -i --tty temp --image ubuntu:22.04" and type:
      """
      apt-get update && apt-get install -y curl ca-certificates amqp-tools python3 dnsutils
      nslookup rabbitmq-service
      env | grep RABBITMQ_SERVICE | grep HOST
      export BROKER_URL=amqp://guest:guest@rabbitmq-service:5672
      BROKER_URL=amqp://guest:guest@$RABBITMQ_SERVICE_SERVICE_HOST:5672
      /usr/bin/amqp-declare-queue --url=$BROKER_URL -q foo -d
      /usr/bin/amqp-publish --url=$BROKER_URL -r foo -p -b Hello
      /usr/bin/amqp-consume --url=$BROKER_URL -q foo -c 1 cat && echo 1>&2
      /usr/bin/amqp-declare-queue --url=$BROKER_URL -q job1  -d
      for f in apple banana cherry date fig grape lemon melon
      do
        /usr/bin/amqp-publish --url=$BROKER_URL -r job1 -p -b $f
      done
      """
    Then the output contains:
      """
      The following NEW packages will be installed:
        curl ca-certificates amqp-tools python3 dnsutils
      0 upgraded, 5 newly installed, 0 to remove and 0 not upgraded.
      """
    And the output contains:
      """
      Setting up amqp-tools (0.10.0-1ubuntu2) ...
      """
    # BIND's nslookup from dnsutils (the IP addresses will vary).
    And the output contains:
      """
      Name:	rabbitmq-service.default.svc.cluster.local
      """
    And the output contains:
      """
      RABBITMQ_SERVICE_SERVICE_HOST=10.
      """
    # amqp-declare-queue prints the queue's name; cat prints the message, the echo a newline.
    And the output contains:
      """
      foo
      Hello
      job1
      """
    # The page's worker image, under the name the edited job.yaml pulls.
    Given the image "gcr.io/myproject/job-wq-1" is built from "https://k8s.io/examples/application/job/rabbitmq/Dockerfile" and pushed
    # The page's job.yaml with its image edited to the name used ("edit the name of the container image").
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-wq-1
      spec:
        completions: 8
        parallelism: 2
        template:
          metadata:
            name: job-wq-1
          spec:
            containers:
            - name: c
              image: gcr.io/myproject/job-wq-1
              env:
              - name: BROKER_URL
                value: amqp://guest:guest@rabbitmq-service:5672
              - name: QUEUE
                value: job1
            restartPolicy: OnFailure
      """
    # The check for condition name is case insensitive
    When I run "kubectl wait --for=condition=complete --timeout=300s job/job-wq-1"
    Then the output is:
      """
      job.batch/job-wq-1 condition met
      """
    When I run "kubectl describe jobs/job-wq-1"
    Then the output contains:
      """
      Parallelism:      2
      Completions:      8
      """
    And the output contains:
      """
      Pods Statuses:    0 Active (0 Ready) / 8 Succeeded / 0 Failed
      """
    And the output contains:
      """
          Environment:
            BROKER_URL:  amqp://guest:guest@rabbitmq-service:5672
            QUEUE:       job1
      """
    # Each pod took one message: worker.py printed it, amqp-consume acknowledged it and exited.
    When I run "kubectl logs -l job-name=job-wq-1"
    Then the output contains:
      """
      Processing apple
      """
    And the output contains:
      """
      Processing melon
      """
    When I run "kubectl get pods -l job-name=job-wq-1 --no-headers -o custom-columns=STATUS:.status.phase"
    Then the output is:
      """
      Succeeded
      Succeeded
      Succeeded
      Succeeded
      Succeeded
      Succeeded
      Succeeded
      Succeeded
      """

  # The page's caveat: "If the number of completions is set to more than the number of items in the
  # queue, then the Job will not appear to be completed, even though all items in the queue have
  # been processed. It will start additional pods which will block waiting for a message."
  Scenario: More completions than messages: the last pod waits for a message that never comes
    When I run "kubectl run -i --tty temp --image ubuntu:22.04" and type:
      """
      apt-get update && apt-get install -y curl ca-certificates amqp-tools python3 dnsutils
      export BROKER_URL=amqp://guest:guest@rabbitmq-service:5672
      /usr/bin/amqp-declare-queue --url=$BROKER_URL -q job1  -d
      for f in apple banana
      do
        /usr/bin/amqp-publish --url=$BROKER_URL -r job1 -p -b $f
      done
      """
    Then the output contains:
      """
      job1
      """
    Given the image "gcr.io/myproject/job-wq-1" is built from "https://k8s.io/examples/application/job/rabbitmq/Dockerfile" and pushed
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-wq-1
      spec:
        completions: 3
        parallelism: 2
        template:
          metadata:
            name: job-wq-1
          spec:
            containers:
            - name: c
              image: gcr.io/myproject/job-wq-1
              env:
              - name: BROKER_URL
                value: amqp://guest:guest@rabbitmq-service:5672
              - name: QUEUE
                value: job1
            restartPolicy: OnFailure
      """
    And 2 minutes pass
    And I run "kubectl describe jobs/job-wq-1"
    Then the output contains:
      """
      Pods Statuses:    1 Active (1 Ready) / 2 Succeeded / 0 Failed
      """
    When I try to run "kubectl wait --for=condition=complete --timeout=30s job/job-wq-1"
    Then the command fails with:
      """
      error: timed out waiting for the condition on jobs/job-wq-1
      """
