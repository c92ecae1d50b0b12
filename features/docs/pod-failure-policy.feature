Feature: Handling retriable and non-retriable pod failures with Pod failure policy
  # Source: https://kubernetes.io/docs/tasks/job/pod-failure-policy/
  #
  # A Job's podFailurePolicy decides what a failed Pod means before the backoffLimit counts it:
  # FailJob ends the whole Job at once (a software bug: exit code 42), Ignore leaves a disrupted
  # Pod uncounted (the DisruptionTarget condition a drain's eviction gives it), and a rule on a
  # custom Pod condition fails the Job for a Pod that could never start. The page's manifests are
  # controllers/job-pod-failure-policy-{failjob,ignore,config-issue}.yaml, verbatim; the page has
  # you save each one and `kubectl create -f` it, which the scenarios do with curl. Its commands
  # run as printed, shell variables included (`nodeName=$(kubectl get pods ...)` is kept by the
  # terminal for `kubectl drain nodes/$nodeName`), and so does its here-document with `$(date -u ...)`.
  # The page's last example (FailIndex, job-backoff-limit-per-index-failindex.yaml) runs a Python
  # script, which the simulated python:3 image cannot run: features/workloads/job-advanced.feature
  # has the same Job with the script in sh.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A FailJob rule on exit code 42 terminates the entire Job at the first such failure
    When I run "curl -L -s -O https://k8s.io/examples/controllers/job-pod-failure-policy-failjob.yaml"
    And I run "kubectl create -f job-pod-failure-policy-failjob.yaml"
    Then the output is:
      """
      job.batch/job-pod-failure-policy-failjob created
      """
    # "After around 30s the entire Job should be terminated."
    When 35 seconds pass
    And I run "kubectl get jobs -l job-name=job-pod-failure-policy-failjob -o yaml"
    Then the output contains:
      """
        status:
          conditions:
          - lastProbeTime: "2024-01-08T00:00:32Z"
            lastTransitionTime: "2024-01-08T00:00:32Z"
            message: Container main for pod default/job-pod-failure-policy-failjob-htw5g
              failed with exit code 42 matching FailJob rule at index 0
            reason: PodFailurePolicy
            status: "True"
            type: FailureTarget
          - lastProbeTime: "2024-01-08T00:00:32Z"
            lastTransitionTime: "2024-01-08T00:00:32Z"
            message: Container main for pod default/job-pod-failure-policy-failjob-htw5g
              failed with exit code 42 matching FailJob rule at index 0
            reason: PodFailurePolicy
            status: "True"
            type: Failed
          failed: 2
          ready: 0
          startTime: "2024-01-08T00:00:00Z"
          terminating: 0
          uncountedTerminatedPods: {}
      """
    # Without the policy, six retries of the Pod would take at least 2 minutes.
    When I run "kubectl get jobs job-pod-failure-policy-failjob"
    Then the output is:
      """
      NAME                             STATUS   COMPLETIONS   DURATION   AGE
      job-pod-failure-policy-failjob   Failed   0/8           35s        35s
      """
    # Delete the Job you created; the cluster automatically cleans up the Pods.
    When I run "kubectl delete jobs/job-pod-failure-policy-failjob"
    Then the output is:
      """
      job.batch "job-pod-failure-policy-failjob" deleted
      """
    When 5 seconds pass
    And I try to run "kubectl get pods -l job-name=job-pod-failure-policy-failjob"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: An Ignore rule on DisruptionTarget: the Pods a drain evicts do not count toward backoffLimit 0
    When I run "curl -L -s -O https://k8s.io/examples/controllers/job-pod-failure-policy-ignore.yaml"
    And I run "kubectl create -f job-pod-failure-policy-ignore.yaml"
    And 10 seconds pass
    And I run "nodeName=$(kubectl get pods -l job-name=job-pod-failure-policy-ignore -o jsonpath='{.items[0].spec.nodeName}')"
    # Drain the node to evict the Pod before it completes (within 90s).
    And I run "kubectl drain nodes/$nodeName --ignore-daemonsets --grace-period=0"
    Then the output is:
      """
      node/k8s-node1 cordoned
      evicting pod default/job-pod-failure-policy-ignore-qcf8n
      evicting pod default/job-pod-failure-policy-ignore-zmvdq
      pod/job-pod-failure-policy-ignore-qcf8n evicted
      pod/job-pod-failure-policy-ignore-zmvdq evicted
      node/k8s-node1 drained
      """
    # The counter is not incremented: the status has no `failed`, and no Failed condition.
    When I run "kubectl get jobs -l job-name=job-pod-failure-policy-ignore -o yaml"
    Then the output contains:
      """
        status:
          ready: 0
          startTime: "2024-01-08T00:00:00Z"
          terminating: 0
          uncountedTerminatedPods: {}
      """
    When I run "kubectl uncordon nodes/$nodeName"
    Then the output is:
      """
      node/k8s-node1 uncordoned
      """
    # The Job resumes and succeeds: four Pods of 90 seconds, two at a time.
    And within 5 minutes job "job-pod-failure-policy-ignore" is complete
    When I run "kubectl get jobs -l job-name=job-pod-failure-policy-ignore -o jsonpath='succeeded={.items[0].status.succeeded} failed={.items[0].status.failed}'"
    Then the output is:
      """
      succeeded=4 failed=
      """

  Scenario: A FailJob rule on a custom Pod condition: a Pod whose image does not exist fails the Job
    When I run "curl -L -s -O https://k8s.io/examples/controllers/job-pod-failure-policy-config-issue.yaml"
    And I run "kubectl create -f job-pod-failure-policy-config-issue.yaml"
    # The Pods stay Pending: their image cannot be pulled, which could be a transient issue.
    And 20 seconds pass
    And I run "kubectl get pods -l job-name=job-pod-failure-policy-config-issue -o yaml"
    Then the output contains:
      """
            state:
              waiting:
                message: Back-off pulling image "non-existing-repo/non-existing-image:example"
                reason: ImagePullBackOff
      """
    And the output contains:
      """
          phase: Pending
      """
    # The custom condition, as the page prepares it (its lastTransitionTime from the cluster's clock).
    When I run:
      """
      cat <<EOF > patch.yaml
      status:
        conditions:
        - type: ConfigIssue
          status: "True"
          reason: "NonExistingImage"
          lastTransitionTime: "$(date -u +"%Y-%m-%dT%H:%M:%SZ")"
      EOF
      """
    And I run "podName=$(kubectl get pods -l job-name=job-pod-failure-policy-config-issue -o jsonpath='{.items[0].metadata.name}')"
    And I run "kubectl patch pod $podName --subresource=status --patch-file=patch.yaml"
    Then the output is:
      """
      pod/job-pod-failure-policy-config-issue-fdk75 patched
      """
    When I run "kubectl get pod $podName -o jsonpath='{.status.conditions[?(@.type==\"ConfigIssue\")].reason} {.status.conditions[?(@.type==\"ConfigIssue\")].lastTransitionTime}'"
    Then the output is:
      """
      NonExistingImage 2024-01-08T00:00:20Z
      """
    # Deleting the Pod moves it to the Failed phase; the policy matches its condition.
    When I run "kubectl delete pods/$podName"
    Then the output is:
      """
      pod "job-pod-failure-policy-config-issue-fdk75" deleted
      """
    # The Job controller terminates the other Pod, then adds Failed (its pod events are batched by a second).
    When 2 seconds pass
    And I run "kubectl get jobs -l job-name=job-pod-failure-policy-config-issue -o yaml"
    Then the output contains:
      """
        status:
          conditions:
          - lastProbeTime: "2024-01-08T00:00:21Z"
            lastTransitionTime: "2024-01-08T00:00:21Z"
            message: Pod default/job-pod-failure-policy-config-issue-fdk75 has condition
              ConfigIssue matching FailJob rule at index 0
            reason: PodFailurePolicy
            status: "True"
            type: FailureTarget
          - lastProbeTime: "2024-01-08T00:00:22Z"
            lastTransitionTime: "2024-01-08T00:00:22Z"
            message: Pod default/job-pod-failure-policy-config-issue-fdk75 has condition
              ConfigIssue matching FailJob rule at index 0
            reason: PodFailurePolicy
            status: "True"
            type: Failed
          failed: 2
      """
    When I run "kubectl delete jobs/job-pod-failure-policy-config-issue"
    Then the output is:
      """
      job.batch "job-pod-failure-policy-config-issue" deleted
      """
