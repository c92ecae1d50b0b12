Feature: Perform a Rolling Update on a DaemonSet, and a Rollback
  # Source: https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
  # Source: https://kubernetes.io/docs/tasks/manage-daemon/rollback-daemon-set/
  #
  # The pages' fluentd DaemonSet (exercises/docs/controllers/fluentd-daemonset.yaml, verbatim) runs
  # one pod on each of a kind cluster's nodes, the control plane included (its tolerations). The
  # fluentd image is not modelled: it is declared as a process listening on fluentd's forward port
  # that stops at SIGTERM.
  #
  # The update page's `fluentd-daemonset-update.yaml` (verbatim, its newest stored revision: a YAML
  # flow mapping) still selects `name: fluentd-elasticsearch`, while `fluentd-daemonset.yaml` moved to
  # `app.kubernetes.io/name: fluentd-elasticsearch`: a DaemonSet's selector is immutable, so applying it
  # over the page's DaemonSet is refused, on a real cluster as here. The page's other ways of changing
  # the template (`kubectl edit`, `kubectl set image`) roll the update out.

  Background:
    Given a cluster with nodes:
      | name          | role          |
      | control-plane | control-plane |
      | k8s-node1     |               |
      | k8s-node2     |               |
    And the image "quay.io/fluentd_elasticsearch/fluentd" behaves as:
      """yaml
      ports: [24224]
      onSigterm: { exitCode: 0, after: 1s }
      """
    When I run "kubectl apply -f https://k8s.io/examples/controllers/fluentd-daemonset.yaml"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch created
      """

  Scenario: The DaemonSet's update strategy is RollingUpdate, in the cluster and in the manifest
    When I run:
      """
      kubectl get ds/fluentd-elasticsearch -o go-template='{{.spec.updateStrategy.type}}{{"\n"}}' -n kube-system
      """
    Then the output is:
      """
      RollingUpdate
      """
    When I run:
      """
      kubectl apply -f https://k8s.io/examples/controllers/fluentd-daemonset.yaml --dry-run=client -o go-template='{{.spec.updateStrategy.type}}{{"\n"}}'
      """
    Then the output is:
      """
      RollingUpdate
      """

  Scenario: The update manifest selects other labels: the selector is immutable and the apply is refused
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    Then the output contains:
      """
      daemon set "fluentd-elasticsearch" successfully rolled out
      """
    When I try to run "kubectl apply -f https://k8s.io/examples/controllers/fluentd-daemonset-update.yaml"
    Then the command fails with:
      """
      The DaemonSet "fluentd-elasticsearch" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"name":"fluentd-elasticsearch"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable
      """

  Scenario: kubectl set image rolls the new image out one node at a time
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    And I run "kubectl set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0 -n kube-system"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch image updated
      """
    # maxUnavailable: 1: each node's old pod is killed before its new pod is created, one node at a time.
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 0 out of 3 new pods have been updated...
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 1 out of 3 new pods have been updated...
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 2 out of 3 new pods have been updated...
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 2 of 3 updated pods are available...
      daemon set "fluentd-elasticsearch" successfully rolled out
      """
    When I run "kubectl get pods -l app.kubernetes.io/name=fluentd-elasticsearch -o wide -n kube-system"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE   IP           NODE            NOMINATED NODE   READINESS GATES
      fluentd-elasticsearch-22szc   1/1     Running   0          11s   10.244.0.3   control-plane   <none>           <none>
      fluentd-elasticsearch-8gpv5   1/1     Running   0          7s    10.244.1.3   k8s-node1       <none>           <none>
      fluentd-elasticsearch-k2hj9   1/1     Running   0          3s    10.244.2.3   k8s-node2       <none>           <none>
      """
    When I run "kubectl get pods -n kube-system -l app.kubernetes.io/name=fluentd-elasticsearch --sort-by=.spec.nodeName -o custom-columns=NODE:.spec.nodeName,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NODE            IMAGE
      control-plane   quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      k8s-node1       quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      k8s-node2       quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      """
    # The page's troubleshooting command selects the label `name=fluentd-elasticsearch` of the update
    # manifest, which the page's DaemonSet's pods do not carry.
    When I run "kubectl get pods -l name=fluentd-elasticsearch -o wide -n kube-system"
    Then the output is:
      """
      """
    And the error output is:
      """
      No resources found in kube-system namespace.
      """

  Scenario: kubectl edit changes the template in an editor, and rolls it out the same way
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    # The editor is a command (KUBE_EDITOR) making the change the page makes by hand.
    And I run:
      """
      KUBE_EDITOR="sed -i 's|fluentd:v5.0.1|fluentd:v2.6.0|'" kubectl edit ds/fluentd-elasticsearch -n kube-system
      """
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch edited
      """
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    Then the output contains:
      """
      daemon set "fluentd-elasticsearch" successfully rolled out
      """
    When I run "kubectl get ds fluentd-elasticsearch -n kube-system -o wide"
    Then the output is:
      """
      NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   CONTAINERS              IMAGES                                         SELECTOR
      fluentd-elasticsearch   3         3         3       3            3           <none>          15s   fluentd-elasticsearch   quay.io/fluentd_elasticsearch/fluentd:v2.6.0   app.kubernetes.io/name=fluentd-elasticsearch
      """

  # Source: https://kubernetes.io/docs/tasks/manage-daemon/rollback-daemon-set/
  Scenario: The revisions, a rollback to revision 1 (which becomes revision 3), and back to the last one
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    And I run "kubectl set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0 -n kube-system"
    And I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    # Step 1: find the DaemonSet revision you want to roll back to.
    And I run "kubectl rollout history daemonset fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch 
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>

      """
    When I run "kubectl rollout history daemonset fluentd-elasticsearch -n kube-system --revision=1"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch with revision #1
      Pod Template:
        Labels:  app.kubernetes.io/name=fluentd-elasticsearch
        Containers:
         fluentd-elasticsearch:
          Image:        quay.io/fluentd_elasticsearch/fluentd:v5.0.1
          Port:         <none>
          Host Port:    <none>
          Environment:  <none>
          Mounts:
            /var/lib/docker/containers from varlibdockercontainers (ro)
            /var/log from varlog (rw)
        Volumes:
         varlog:
          Type:          HostPath (bare host directory volume)
          Path:          /var/log
          HostPathType:  <none>
         varlibdockercontainers:
          Type:          HostPath (bare host directory volume)
          Path:          /var/lib/docker/containers
          HostPathType:  <none>
        Node-Selectors:  <none>
        Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists
                         node-role.kubernetes.io/master:NoSchedule op=Exists
      """
    # Step 2: roll back to a specific revision.
    When I run "kubectl rollout undo daemonset fluentd-elasticsearch -n kube-system --to-revision=1"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch rolled back
      """
    # Step 3: watch the progress of the rollback.
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 0 out of 3 new pods have been updated...
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 1 out of 3 new pods have been updated...
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 2 out of 3 new pods have been updated...
      Waiting for daemon set "fluentd-elasticsearch" rollout to finish: 2 of 3 updated pods are available...
      daemon set "fluentd-elasticsearch" successfully rolled out
      """
    # Understanding DaemonSet revisions: each is a ControllerRevision, and revisions only roll
    # forward: revision 1, rolled back to, is now revision 3.
    When I run "kubectl get controllerrevision -n kube-system -l app.kubernetes.io/name=fluentd-elasticsearch"
    Then the output is:
      """
      NAME                               CONTROLLER                             REVISION   AGE
      fluentd-elasticsearch-76f58b55c    daemonset.apps/fluentd-elasticsearch   2          18s
      fluentd-elasticsearch-7b8664787c   daemonset.apps/fluentd-elasticsearch   3          21s
      """
    When I run "kubectl rollout history daemonset fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch 
      REVISION  CHANGE-CAUSE
      2         <none>
      3         <none>

      """
    # Without --to-revision, the last revision (here revision 2, v2.6.0) is picked.
    When I run "kubectl rollout undo daemonset fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch rolled back
      """
    When I run "kubectl rollout status ds/fluentd-elasticsearch -n kube-system"
    And I run "kubectl get controllerrevision -n kube-system -l app.kubernetes.io/name=fluentd-elasticsearch -o custom-columns=REVISION:.revision,IMAGE:.data.spec.template.spec.containers[0].image --sort-by=.revision"
    Then the output is:
      """
      REVISION   IMAGE
      3          quay.io/fluentd_elasticsearch/fluentd:v5.0.1
      4          quay.io/fluentd_elasticsearch/fluentd:v2.6.0
      """
    # A revision that does not exist, and a rollback to the template already running.
    When I try to run "kubectl rollout undo daemonset fluentd-elasticsearch -n kube-system --to-revision=7"
    Then the command fails with:
      """
      error: unable to find specified revision 7 in history
      """
    When I run "kubectl rollout undo daemonset fluentd-elasticsearch -n kube-system --to-revision=4"
    Then the output is:
      """
      daemonset.apps/fluentd-elasticsearch skipped rollback (current template already matches revision 4)
      """
    # Clean up
    When I run "kubectl delete ds fluentd-elasticsearch -n kube-system"
    Then the output is:
      """
      daemonset.apps "fluentd-elasticsearch" deleted
      """
    When 1 minute passes
    And I run "kubectl get controllerrevision,pods -n kube-system -l app.kubernetes.io/name=fluentd-elasticsearch"
    Then the output is:
      """
      """
    And the error output is:
      """
      No resources found in kube-system namespace.
      """
