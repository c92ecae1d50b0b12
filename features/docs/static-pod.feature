Feature: Create static Pods
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
  #
  # A static Pod is run by the kubelet of one node from a manifest file in the kubelet's
  # staticPodPath; the API server only shows a mirror Pod of it, named `<pod>-<node>`. On a kind
  # node the kubelet's staticPodPath is /etc/kubernetes/manifests (the page's /etc/kubelet.d and
  # `--pod-manifest-path` are another installation's choice), and the kubelet watches it, so no
  # kubelet restart is needed. The page's web server manifest is written there on the node, as the
  # page writes it (after `ssh my-node1`; on kind, `docker exec -it my-node1 bash`).
  #
  # The page's `docker ps` (crictl on kind) is not modelled: the scenarios read what the API server
  # shows of the static Pod instead.

  Background:
    Given a cluster with nodes:
      | name     |
      | my-node1 |
    When I run on node "my-node1":
      """
      mkdir -p /etc/kubernetes/manifests/
      cat <<EOF >/etc/kubernetes/manifests/static-web.yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: static-web
        labels:
          role: myrole
      spec:
        containers:
          - name: web
            image: nginx
            ports:
              - name: web
                containerPort: 80
                protocol: TCP
      EOF
      """

  Scenario: The kubelet runs the static Pod and the API server shows its mirror Pod
    When 2 minutes pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                  READY   STATUS    RESTARTS   AGE
      static-web-my-node1   1/1     Running   0          2m
      """
    # Labels from the static Pod are propagated into the mirror Pod: selectors find it.
    When I run "kubectl get pods -l role=myrole"
    Then the output contains:
      """
      static-web-my-node1   1/1     Running   0          2m
      """
    # The kubelet's annotations: where the pod comes from, and the hash of the file's pod that
    # the mirror Pod copies (config.mirror is the static Pod's config.hash). The Node owns it.
    When I run "kubectl get pod static-web-my-node1 -o jsonpath='{.metadata.annotations.kubernetes\.io/config\.source} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} controller={.metadata.ownerReferences[0].controller} {.spec.nodeName}'"
    Then the output is:
      """
      file Node/my-node1 controller=true my-node1
      """
    When I run:
      """
      kubectl get pod static-web-my-node1 -o go-template='{{range $k, $v := .metadata.annotations}}{{$k}}{{"\n"}}{{end}}'
      """
    Then the output is:
      """
      kubernetes.io/config.hash
      kubernetes.io/config.mirror
      kubernetes.io/config.seen
      kubernetes.io/config.source
      """
    # The kubelet tolerates every NoExecute taint for static Pods, so that node problems never evict them.
    When I run "kubectl get pod static-web-my-node1 -o jsonpath='{.spec.tolerations}'"
    Then the output is:
      """
      [{"effect":"NoExecute","operator":"Exists"}]
      """

  Scenario: Deleting the mirror Pod does not remove the static Pod
    When 2 minutes pass
    And I run "kubectl delete pod static-web-my-node1"
    Then the output is:
      """
      pod "static-web-my-node1" deleted
      """
    # The kubelet makes a new mirror Pod at once; the container was never stopped (no restart), and
    # the kubelet's next status sync (every 10 seconds) writes its status to the new mirror Pod.
    When 12 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                  READY   STATUS    RESTARTS   AGE
      static-web-my-node1   1/1     Running   0          12s
      """

  Scenario: Dynamic addition and removal of static pods
    When 2 minutes pass
    And I run on node "my-node1":
      """
      mv /etc/kubernetes/manifests/static-web.yaml /tmp
      sleep 20
      """
    # No nginx container runs any more, and its mirror Pod is gone.
    And I run "kubectl get pods"
    Then the error output is:
      """
      No resources found in default namespace.
      """
    When I run on node "my-node1":
      """
      mv /tmp/static-web.yaml  /etc/kubernetes/manifests/
      sleep 20
      """
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                  READY   STATUS    RESTARTS   AGE
      static-web-my-node1   1/1     Running   0          20s
      """

  # Not on the page: a changed file is another static Pod (its hash changes). The kubelet stops
  # the old one, starts the new one once the old one has terminated, and replaces the mirror Pod.
  Scenario: Editing the manifest replaces the static Pod
    When 2 minutes pass
    And I run "sed -i 's/role: myrole/role: web/' /etc/kubernetes/manifests/static-web.yaml" on node "my-node1"
    And 20 seconds pass
    And I run "kubectl get pods --show-labels"
    Then the output is:
      """
      NAME                  READY   STATUS    RESTARTS   AGE   LABELS
      static-web-my-node1   1/1     Running   0          18s   role=web
      """
