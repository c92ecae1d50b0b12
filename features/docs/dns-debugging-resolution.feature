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
    # "The cluster must be configured to use the coredns (or kube-dns) addons."
    And CoreDNS runs in kube-system as kubeadm installs it
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

  Scenario: Check if the DNS pod is running, and for errors in its logs
    When I run "kubectl get pods --namespace=kube-system -l k8s-app=kube-dns"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      coredns-654bb4bf6c-7z2n7   1/1     Running   0          30s
      coredns-654bb4bf6c-lg9nt   1/1     Running   0          30s
      """
    # The page loops over `kubectl get pods ... -o name`; each pod's log is a healthy CoreDNS start.
    When I run "kubectl logs --namespace=kube-system pod/coredns-654bb4bf6c-7z2n7"
    Then the output is:
      """
      .:53
      [INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b
      CoreDNS-1.11.3
      linux/amd64, go1.21.11, a6338e9
      """

  Scenario: Is DNS service up? Are DNS endpoints exposed?
    When I run "kubectl get svc --namespace=kube-system"
    Then the output is:
      """
      NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE
      kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   30s
      """
    When I run "kubectl get ep kube-dns --namespace=kube-system"
    Then the output is:
      """
      NAME       ENDPOINTS                                               AGE
      kube-dns   10.244.0.2:53,10.244.0.3:53,10.244.0.2:53 + 3 more...   30s
      """

  Scenario: The CoreDNS Corefile is held in a ConfigMap named coredns
    # The page opens it with `kubectl -n kube-system edit configmap coredns` (an editor); read here.
    When I run "kubectl -n kube-system get configmap coredns -o jsonpath={.data.Corefile}"
    Then the output contains:
      """
          kubernetes cluster.local in-addr.arpa ip6.arpa {
             pods insecure
             fallthrough in-addr.arpa ip6.arpa
             ttl 30
          }
      """
