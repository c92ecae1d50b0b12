Feature: Customizing DNS Service
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
  #
  # CoreDNS as kubeadm v1.32 installs it (its Corefile in the ConfigMap kube-system/coredns), the
  # page's final ConfigMap with a stub domain and an upstream nameserver
  # (exercises/docs/dns-custom-nameservers/coredns-stub-domain.yaml, verbatim), and what each Pod
  # dnsPolicy gives a Pod's /etc/resolv.conf. Names are looked up from the dnsutils pod of
  # Debugging DNS Resolution (BIND's nslookup) and from busybox pods.
  #
  # The page's servers outside the cluster (its Consul domain server at 10.150.0.1, its nameserver
  # at 172.16.0.1) are declared with `Given the DNS server "<ip>" answers:`, and the Internet's
  # names with `Given the external host`: the simulation reaches no real resolver. A lookup that
  # CoreDNS forwards to an address where no server was declared fails as a name that does not
  # exist (a real client gets SERVFAIL once the forward times out; not modelled). The page's
  # kube-dns sections (its ConfigMap kube-system/kube-dns) are for clusters that run kube-dns,
  # which a kubeadm v1.32 cluster does not.

  Background:
    Given a cluster with nodes:
      | name  |
      | node1 |
    And CoreDNS runs in kube-system as kubeadm installs it
    And the external host "www.kubernetes.io" answers:
      """yaml
      /: "<html></html>"
      """
    When I run "kubectl apply -f https://k8s.io/examples/admin/dns/dnsutils.yaml"
    And 30 seconds pass

  Scenario: CoreDNS ConfigMap options: the Corefile CoreDNS is installed with, and runs
    # kubeadm v1.32's Corefile: the page's default, with forward's `max_concurrent 1000` and the
    # cache's `disable` lines for the cluster domain (kubernetes/kubernetes#128359).
    When I run "kubectl -n kube-system get configmap coredns -o jsonpath={.data.Corefile}"
    Then the output is:
      """
      .:53 {
          errors
          health {
             lameduck 5s
          }
          ready
          kubernetes cluster.local in-addr.arpa ip6.arpa {
             pods insecure
             fallthrough in-addr.arpa ip6.arpa
             ttl 30
          }
          prometheus :9153
          forward . /etc/resolv.conf {
             max_concurrent 1000
          }
          cache 30 {
             disable success cluster.local
             disable denial cluster.local
          }
          loop
          reload
          loadbalance
      }

      """
    # The zone it serves, and the reload plugin's fingerprint of the parsed Corefile (the value
    # kubeadm v1.32 clusters' CoreDNS pods log).
    When I run "kubectl -n kube-system logs coredns-654bb4bf6c-7z2n7"
    Then the output is:
      """
      .:53
      [INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b
      CoreDNS-1.11.3
      linux/amd64, go1.21.11, a6338e9
      """
    # The health plugin's /health on 8080 and the ready plugin's /ready on 8181 are the
    # Deployment's liveness and readiness probes: both pods are ready.
    When I run "kubectl get pods --namespace=kube-system -l k8s-app=kube-dns"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      coredns-654bb4bf6c-7z2n7   1/1     Running   0          30s
      coredns-654bb4bf6c-lg9nt   1/1     Running   0          30s
      """

  Scenario: Without custom configurations, a name outside the cluster domain goes to the node's nameserver
    # "Any query that does not match the configured cluster domain suffix, such as
    # "www.kubernetes.io", is forwarded to the upstream nameserver inherited from the node."
    When I run "kubectl exec -ti dnsutils -- nslookup kubernetes.default"
    Then the output is:
      """
      Server:		10.96.0.10
      Address:	10.96.0.10#53

      Name:	kubernetes.default.svc.cluster.local
      Address: 10.96.0.1

      """
    When I run "kubectl exec -ti dnsutils -- nslookup www.kubernetes.io"
    Then the output is:
      """
      Server:		10.96.0.10
      Address:	10.96.0.10#53

      Non-authoritative answer:
      Name:	www.kubernetes.io
      Address: 203.0.113.10

      """

  Scenario: A stub domain and an upstream nameserver with the forward plugin
    # The page's Consul domain server at 10.150.0.1, and the nameserver at 172.16.0.1 that all
    # other lookups are to go through: it answers www.kubernetes.io with an address of its own.
    Given the DNS server "10.150.0.1" answers:
      | name             | address    |
      | web.consul.local | 10.150.0.7 |
    And the DNS server "172.16.0.1" answers:
      | name              | address    |
      | www.kubernetes.io | 192.0.2.80 |
    # Before the change, .consul.local names go to the node's nameserver, which does not know them.
    When I try to run "kubectl exec -ti dnsutils -- nslookup web.consul.local"
    Then the command fails with:
      """
      command terminated with exit code 1
      """
    And the output contains:
      """
      ** server can't find web.consul.local: NXDOMAIN
      """
    When I run "kubectl apply -f exercises/docs/dns-custom-nameservers/coredns-stub-domain.yaml"
    Then the output is:
      """
      configmap/coredns configured
      """
    # kubeadm created the ConfigMap without kubectl's annotation (apply.go's warning, then the patch).
    And the error output contains:
      """
      Warning: resource configmaps/coredns is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply.
      """
    # "After you edit the ConfigMap configuration, allow two minutes for your changes to take
    # effect": the kubelet updates the pods' ConfigMap volume, the reload plugin sees the change.
    Then within 2 minutes the output of "kubectl -n kube-system logs coredns-654bb4bf6c-7z2n7" contains:
      """
      [INFO] Reloading complete
      """
    When I run "kubectl -n kube-system logs coredns-654bb4bf6c-7z2n7"
    Then the output is:
      """
      .:53
      [INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b
      CoreDNS-1.11.3
      linux/amd64, go1.21.11, a6338e9
      [INFO] Reloading
      [INFO] plugin/reload: Running configuration SHA512 = 3a8b1d71262723182f208a374fd41a56bde4df6b97365b2fbc057197423ad05e8c67724e1e1f859df034333a870195ede3fcd4940d3131b653327dff4cb81e83
      [INFO] Reloading complete
      """
    When I run "kubectl -n kube-system logs coredns-654bb4bf6c-lg9nt"
    Then the output contains:
      """
      [INFO] Reloading complete
      """
    # Names of the stub domain now go to the Consul server, every other name outside the cluster
    # to 172.16.0.1; cluster names are still CoreDNS's own.
    When I run "kubectl exec -ti dnsutils -- nslookup web.consul.local"
    Then the output is:
      """
      Server:		10.96.0.10
      Address:	10.96.0.10#53

      Non-authoritative answer:
      Name:	web.consul.local
      Address: 10.150.0.7

      """
    When I run "kubectl exec -ti dnsutils -- nslookup www.kubernetes.io"
    Then the output contains:
      """
      Name:	www.kubernetes.io
      Address: 192.0.2.80
      """
    When I run "kubectl exec -ti dnsutils -- nslookup kubernetes.default"
    Then the output contains:
      """
      Name:	kubernetes.default.svc.cluster.local
      Address: 10.96.0.1
      """
    # The Consul server answers for its own domain only: it does not recurse.
    When I try to run "kubectl exec -ti dnsutils -- nslookup db.consul.local"
    Then the output contains:
      """
      ** server can't find db.consul.local: NXDOMAIN
      """

  Scenario: A Corefile CoreDNS cannot load: the reload fails and the running configuration stays
    # The proxy plugin the page's older examples used is no longer built into CoreDNS.
    When I run:
      """
      kubectl -n kube-system get configmap coredns -o yaml | sed 's|forward . /etc/resolv.conf {|proxy . /etc/resolv.conf {|' | kubectl replace -f -
      """
    Then the output is:
      """
      configmap/coredns replaced
      """
    Then within 2 minutes the output of "kubectl -n kube-system logs coredns-654bb4bf6c-7z2n7" contains:
      """
      [INFO] Reloading
      [ERROR] Restart failed: /etc/coredns/Corefile:13 - Error during parsing: Unknown directive 'proxy'
      [ERROR] plugin/reload: Corefile changed but reload failed: /etc/coredns/Corefile:13 - Error during parsing: Unknown directive 'proxy'
      """
    When I run "kubectl exec -ti dnsutils -- nslookup www.kubernetes.io"
    Then the output contains:
      """
      Address: 203.0.113.10
      """
    # A CoreDNS pod that starts with it exits at once with caddy's message (coremain's
    # mustLogFatal), and the Deployment's new pod crash-loops while the other one still serves.
    When I run "kubectl -n kube-system delete pod coredns-654bb4bf6c-7z2n7"
    And 1 minute passes
    And I run "kubectl -n kube-system get pods -l k8s-app=kube-dns"
    Then the output contains:
      """
      coredns-654bb4bf6c-b64zr   0/1     CrashLoopBackOff
      """
    And the output contains:
      """
      coredns-654bb4bf6c-lg9nt   1/1     Running            0
      """
    When I run "kubectl -n kube-system logs coredns-654bb4bf6c-b64zr"
    Then the output is:
      """
      /etc/coredns/Corefile:13 - Error during parsing: Unknown directive 'proxy'
      """

  Scenario: Effects on Pods: the resolv.conf the kubelet writes for each dnsPolicy
    # ClusterFirst (the default): the cluster DNS Service, the Pod's namespace first in the search list.
    When I run "kubectl exec dnsutils -- cat /etc/resolv.conf"
    Then the output is:
      """
      search default.svc.cluster.local svc.cluster.local cluster.local
      nameserver 10.96.0.10
      options ndots:5
      """
    # "If a Pod's dnsPolicy is set to "default", it inherits the name resolution configuration from
    # the node that the Pod runs on": a kind node's (its network's gateway, Docker's ndots:0).
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: node-dns
      spec:
        dnsPolicy: Default
        containers:
        - name: busybox
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I run "kubectl exec node-dns -- cat /etc/resolv.conf"
    Then the output is:
      """
      nameserver 172.18.0.1
      options ndots:0
      """
    # "Custom upstream nameservers and stub domains do not affect Pods with a dnsPolicy set to
    # "Default" or "None"": the node's nameserver knows no cluster name and no stub domain.
    When I try to run "kubectl exec node-dns -- nslookup kubernetes.default"
    Then the error output contains:
      """
      nslookup: can't resolve 'kubernetes.default'
      """
    When I run "kubectl exec node-dns -- nslookup www.kubernetes.io"
    Then the output contains:
      """
      Address 1: 203.0.113.10
      """
    # None: only the Pod's dnsConfig (DNS for Services and Pods, service/networking/custom-dns.yaml).
    When I run "kubectl apply -f https://k8s.io/examples/service/networking/custom-dns.yaml"
    And 10 seconds pass
    And I run "kubectl exec -it dns-example -- cat /etc/resolv.conf"
    Then the output is:
      """
      search ns1.svc.cluster-domain.example my.dns.search.suffix
      nameserver 192.0.2.1
      options ndots:2 edns0
      """
