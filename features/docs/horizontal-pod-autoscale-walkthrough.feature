Feature: HorizontalPodAutoscaler Walkthrough
  # Source: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/
  #
  # php-apache's index.php adds up a million square roots per request; a HorizontalPodAutoscaler
  # keeps its pods at 50% of their 200m CPU request. A busybox pod sends it requests in a loop: the
  # HPA scales the Deployment up, and back to one replica a few minutes after the load stops.
  # The page starts the load generator with `kubectl run -i --tty load-generator --rm ...` and
  # stops it with Ctrl+C. A scenario has no terminal and cannot interrupt: here the same
  # `kubectl run` without the attaching flags (-i --tty --rm) starts the same pod, and deleting it
  # stops the load.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl apply -f exercises/docs/application/php-apache.yaml"
    Then the output is:
      """
      deployment.apps/php-apache created
      service/php-apache created
      """

  Scenario: kubectl autoscale creates the HPA; without load the CPU consumption is 0%
    When I run "kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10"
    Then the output is:
      """
      horizontalpodautoscaler.autoscaling/php-apache autoscaled
      """
    When I run "kubectl get hpa" and 18 seconds pass
    Then the output is:
      """
      NAME         REFERENCE               TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
      php-apache   Deployment/php-apache   cpu: <unknown>/50%   1         10        0          0s
      """
    When I run "kubectl get hpa"
    Then the output is:
      """
      NAME         REFERENCE               TARGETS       MINPODS   MAXPODS   REPLICAS   AGE
      php-apache   Deployment/php-apache   cpu: 0%/50%   1         10        1          18s
      """

  Scenario: Load scales php-apache up to 7 replicas, and back to 1 once it stops
    When I run "kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10"
    And 1 minute passes
    And I run "kubectl run load-generator --image=busybox:1.28 --restart=Never -- /bin/sh -c 'while sleep 0.01; do wget -q -O- http://php-apache; done'"
    Then the output is:
      """
      pod/load-generator created
      """
    # "Within a minute or so, you should see the higher CPU load"
    Then within 1 minute the output of "kubectl get hpa php-apache" contains:
      """
      php-apache   Deployment/php-apache   cpu: 230%/50%   1         10        1
      """
    # "As a result, the Deployment was resized to 7 replicas"
    And within 1 minute the output of "kubectl get deployment php-apache" contains:
      """
      php-apache   7/7     7            7
      """
    When 30 seconds pass
    And I run "kubectl describe hpa php-apache"
    Then the output contains:
      """
      Reference:                                             Deployment/php-apache
      Metrics:                                               ( current / target )
        resource cpu on pods  (as a percentage of request):  48% (96m) / 50%
      Min replicas:                                          1
      Max replicas:                                          10
      Deployment pods:                                       7 current / 7 desired
      Conditions:
        Type            Status  Reason              Message
        ----            ------  ------              -------
        AbleToScale     True    ReadyForNewScale    recommended size matches current size
        ScalingActive   True    ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
        ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range
      """
    And the output contains:
      """
      Normal  SuccessfulRescale  
      """
    # "terminate the load generation by typing <Ctrl> + C"
    When I run "kubectl delete pod load-generator"
    Then within 2 minutes the output of "kubectl get hpa php-apache" contains:
      """
      cpu: 0%/50%
      """
    # The recommendation drops at once, but the highest of the last 5 minutes stands.
    When 2 minutes pass
    And I run "kubectl get deployment php-apache"
    Then the output contains:
      """
      php-apache   7/7     7            7
      """
    Then within 5 minutes the output of "kubectl get deployment php-apache" contains:
      """
      php-apache   1/1     1            1
      """
    # Up by at most max(2×, 4) a sync; down to the highest recommendation of the last 5 minutes
    # (one taken while the load was stopping asked for 4).
    When I run "kubectl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler -o custom-columns=REASON:.reason,MESSAGE:.message"
    Then the output is:
      """
      REASON              MESSAGE
      SuccessfulRescale   New size: 4; reason: cpu resource utilization (percentage of request) above target
      SuccessfulRescale   New size: 7; reason: cpu resource utilization (percentage of request) above target
      SuccessfulRescale   New size: 4; reason: All metrics below target
      SuccessfulRescale   New size: 1; reason: All metrics below target
      """

  Scenario: The HPA written as a manifest (autoscaling/v2), its status in the v2 form
    When I run "kubectl apply -f exercises/docs/application/hpa/php-apache.yaml"
    Then the output is:
      """
      horizontalpodautoscaler.autoscaling/php-apache created
      """
    When 1 minute passes
    And I run "kubectl get hpa php-apache -o yaml"
    Then the output contains:
      """
      status:
        conditions:
      """
    And the output contains:
      """
        currentMetrics:
        - resource:
            current:
              averageUtilization: 0
              averageValue: 1m
            name: cpu
          type: Resource
        currentReplicas: 1
        desiredReplicas: 1
      """

  Scenario: kubectl top shows the pods' CPU and memory from metrics-server
    When 1 minute passes
    And I run "kubectl top pod -l app.kubernetes.io/name=php-apache"
    Then the output is:
      """
      NAME                         CPU(cores)   MEMORY(bytes)
      php-apache-bd58c8444-gmx64   1m           0Mi
      """
