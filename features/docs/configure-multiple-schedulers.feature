Feature: Configure Multiple Schedulers
  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/configure-multiple-schedulers/
  #
  # The page has its reader build kube-scheduler from the cluster's version of the Kubernetes
  # source into `gcr.io/my-gcp-project/my-kube-scheduler:1.0` (FROM busybox); that image is taken
  # as built here: kube-scheduler v1.32 (docs/images.md). Its manifests (admin/sched/, in
  # exercises/docs/) are the page's, verbatim. Two of their details predate v1.32, and a v1.32
  # cluster shows what follows from them: the ConfigMap's `kubescheduler.config.k8s.io/v1beta2`
  # (removed in v1.28: the scheduler refuses it and exits), and the probes on port 10251 (insecure
  # serving was removed in v1.24: kube-scheduler serves /healthz on 10259 over HTTPS).

  Background:
    Given a cluster with nodes:
      | name  |
      | node1 |

  Scenario: The page's scheduler Deployment as it is: v1.32's kube-scheduler refuses the v1beta2 configuration
    When I run "kubectl create -f https://k8s.io/examples/admin/sched/my-scheduler.yaml"
    Then the output is:
      """
      serviceaccount/my-scheduler created
      clusterrolebinding.rbac.authorization.k8s.io/my-scheduler-as-kube-scheduler created
      clusterrolebinding.rbac.authorization.k8s.io/my-scheduler-as-volume-scheduler created
      configmap/my-scheduler-config created
      deployment.apps/my-scheduler created
      """
    When 30 seconds pass
    And I run "kubectl logs -n kube-system deployment/my-scheduler"
    Then the output contains:
      """
      1 serving.go:386] Generated self-signed cert in-memory
      """
    And the output contains:
      """
      1 run.go:72] "command failed" err="no kind \"KubeSchedulerConfiguration\" is registered for version \"kubescheduler.config.k8s.io/v1beta2\" in scheme \"pkg/scheduler/apis/config/scheme/scheme.go:29\""
      """
    When I run "kubectl get pods -n kube-system -l component=scheduler,version=second"
    Then the output contains:
      """
      0/1     CrashLoopBackOff
      """

  Scenario: With a v1 configuration the second scheduler schedules the pod that names it; the others are the default scheduler's
    # "If we submit all the pod configs to a Kubernetes cluster before submitting the scheduler
    # deployment config, we see that the pod annotation-second-scheduler remains in "Pending" state
    # forever while the other two pods get scheduled."
    When I run "kubectl create -f https://k8s.io/examples/admin/sched/pod1.yaml"
    And I run "kubectl create -f https://k8s.io/examples/admin/sched/pod2.yaml"
    And I run "kubectl create -f https://k8s.io/examples/admin/sched/pod3.yaml"
    And 30 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                           READY   STATUS    RESTARTS   AGE
      annotation-default-scheduler   1/1     Running   0          30s
      annotation-second-scheduler    0/1     Pending   0          30s
      no-annotation                  1/1     Running   0          30s
      """
    When I run "kubectl get events --field-selector involvedObject.name=annotation-second-scheduler"
    Then the error output is:
      """
      No resources found in default namespace.
      """
    # The page's Deployment, with the KubeSchedulerConfiguration a v1.32 kube-scheduler reads.
    When I run:
      """
      cat <<EOF > my-scheduler-config.yaml
      apiVersion: kubescheduler.config.k8s.io/v1
      kind: KubeSchedulerConfiguration
      profiles:
        - schedulerName: my-scheduler
      leaderElection:
        leaderElect: false
      EOF
      """
    And I run "kubectl create -f https://k8s.io/examples/admin/sched/my-scheduler.yaml"
    And I run:
      """
      kubectl create configmap my-scheduler-config -n kube-system --from-file=my-scheduler-config.yaml --dry-run=client -o yaml | kubectl replace -f -
      """
    Then the output is:
      """
      configmap/my-scheduler-config replaced
      """
    # The crashing pod's replacement mounts the ConfigMap as it is now.
    When I run "kubectl delete pod -n kube-system -l version=second --wait=false"
    And 30 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                           READY   STATUS    RESTARTS   AGE
      annotation-default-scheduler   1/1     Running   0          60s
      annotation-second-scheduler    1/1     Running   0          60s
      no-annotation                  1/1     Running   0          60s
      """
    And the events of pod "annotation-second-scheduler" contain:
      """
      Normal Scheduled Successfully assigned default/annotation-second-scheduler to node1
      """
    When I run:
      """
      kubectl get events -o jsonpath='{range .items[?(@.reason=="Scheduled")]}{.involvedObject.name} {.reportingComponent}{"\n"}{end}'
      """
    Then the output contains:
      """
      annotation-second-scheduler my-scheduler
      """
    And the output contains:
      """
      no-annotation default-scheduler
      """
    # The page's probes ask port 10251, where nothing listens: the scheduler pod is not Ready, and
    # the kubelet restarts it after three failed liveness probes (15 s delay, every 10 s).
    When I run "kubectl get pods -n kube-system -l version=second -o jsonpath='{.items[*].status.containerStatuses[0].ready}'"
    Then the output is:
      """
      false
      """
    When I run "kubectl get events -n kube-system --field-selector reason=Unhealthy"
    Then the output contains:
      """
      Readiness probe failed: Get "http://
      """
    And the output contains:
      """
      :10251/healthz": dial tcp
      """
    And the output contains:
      """
      :10251: connect: connection refused
      """

  Scenario: Leader election on its own lock, once the system:kube-scheduler role names it
    # "Update the following fields for the KubeSchedulerConfiguration in the my-scheduler-config
    # ConfigMap: leaderElection.leaderElect to true, leaderElection.resourceNamespace to
    # <lock-object-namespace>, leaderElection.resourceName to <lock-object-name>" (kube-system and
    # my-scheduler here, with the v1 configuration as above).
    When I run "kubectl create -f https://k8s.io/examples/admin/sched/pod3.yaml"
    And I run:
      """
      cat <<EOF > my-scheduler-config.yaml
      apiVersion: kubescheduler.config.k8s.io/v1
      kind: KubeSchedulerConfiguration
      profiles:
        - schedulerName: my-scheduler
      leaderElection:
        leaderElect: true
        resourceNamespace: kube-system
        resourceName: my-scheduler
      EOF
      """
    And I run "kubectl create -f https://k8s.io/examples/admin/sched/my-scheduler.yaml"
    And I run:
      """
      kubectl create configmap my-scheduler-config -n kube-system --from-file=my-scheduler-config.yaml --dry-run=client -o yaml | kubectl replace -f -
      """
    And I run "kubectl delete pod -n kube-system -l version=second --wait=false"
    And 20 seconds pass
    # "If RBAC is enabled on your cluster, you must update the system:kube-scheduler cluster role":
    # until then the lock cannot be read, and the scheduler, not leading, schedules nothing.
    And I run "kubectl logs -n kube-system deployment/my-scheduler"
    Then the output contains:
      """
      1 leaderelection.go:257] attempting to acquire leader lease kube-system/my-scheduler...
      """
    And the output contains:
      """
      1 leaderelection.go:436] error retrieving resource lock kube-system/my-scheduler: leases.coordination.k8s.io "my-scheduler" is forbidden: User "system:serviceaccount:kube-system:my-scheduler" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"
      """
    When I run "kubectl get pod annotation-second-scheduler"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE
      annotation-second-scheduler   0/1     Pending   0          20s
      """
    # `kubectl edit clusterrole system:kube-scheduler`: my-scheduler added to the resourceNames of
    # the leases rule, as the page's admin/sched/clusterrole.yaml shows it.
    When I run:
      """
      kubectl patch clusterrole system:kube-scheduler --type=json -p '[{"op":"add","path":"/rules/2/resourceNames/-","value":"my-scheduler"}]'
      """
    Then the output is:
      """
      clusterrole.rbac.authorization.k8s.io/system:kube-scheduler patched
      """
    When 5 seconds pass
    And I run "kubectl logs -n kube-system deployment/my-scheduler"
    Then the output contains:
      """
      1 leaderelection.go:271] successfully acquired lease kube-system/my-scheduler
      """
    When I run "kubectl get pod annotation-second-scheduler -o jsonpath={.spec.nodeName}"
    Then the output is:
      """
      node1
      """
    When I run "kubectl get lease my-scheduler -n kube-system -o jsonpath={.spec.leaseDurationSeconds}"
    Then the output is:
      """
      15
      """
