Feature: Debugging DNS Resolution
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/
  #
  # The page's test environment: a pod `dnsutils` of registry.k8s.io/e2e-test-images/agnhost:2.39
  # (admin/dns/dnsutils.yaml, exercises/docs/admin/dns/), whose image carries BIND's tools
  # (`apk add bind-tools` in agnhost's Dockerfile), from which names are looked up. The page's
  # outputs come from an older cluster (service range 10.0.0.0/24, busybox's nslookup); a kubeadm
  # cluster of v1.32 answers from 10.96.0.10 for 10.96.0.1, in BIND's format, as asserted here.

  Background:
    Given a cluster with nodes:
      | name  |
      | node1 |
    When I run "kubectl apply -f https://k8s.io/examples/admin/dns/dnsutils.yaml"
    Then the output is:
      """
      pod/dnsutils created
      """
    When 30 seconds pass
    And I run "kubectl get pods dnsutils"
    Then the output is:
      """
      NAME       READY   STATUS    RESTARTS   AGE
      dnsutils   1/1     Running   0          30s
      """

  Scenario: nslookup kubernetes.default answers the kubernetes Service's address
    # "If you see something like the following, DNS is working correctly."
    When I run "kubectl exec -ti dnsutils -- nslookup kubernetes.default"
    Then the output is:
      """
      Server:		10.96.0.10
      Address:	10.96.0.10#53

      Name:	kubernetes.default.svc.cluster.local
      Address: 10.96.0.1

      """
    And I run "kubectl get service kubernetes -o jsonpath={.spec.clusterIP}"
    Then the output is:
      """
      10.96.0.1
      """

  Scenario: Check the local DNS configuration first
    When I run "kubectl exec -ti dnsutils -- cat /etc/resolv.conf"
    # "Verify that the search path and name server are set up like the following (note that search
    # path may vary for different cloud providers)"
    Then the output is:
      """
      search default.svc.cluster.local svc.cluster.local cluster.local
      nameserver 10.96.0.10
      options ndots:5
      """

  Scenario: A name the cluster's DNS does not know fails the lookup
    When I try to run "kubectl exec -ti dnsutils -- nslookup kubernetes.nowhere"
    Then the command fails with:
      """
      command terminated with exit code 1
      """
    And the output is:
      """
      Server:		10.96.0.10
      Address:	10.96.0.10#53

      ** server can't find kubernetes.nowhere: NXDOMAIN

      """
