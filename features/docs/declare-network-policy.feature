Feature: Declare Network Policy
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/declare-network-policy/
  #
  # An nginx Deployment behind a Service; a NetworkPolicy lets only pods labelled `access: "true"`
  # reach it. The cluster's network enforces policies as Calico or Cilium do: a connection the
  # policy does not allow is dropped, and the client's wget times out.
  #
  # The page starts busybox with `kubectl run busybox --rm -ti ... -- /bin/sh` and types wget in
  # its shell. Where wget answers at once, the same `kubectl run` runs the page's wget as the
  # container's command (`-i --rm --restart=Never -- wget ...`): the pod has ended before kubectl
  # attaches, so kubectl prints its whole log, deletes the pod and exits with wget's exit code.
  # Where wget times out, the scenario types it into the page's shell (below).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create deployment nginx --image=nginx"
    Then the output is:
      """
      deployment.apps/nginx created
      """
    When I run "kubectl expose deployment nginx --port=80"
    Then the output is:
      """
      service/nginx exposed
      """
    And 30 seconds pass

  Scenario: Without a policy any pod reaches the nginx Service
    When I run "kubectl run busybox --rm -i --image=busybox:1.28 --restart=Never -- wget --spider --timeout=1 nginx"
    Then the output contains:
      """
      Connecting to nginx (
      """
    And the output contains:
      """
      pod "busybox" deleted
      """
    And the output does not contain:
      """
      timed out
      """

  Scenario: A policy for app=nginx: a pod without the access label times out, one with it gets through
    # The policy as the page describes it: "this policy selects Pods with the label app=nginx".
    When I apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: access-nginx
      spec:
        podSelector:
          matchLabels:
            app: nginx
        ingress:
        - from:
          - podSelector:
              matchLabels:
                access: "true"
      """
    # wget waits a second here before it gives up, so `kubectl run -i` would attach while it runs and
    # miss the line it printed first (kubectl v1.32 does not replay output from before the attach);
    # the page's own form types wget into an attached shell, which shows all of it.
    And I run "kubectl run busybox --rm -ti --image=busybox:1.28 -- /bin/sh" and type:
      """
      wget --spider --timeout=1 nginx
      echo "exit status $?"
      """
    Then the output contains:
      """
      Connecting to nginx (
      """
    And the output contains:
      """
      wget: download timed out
      exit status 1
      """
    When I run "kubectl run busybox --rm -i --labels='access=true' --image=busybox:1.28 --restart=Never -- wget --spider --timeout=1 nginx"
    Then the output contains:
      """
      Connecting to nginx (
      """
    And the output does not contain:
      """
      timed out
      """
    # The kubelet's probes are not subject to policies: nginx stays Ready and in the Service.
    When I run "kubectl get endpoints nginx"
    Then the output contains:
      """
      nginx   10.244.
      """

  Scenario: The page's nginx-policy.yaml selects app.kubernetes.io/name=nginx, which kubectl create deployment's pods lack
    # kubectl create deployment labels its pods app=nginx; the example manifest (since relabelled)
    # selects app.kubernetes.io/name=nginx, so it isolates no pod and every client still gets in.
    When I run "kubectl apply -f exercises/docs/service/networking/nginx-policy.yaml"
    Then the output is:
      """
      networkpolicy.networking.k8s.io/access-nginx created
      """
    When I run "kubectl run busybox --rm -i --image=busybox:1.28 --restart=Never -- wget --spider --timeout=1 nginx"
    Then the output does not contain:
      """
      timed out
      """
