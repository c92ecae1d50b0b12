Feature: Parallel Processing using Expansions
  # Source: https://kubernetes.io/docs/tasks/job/parallel-processing-expansion/
  #
  # Several Jobs from one template: the page downloads application/job/job-tmpl.yaml (verbatim: a
  # Job written as a YAML flow mapping whose name and command hold the placeholder `$ITEM`), expands
  # it with `sed` in the local shell into one manifest per item under ./jobs, creates them all with
  # one `kubectl create` and watches them through their common label jobgroup=jobexample.
  # The commands run as the page prints them: those that are not kubectl's run in the terminal's
  # shell on the user's machine, whose files (the downloaded template, the ./jobs directory) kubectl
  # reads; its only network is k8s.io's examples (the project's copies under exercises/docs).
  # The page's second part, the Jinja2 template, needs Python on the user's machine, which the
  # simulation does not have; it is not covered here.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: One Job per item from a template expanded with sed; the label selects them all
    # Use curl to download job-tmpl.yaml
    When I run "curl -L -s -O https://k8s.io/examples/application/job/job-tmpl.yaml"
    And I run "grep -c ITEM job-tmpl.yaml"
    Then the output is:
      """
      2
      """
    When I run:
      """
      # Expand the template into multiple files, one for each item to be processed.
      mkdir ./jobs
      for i in apple banana cherry
      do
        cat job-tmpl.yaml | sed "s/\$ITEM/$i/" > ./jobs/job-$i.yaml
      done
      """
    # Check if it worked:
    And I run "ls jobs/"
    Then the output is:
      """
      job-apple.yaml
      job-banana.yaml
      job-cherry.yaml
      """
    When I run "grep process-item jobs/job-banana.yaml"
    Then the output is:
      """
          name: "process-item-banana",
      """
    # Next, create all the Jobs with one kubectl command: kubectl reads the directory's .yaml files
    # in lexical order.
    When I run "kubectl create -f ./jobs"
    Then the output is:
      """
      job.batch/process-item-apple created
      job.batch/process-item-banana created
      job.batch/process-item-cherry created
      """
    # Each Pod prints its item and sleeps 5 seconds. The page's DURATION (12s to 14s) is its own
    # cluster's; here busybox:1.28 is pulled once for the three Pods, which start one after another.
    When 30 seconds pass
    And I run "kubectl get jobs -l jobgroup=jobexample"
    Then the output is:
      """
      NAME                  STATUS     COMPLETIONS   DURATION   AGE
      process-item-apple    Complete   1/1           8s         30s
      process-item-banana   Complete   1/1           9s         30s
      process-item-cherry   Complete   1/1           10s        30s
      """
    # The Pods carry the template's label too (their names end in random letters).
    When I run "kubectl get pods -l jobgroup=jobexample"
    Then the output is:
      """
      NAME                        READY   STATUS      RESTARTS   AGE
      process-item-apple-s2drb    0/1     Completed   0          30s
      process-item-banana-lcmqt   0/1     Completed   0          30s
      process-item-cherry-5flzh   0/1     Completed   0          30s
      """
    # The output of all jobs at once:
    When I run "kubectl logs -f -l jobgroup=jobexample"
    Then the output is:
      """
      Processing item apple
      Processing item banana
      Processing item cherry
      """
    # Remove the Jobs you created. Your cluster automatically cleans up their Pods.
    When I run "kubectl delete job -l jobgroup=jobexample"
    Then the output is:
      """
      job.batch "process-item-apple" deleted
      job.batch "process-item-banana" deleted
      job.batch "process-item-cherry" deleted
      """
    When 5 seconds pass
    And I try to run "kubectl get pods -l jobgroup=jobexample"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: The template itself is not a manifest: `$ITEM` is no valid name
    # "The file you downloaded is not yet a valid Kubernetes manifest": the API server refuses the
    # name, and the job-name labels the Job's defaulting gives its Pod template.
    When I run "curl -L -s -O https://k8s.io/examples/application/job/job-tmpl.yaml"
    And I try to run "kubectl create -f job-tmpl.yaml"
    Then the command fails with:
      """
      The Job "process-item-$ITEM" is invalid: 
      * metadata.name: Invalid value: "process-item-$ITEM": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character
      """
