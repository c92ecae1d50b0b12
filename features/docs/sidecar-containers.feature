Feature: Sidecar Containers
  # Source: https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
  #
  # The page's two examples, verbatim: a Deployment whose `logshipper` init container has
  # `restartPolicy: Always` (a sidecar: it starts before the app container and keeps running beside
  # it, following the log file the app writes in their shared emptyDir), and a Job with the same
  # sidecar, which completes when its main container has finished although the sidecar never exits
  # by itself. On termination the kubelet stops the app containers first, then the sidecars.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The Deployment's sidecar starts first and keeps running beside the app container
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-sidecar.yaml"
    Then the output is:
      """
      deployment.apps/myapp created
      """
    When I run "kubectl rollout status deployment/myapp"
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                     READY   STATUS    RESTARTS   AGE
      myapp-75499d77bd-gbvvc   2/2     Running   0          3s
      """
    When I run:
      """
      kubectl get pods -l app.kubernetes.io/name=myapp -o jsonpath='{range .items[0].status.initContainerStatuses[*]}{.name} started={.started} ready={.ready} {.state}{"\n"}{end}'
      """
    Then the output is:
      """
      logshipper started=true ready=true {"running":{"startedAt":"2024-01-08T00:00:01Z"}}
      """
    # The sidecar follows (tail -F) the file the app container appends a line to every second.
    When 5 seconds pass
    And I run "kubectl logs deployment/myapp -c logshipper --tail=3"
    Then the output is:
      """
      logging
      logging
      logging
      """
    When I run "kubectl describe pod -l app.kubernetes.io/name=myapp"
    Then the output contains:
      """
      Init Containers:
        logshipper:
      """
    And the output contains:
      """
          Restart Policy:  Always
          Command:
            sh
            -c
            tail -F /opt/logs.txt
          State:          Running
      """

  Scenario: Scaled to zero, the pod stops its app container first, then the sidecar
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-sidecar.yaml"
    And I run "kubectl rollout status deployment/myapp"
    And I run "kubectl scale deployment myapp --replicas=0"
    # Both containers are told to stop at once (their Killing events), but the sidecar's SIGTERM
    # waits until the app container has exited.
    And I run "kubectl get events --field-selector reason=Killing -o custom-columns=TIME:.lastTimestamp,MESSAGE:.message"
    Then the output is:
      """
      TIME                   MESSAGE
      2024-01-08T00:00:03Z   Stopping container myapp
      2024-01-08T00:00:03Z   Stopping container logshipper
      """
    # The app container's shell (PID 1) ignores SIGTERM: it is killed when the 30 s grace period
    # ends (00:00:33). Then the sidecar gets its SIGTERM, with what is left of the grace period (the
    # 2 s minimum); `tail` ignores it too, and is killed at 00:00:35, when the pod goes.
    When 31 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                     READY   STATUS        RESTARTS   AGE
      myapp-75499d77bd-gbvvc   2/2     Terminating   0          34s
      """
    When 2 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      """
    And the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: The Job completes when its main container finishes, the sidecar notwithstanding
    When I run "kubectl apply -f https://k8s.io/examples/application/job/job-sidecar.yaml"
    Then the output is:
      """
      job.batch/myjob created
      """
    When I run "kubectl wait --for=condition=complete job/myjob --timeout=60s"
    Then the output is:
      """
      job.batch/myjob condition met
      """
    When I run "kubectl get job myjob"
    Then the output is:
      """
      NAME    STATUS     COMPLETIONS   DURATION   AGE
      myjob   Complete   1/1           34s        34s
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME          READY   STATUS      RESTARTS   AGE
      myjob-9p2sj   0/2     Completed   0          34s
      """
    When I run:
      """
      kubectl get pods -l job-name=myjob -o jsonpath='{range .items[0].status.initContainerStatuses[*]}{.name} {.state.terminated.reason} {.state.terminated.exitCode}{"\n"}{end}{range .items[0].status.containerStatuses[*]}{.name} {.state.terminated.reason} {.state.terminated.exitCode}{"\n"}{end}'
      """
    Then the output is:
      """
      logshipper Error 137
      myjob Completed 0
      """
    When I run "kubectl get events --sort-by=.lastTimestamp -o custom-columns=REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message"
    Then the output is:
      """
      REASON             OBJECT        MESSAGE
      Scheduled          myjob-9p2sj   Successfully assigned default/myjob-9p2sj to k8s-node1
      Pulling            myjob-9p2sj   Pulling image "alpine:latest"
      SuccessfulCreate   myjob         Created pod: myjob-9p2sj
      Pulled             myjob-9p2sj   Successfully pulled image "alpine:latest" in 1.5s (1.5s including waiting). Image size: 3623807 bytes.
      Created            myjob-9p2sj   Created container: logshipper
      Started            myjob-9p2sj   Started container logshipper
      Pulling            myjob-9p2sj   Pulling image "alpine:latest"
      Pulled             myjob-9p2sj   Successfully pulled image "alpine:latest" in 1.5s (1.5s including waiting). Image size: 3623807 bytes.
      Created            myjob-9p2sj   Created container: myjob
      Started            myjob-9p2sj   Started container myjob
      Killing            myjob-9p2sj   Stopping container logshipper
      Completed          myjob         Job completed
      """
