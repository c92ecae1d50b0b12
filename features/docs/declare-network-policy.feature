Feature: Declare Network Policy
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/declare-network-policy/
  #
  # An nginx Deployment behind a Service; a NetworkPolicy lets only pods labelled `access: "true"`
  # reach it. The cluster's network enforces policies as Calico or Cilium do: a connection the
  # policy does not allow is dropped, and the client's wget times out.
  #
  # The page starts busybox with `kubectl run busybox --rm -ti ... -- /bin/sh` and types wget in
  # its shell; here busybox pods (with and without the label) run `sleep` and the page's wget runs
  # through `kubectl exec` (an interactive `kubectl run` is not simulated).

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
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: busybox
      spec:
        containers:
        - name: busybox
          image: busybox:1.28
          command: ["sleep", "3600"]
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: busybox-access
        labels:
          access: "true"
      spec:
        containers:
        - name: busybox
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 30 seconds pass

  Scenario: Without a policy any pod reaches the nginx Service
    When I run "kubectl exec busybox -- wget --spider --timeout=1 nginx"
    Then the error output contains:
      """
      Connecting to nginx (
      """
    And the error output does not contain:
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
    And I try to run "kubectl exec busybox -- wget --spider --timeout=1 nginx"
    Then the command fails with:
      """
      command terminated with exit code 1
      """
    And the error output contains:
      """
      Connecting to nginx (
      """
    And the error output contains:
      """
      wget: download timed out
      """
    When I run "kubectl exec busybox-access -- wget --spider --timeout=1 nginx"
    Then the error output contains:
      """
      Connecting to nginx (
      """
    And the error output does not contain:
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
    When I run "kubectl exec busybox -- wget --spider --timeout=1 nginx"
    Then the output does not contain:
      """
      timed out
      """
