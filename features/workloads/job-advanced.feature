@epic:Workloads @feature:Job
Feature: Jobs — Indexed completion, per-index back-off, pod failure and success policies, suspend, TTL
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/
  An Indexed Job gives each pod a completion index from 0 to completions−1: in the annotation and
  label `batch.kubernetes.io/job-completion-index`, in the environment variable
  JOB_COMPLETION_INDEX and in the pod's hostname `<job>-<index>`; the Job counts indexes, not pods
  (`status.completedIndexes`). `backoffLimitPerIndex` retries each index on its own, a
  `podFailurePolicy` decides per exit code or pod condition whether a failure fails the Job, is
  ignored or counts, a `successPolicy` ends the Job as soon as chosen indexes succeed, `suspend`
  stops and resumes a Job, and `ttlSecondsAfterFinished` deletes it once it has finished. With a
  headless Service as their `subdomain`, an Indexed Job's pods reach each other by hostname. A Job
  whose `spec.managedBy` names another controller is left to that controller, and an Indexed Job
  scales when its completions and parallelism change together; with `podReplacementPolicy: Failed`
  a deleted pod is replaced only once it has failed.
  Where a page's manifest runs python or perl, which the simulation does not model, the scenario
  runs the same logic in busybox's sh and says so.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |

  # Source: https://kubernetes.io/docs/tasks/job/indexed-parallel-processing-static/
  Scenario: An Indexed Job reads its index from the downward API; Completed Indexes grow to 0-4
    When I apply the manifest:
      """yaml
      ---
      {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
          name: "indexed-job",
        },
        spec: {
          completions: 5,
          parallelism: 3,
          completionMode: "Indexed",
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [{
                name: "worker",
                image: "docker.io/library/busybox",
                command: [
                  "rev",
                  "/input/data.txt",
                ],
                volumeMounts: [{
                  mountPath: "/input",
                  name: "input",
                }],
              }],
              volumes: [{
                name: "input",
                downwardAPI: {
                  items: [{
                    path: "data.txt",
                    fieldRef: {
                      fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
                    },
                  }],
                },
              }],
            },
          },
        },
      }
      """
    And 1 second passes
    And I run "kubectl get pods -l job-name=indexed-job -o custom-columns='NAME:.metadata.generateName,INDEX:.metadata.labels.batch\.kubernetes\.io/job-completion-index,HOSTNAME:.spec.hostname'"
    Then the output is:
      """
      NAME             INDEX   HOSTNAME
      indexed-job-0-   0       indexed-job-0
      indexed-job-1-   1       indexed-job-1
      indexed-job-2-   2       indexed-job-2
      """
    And within 1 minute job "indexed-job" is complete
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
    When I run "kubectl get jobs indexed-job -o jsonpath={.status.completedIndexes}"
    Then the output is:
      """
      0-4
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
  Scenario: Each indexed pod gets its index in the annotation, the label, JOB_COMPLETION_INDEX and its hostname
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: work
      spec:
        completions: 2
        parallelism: 2
        completionMode: Indexed
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: worker
              image: busybox
              command: ["sh", "-c", "echo index $JOB_COMPLETION_INDEX on $(hostname)"]
      """
    And within 1 minute job "work" is complete
    When I run "kubectl get pods -l batch.kubernetes.io/job-completion-index=1 -o 'jsonpath={.items[0].metadata.annotations.batch\.kubernetes\.io/job-completion-index}'"
    Then the output is:
      """
      1
      """
    And the logs of pod "work-0-k2d7g" contain:
      """
      index 0 on work-0
      """
    And the logs of pod "work-1-rg788" contain:
      """
      index 1 on work-1
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index
  Scenario: backoffLimitPerIndex retries each index once; the even indexes fail for good
    # The page's example runs python (`if int(os.environ.get("JOB_COMPLETION_INDEX")) % 2 == 0: sys.exit(1)`);
    # this one runs the same test in sh.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-backoff-limit-per-index-example
      spec:
        completions: 10
        parallelism: 3
        completionMode: Indexed  # required for the feature
        backoffLimitPerIndex: 1  # maximal number of failures per index
        maxFailedIndexes: 5      # maximal number of failed indexes before terminating the Job execution
        template:
          spec:
            restartPolicy: Never # required for the feature
            containers:
            - name: example
              image: busybox
              command:
              - sh
              - -c
              - |
                echo "Hello world"
                if [ $((JOB_COMPLETION_INDEX % 2)) -eq 0 ]; then exit 1; fi
      """
    And within 5 minutes job "job-backoff-limit-per-index-example" has failed with reason "FailedIndexes"
    When I run "kubectl get -o yaml job job-backoff-limit-per-index-example"
    Then the output contains:
      """
        completedIndexes: 1,3,5,7,9
        conditions:
      """
    And the output contains:
      """
          message: Job has failed indexes
          reason: FailedIndexes
          status: "True"
          type: FailureTarget
      """
    And the output contains:
      """
          message: Job has failed indexes
          reason: FailedIndexes
          status: "True"
          type: Failed
        failed: 10
        failedIndexes: 0,2,4,6,8
      """
    And the output contains:
      """
        succeeded: 5
      """
    When I run "kubectl get pods -l job-name=job-backoff-limit-per-index-example,batch.kubernetes.io/job-completion-index=0 -o 'jsonpath={.items[*].metadata.annotations.batch\.kubernetes\.io/job-index-failure-count}'"
    Then the output is:
      """
      1 0
      """

  # Source: https://kubernetes.io/docs/tasks/job/pod-failure-policy/#using-pod-failure-policy-to-avoid-unnecessary-pod-retries-per-index
  Scenario: A FailIndex rule fails an index without retrying it
    # The page's script is python; the same exit codes per index in sh.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-backoff-limit-per-index-failindex
      spec:
        completions: 4
        parallelism: 2
        completionMode: Indexed
        backoffLimitPerIndex: 1
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: busybox
              command:
                # The script:
                # - fails the Pod with index 0 with exit code 1, which results in one retry;
                # - fails the Pod with index 1 with exit code 42 which results
                #   in failing the index without retry.
                # - succeeds Pods with any other index.
                - sh
                - -c
                - |
                  if [ "$JOB_COMPLETION_INDEX" = 0 ]; then exit 1
                  elif [ "$JOB_COMPLETION_INDEX" = 1 ]; then exit 42
                  else exit 0
                  fi
        backoffLimit: 6
        podFailurePolicy:
          rules:
          - action: FailIndex
            onExitCodes:
              containerName: main
              operator: In
              values: [42]
      """
    And within 2 minutes job "job-backoff-limit-per-index-failindex" has failed with reason "FailedIndexes"
    When I run "kubectl get pods -l job-name=job-backoff-limit-per-index-failindex -o custom-columns=NAME:.metadata.generateName,STATUS:.status.phase --sort-by=.metadata.generateName"
    Then the output is:
      """
      NAME                                       STATUS
      job-backoff-limit-per-index-failindex-0-   Failed
      job-backoff-limit-per-index-failindex-0-   Failed
      job-backoff-limit-per-index-failindex-1-   Failed
      job-backoff-limit-per-index-failindex-2-   Succeeded
      job-backoff-limit-per-index-failindex-3-   Succeeded
      """
    And job "job-backoff-limit-per-index-failindex" matches:
      """yaml
      status:
        failedIndexes: "0,1"
        failed: 3
        succeeded: 2
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#success-policy
  Scenario: A success policy ends the Job once one of the indexes 0, 2 and 3 succeeded
    # The page's script is python: index 2 exits 0, every other index exits 1. The same in sh.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-success
      spec:
        parallelism: 10
        completions: 10
        completionMode: Indexed # Required for the success policy
        successPolicy:
          rules:
            - succeededIndexes: 0,2-3
              succeededCount: 1
        template:
          spec:
            containers:
            - name: main
              image: busybox
              command:          # Provided that at least one of the Pods with 0, 2, and 3 indexes has succeeded,
                                # the overall Job is a success.
                - sh
                - -c
                - |
                  if [ "$JOB_COMPLETION_INDEX" = 2 ]; then sleep 5; exit 0; else sleep 60; exit 1; fi
            restartPolicy: Never
      """
    And within 1 minute job "job-success" is complete
    Then job "job-success" matches:
      """yaml
      status:
        completedIndexes: "2"
        succeeded: 1
        conditions:
        - type: SuccessCriteriaMet
          status: "True"
          reason: SuccessPolicy
          message: Matched rules at index 0
        - type: Complete
          status: "True"
          reason: SuccessPolicy
          message: Matched rules at index 0
      """
    # The pods still running when the policy was met are deleted, not counted as failures.
    When I run "kubectl get job job-success -o jsonpath={.status.failed}"
    Then the output is:
      """
      """

  # Source: https://kubernetes.io/docs/tasks/job/pod-failure-policy/#using-pod-failure-policy-to-avoid-unnecessary-pod-retries
  Scenario: A FailJob rule on exit code 42 fails the whole Job at the first such failure
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-pod-failure-policy-failjob
      spec:
        completions: 8
        parallelism: 2
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: docker.io/library/bash:5
              command: ["bash"]
              args:
              - -c
              - echo "Hello world! I'm going to exit with 42 to simulate a software bug." && sleep 30 && exit 42
        backoffLimit: 6
        podFailurePolicy:
          rules:
          - action: FailJob
            onExitCodes:
              containerName: main
              operator: In
              values: [42]
      """
    And within 1 minute job "job-pod-failure-policy-failjob" has failed with reason "PodFailurePolicy"
    When I run "kubectl get jobs -l job-name=job-pod-failure-policy-failjob -o jsonpath={.items[0].status.conditions[0].message}"
    Then the output contains:
      """
      failed with exit code 42 matching FailJob rule at index 0
      """
    And the output contains:
      """
      Container main for pod default/job-pod-failure-policy-failjob-
      """
    And job "job-pod-failure-policy-failjob" matches:
      """yaml
      status:
        conditions:
        - type: FailureTarget
          reason: PodFailurePolicy
        - type: Failed
          reason: PodFailurePolicy
      """

  # Source: https://kubernetes.io/docs/tasks/job/pod-failure-policy/#using-pod-failure-policy-to-ignore-pod-disruptions
  Scenario: An Ignore rule on DisruptionTarget: a drained pod does not count toward backoffLimit 0
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-pod-failure-policy-ignore
      spec:
        completions: 4
        parallelism: 2
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: docker.io/library/bash:5
              command: ["bash"]
              args:
              - -c
              - echo "Hello world! I'm going to exit with 0 (success)." && sleep 90 && exit 0
        backoffLimit: 0
        podFailurePolicy:
          rules:
          - action: Ignore
            onPodConditions:
            - type: DisruptionTarget
      """
    And 10 seconds pass
    And I run "kubectl drain nodes/k8s-node1 --ignore-daemonsets --grace-period=0" and 10 seconds pass
    And I run "kubectl get jobs -l job-name=job-pod-failure-policy-ignore -o jsonpath={.items[0].status.failed}"
    Then the output is:
      """
      """
    When I run "kubectl uncordon nodes/k8s-node1"
    Then within 5 minutes job "job-pod-failure-policy-ignore" is complete

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#suspending-a-job
  Scenario: Suspending a Job deletes its running pod; resuming creates a new one
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: myjob
      spec:
        suspend: false
        parallelism: 1
        completions: 5
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: busybox
              command: ["sh", "-c", "sleep 600"]
      """
    And 1 minute passes
    And I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: myjob
      spec:
        suspend: true
        parallelism: 1
        completions: 5
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: busybox
              command: ["sh", "-c", "sleep 600"]
      """
    And 1 minute passes
    Then job "myjob" matches:
      """yaml
      status:
        conditions:
        - type: Suspended
          status: "True"
          reason: JobSuspended
          message: Job suspended
      """
    When I run "kubectl get job myjob -o jsonpath={.status.failed}"
    Then the output is:
      """
      """
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: myjob
      spec:
        suspend: false
        parallelism: 1
        completions: 5
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: busybox
              command: ["sh", "-c", "sleep 600"]
      """
    And 3 seconds pass
    And I run "kubectl describe jobs/myjob"
    Then the output contains:
      """
      Events:
        Type    Reason            Age   From            Message
        ----    ------            ----  ----            -------
      """
    And the output contains:
      """
      Normal  Suspended         63s   job-controller  Job suspended
      """
    And the output contains:
      """
      Normal  Resumed           3s    job-controller  Job resumed
      """
    And job "myjob" matches:
      """yaml
      status:
        active: 1
        startTime: "2024-01-08T00:02:00Z"
        conditions:
        - type: Suspended
          status: "False"
          reason: JobResumed
          message: Job resumed
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#ttl-mechanism-for-finished-jobs
  Scenario: ttlSecondsAfterFinished deletes the finished Job and its pods
    # The page's pi-with-ttl runs perl; this one sleeps 10 s in busybox.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: pi-with-ttl
      spec:
        ttlSecondsAfterFinished: 100
        template:
          spec:
            containers:
            - name: pi
              image: busybox
              command: ["sh", "-c", "sleep 10"]
            restartPolicy: Never
      """
    And within 1 minute job "pi-with-ttl" is complete
    When 90 seconds pass
    And I run "kubectl get jobs"
    Then the output contains:
      """
      pi-with-ttl
      """
    When 20 seconds pass
    And I try to run "kubectl get job pi-with-ttl"
    Then the command fails with:
      """
      Error from server (NotFound): jobs.batch "pi-with-ttl" not found
      """
    When I run "kubectl get pods -l job-name=pi-with-ttl"
    Then the output is:
      """
      """

  # Source: https://kubernetes.io/docs/tasks/job/job-with-pod-to-pod-communication/
  Scenario: Indexed pods reach each other by hostname through the Job's headless Service
    # Each pod's hostname is `example-job-<index>` and its subdomain the headless Service, so the
    # cluster DNS answers `example-job-<index>.headless-svc` once the pod is a ready endpoint:
    # a pod's first ping of itself fails (it is not an endpoint yet), as on the page.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: headless-svc
      spec:
        clusterIP: None # clusterIP must be None to create a headless service
        selector:
          job-name: example-job # must match Job name
      ---
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: example-job
      spec:
        completions: 3
        parallelism: 3
        completionMode: Indexed
        template:
          spec:
            subdomain: headless-svc # has to match Service name
            restartPolicy: Never
            containers:
            - name: example-workload
              image: bash:latest
              command:
              - bash
              - -c
              - |
                for i in 0 1 2
                do
                  gotStatus="-1"
                  wantStatus="0"             
                  while [ $gotStatus -ne $wantStatus ]
                  do                                       
                    ping -c 1 example-job-${i}.headless-svc > /dev/null 2>&1
                    gotStatus=$?                
                    if [ $gotStatus -ne $wantStatus ]; then
                      echo "Failed to ping pod example-job-${i}.headless-svc, retrying in 1 second..."
                      sleep 1
                    fi
                  done                                                         
                  echo "Successfully pinged pod: example-job-${i}.headless-svc"
                done
      """
    Then within 1 minute job "example-job" is complete
    When I run "kubectl logs example-job-0-6sjm4"
    Then the output is:
      """
      Failed to ping pod example-job-0.headless-svc, retrying in 1 second...
      Successfully pinged pod: example-job-0.headless-svc
      Successfully pinged pod: example-job-1.headless-svc
      Successfully pinged pod: example-job-2.headless-svc
      """
    When I run "kubectl get pods -l job-name=example-job -o jsonpath={.items[*].spec.hostname}"
    Then the output is:
      """
      example-job-0 example-job-1 example-job-2
      """
    # A finished pod is no endpoint any more, and its name no longer resolves.
    When I run "kubectl get endpoints headless-svc"
    Then the output contains:
      """
      headless-svc   <none>
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#delegation-of-managing-a-job-object-to-external-controller
  Scenario: A Job whose spec.managedBy names another controller is left alone by the built-in one
    # The page shows the field alone; here it is set on the page's pi Job (controllers/job.yaml).
    # JobManagedBy is beta and on in v1.32: the built-in Job controller skips this Job, so with
    # no such controller installed nothing creates its pods.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: pi
      spec:
        managedBy: example.com/custom-controller
        template:
          spec:
            containers:
            - name: pi
              image: perl
              command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(1000)"]
            restartPolicy: Never
        backoffLimit: 4
      """
    And 30 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      """
    When I run "kubectl get job pi"
    Then the output is:
      """
      NAME   STATUS    COMPLETIONS   DURATION   AGE
      pi     Running   0/1                      30s
      """
    # The value of the field is immutable.
    When I try to apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: pi
      spec:
        managedBy: kubernetes.io/job-controller
        template:
          spec:
            containers:
            - name: pi
              image: perl
              command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(1000)"]
            restartPolicy: Never
        backoffLimit: 4
      """
    Then the command fails with:
      """
      The Job "pi" is invalid: spec.managedBy: Invalid value: "kubernetes.io/job-controller": field is immutable
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#elastic-indexed-jobs
  Scenario: An Indexed Job scales by changing completions and parallelism together
    # The section has no manifest of its own: an Indexed Job whose pods sleep, scaled up and down
    # with .spec.parallelism == .spec.completions as the page requires.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: elastic
      spec:
        completions: 3
        parallelism: 3
        completionMode: Indexed
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: worker
              image: busybox
              command: ["sh", "-c", "sleep 300"]
      """
    And 10 seconds pass
    And I try to apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: elastic
      spec:
        completions: 5
        parallelism: 3
        completionMode: Indexed
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: worker
              image: busybox
              command: ["sh", "-c", "sleep 300"]
      """
    Then the command fails with:
      """
      The Job "elastic" is invalid: spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism
      """
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: elastic
      spec:
        completions: 5
        parallelism: 5
        completionMode: Indexed
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: worker
              image: busybox
              command: ["sh", "-c", "sleep 300"]
      """
    And 10 seconds pass
    And I run "kubectl get pods -l job-name=elastic -o custom-columns=NAME:.metadata.generateName,STATUS:.status.phase --sort-by=.metadata.generateName"
    Then the output is:
      """
      NAME         STATUS
      elastic-0-   Running
      elastic-1-   Running
      elastic-2-   Running
      elastic-3-   Running
      elastic-4-   Running
      """
    When I run "kubectl get job elastic"
    Then the output contains:
      """
      elastic   Running   0/5
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-replacement-policy
  Scenario: podReplacementPolicy Failed waits for a deleted pod to fail before replacing it
    # The page shows the field and the Job's `terminating` count; the pods here ignore SIGTERM, so
    # a deleted pod stays terminating for its 30 s grace period before it is killed and Failed.
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: new
      spec:
        podReplacementPolicy: Failed
        parallelism: 2
        completions: 2
        template:
          spec:
            restartPolicy: Never
            terminationGracePeriodSeconds: 30
            containers:
            - name: worker
              image: busybox
              command: ["sh", "-c", "trap '' TERM; sleep 600"]
      """
    And 10 seconds pass
    And I run "kubectl delete pods -l job-name=new --wait=false"
    And 5 seconds pass
    And I run "kubectl get job new -o jsonpath={.status.active},{.status.terminating},{.status.failed}"
    Then the output is:
      """
      ,2,
      """
    When I run "kubectl get pods -l job-name=new --no-headers"
    Then the output contains:
      """
      Terminating
      """
    # Killed at the end of the grace period, the pods are Failed: counted, then replaced after the
    # Job's back-off (10 s doubled for the second failure).
    When 30 seconds pass
    And I run "kubectl get job new -o jsonpath={.status.active},{.status.terminating},{.status.failed}"
    Then the output is:
      """
      ,0,2
      """
    When 20 seconds pass
    And I run "kubectl get job new -o jsonpath={.status.active},{.status.terminating},{.status.failed}"
    Then the output is:
      """
      2,0,2
      """

  # Source: https://kubernetes.io/docs/tasks/job/pod-failure-policy/#using-pod-failure-policy-to-avoid-unnecessary-pod-retries-based-on-custom-pod-conditions
  Scenario: A FailJob rule on a custom pod condition fails the Job once the marked pod is deleted
    Given the image "non-existing-repo/non-existing-image:example" does not exist
    When I apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: job-pod-failure-policy-config-issue
      spec:
        completions: 8
        parallelism: 2
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: "non-existing-repo/non-existing-image:example"
        backoffLimit: 6
        podFailurePolicy:
          rules:
          - action: FailJob
            onPodConditions:
            - type: ConfigIssue
              status: "True"
      """
    And 30 seconds pass
    # The pods stay Pending: the image cannot be pulled.
    And I run "kubectl get pods -l job-name=job-pod-failure-policy-config-issue -o jsonpath={.items[*].status.phase}"
    Then the output is:
      """
      Pending Pending
      """
    # The page's patch.yaml, with a fixed time for `$(date -u ...)`, on the first of the pods.
    When I run "kubectl patch pod job-pod-failure-policy-config-issue-fdk75 --subresource=status -p '{\"status\":{\"conditions\":[{\"type\":\"ConfigIssue\",\"status\":\"True\",\"reason\":\"NonExistingImage\",\"lastTransitionTime\":\"2024-01-08T00:00:30Z\"}]}}'"
    Then the output is:
      """
      pod/job-pod-failure-policy-config-issue-fdk75 patched
      """
    # Deleting the Pending pod makes it Failed (v1.27 and later), with the custom condition.
    When I run "kubectl delete pods/job-pod-failure-policy-config-issue-fdk75"
    Then within 1 minute job "job-pod-failure-policy-config-issue" has failed with reason "PodFailurePolicy"
    When I run "kubectl get jobs -l job-name=job-pod-failure-policy-config-issue -o jsonpath={.items[0].status.conditions[*].message}"
    Then the output is:
      """
      Pod default/job-pod-failure-policy-config-issue-fdk75 has condition ConfigIssue matching FailJob rule at index 0 Pod default/job-pod-failure-policy-config-issue-fdk75 has condition ConfigIssue matching FailJob rule at index 0
      """
