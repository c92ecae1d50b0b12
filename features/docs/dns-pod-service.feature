Feature: DNS for Services and Pods
  # Source: https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
  #
  # The page's inline manifests are exercises/docs/dns-pod-service/busybox-subdomain.yaml (the
  # headless Service busybox-subdomain and the Pods busybox1 and busybox2) and
  # busybox-hostnetwork.yaml (its ClusterFirstWithHostNet Pod), verbatim; its DNS config example is
  # exercises/docs/service/networking/custom-dns.yaml (verbatim). The page writes names with the
  # placeholder cluster domain `cluster-domain.example`; this cluster's domain is cluster.local,
  # so `busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example` is
  # busybox-1.busybox-subdomain.my-namespace.svc.cluster.local here. The lookups use the pods'
  # busybox:1.28 nslookup (the C library's resolver: the search list completes short names); pod
  # IPs and the Service's ClusterIP are this simulation's.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    And CoreDNS runs in kube-system as kubeadm installs it

  Scenario: Namespaces of Services: a query without a namespace is limited to the pod's own
    # The page's example: a `data` Service in `prod`, a Pod in `test`.
    When I run "kubectl create namespace prod"
    And I run "kubectl create namespace test"
    And I run "kubectl create service clusterip data --tcp=80 -n prod"
    And I run "kubectl run client --image=busybox:1.28 -n test -- sleep 3600"
    And 10 seconds pass
    When I try to run "kubectl exec -n test client -- nslookup data"
    Then the command exits with code 1
    And the error output contains:
      """
      nslookup: can't resolve 'data'
      """
    When I run "kubectl exec -n test client -- nslookup data.prod"
    Then the output is:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      Name:      data.prod
      Address 1: 10.105.253.216 data.prod.svc.cluster.local
      """
    When I run "kubectl exec -n test client -- nslookup data.prod.svc.cluster.local"
    Then the output contains:
      """
      Address 1: 10.105.253.216 data.prod.svc.cluster.local
      """
    # The kubelet's resolv.conf for the pod: its namespace first in the search list. containerd
    # writes the search line before the nameserver line (the page's example has them the other way).
    When I run "kubectl exec -n test client -- cat /etc/resolv.conf"
    Then the output is:
      """
      search test.svc.cluster.local svc.cluster.local cluster.local
      nameserver 10.96.0.10
      options ndots:5
      """

  Scenario: A Pod's hostname and subdomain: the headless Service gives each Pod an A record
    When I run "kubectl create namespace my-namespace"
    And I run "kubectl apply -f exercises/docs/dns-pod-service/busybox-subdomain.yaml -n my-namespace"
    Then the output is:
      """
      service/busybox-subdomain created
      pod/busybox1 created
      pod/busybox2 created
      """
    And 15 seconds pass
    When I run "kubectl get pods -n my-namespace -o wide"
    Then the output is:
      """
      NAME       READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      busybox1   1/1     Running   0          15s   10.244.0.3   k8s-node1   <none>           <none>
      busybox2   1/1     Running   0          15s   10.244.1.3   k8s-node2   <none>           <none>
      """
    # "the first Pod will see its own FQDN as busybox-1.busybox-subdomain.my-namespace.svc…"; its
    # hostname is the short one. busybox's hostname prints the FQDN with -f (or --fqdn): the name
    # the kubelet's /etc/hosts lists first for the pod's address.
    When I run "kubectl exec -n my-namespace busybox1 -- hostname"
    Then the output is:
      """
      busybox-1
      """
    When I run "kubectl exec -n my-namespace busybox1 -- hostname --fqdn"
    Then the output is:
      """
      busybox-1.busybox-subdomain.my-namespace.svc.cluster.local
      """
    When I run "kubectl exec -n my-namespace busybox1 -- cat /etc/hosts"
    Then the output contains:
      """
      10.244.0.3	busybox-1.busybox-subdomain.my-namespace.svc.cluster.local	busybox-1
      """
    # "DNS serves A and/or AAAA records at that name, pointing to the Pod's IP. Both Pods busybox1
    # and busybox2 will have their own address records."
    When I run "kubectl exec -n my-namespace busybox2 -- nslookup busybox-1.busybox-subdomain.my-namespace.svc.cluster.local"
    Then the output is:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      Name:      busybox-1.busybox-subdomain.my-namespace.svc.cluster.local
      Address 1: 10.244.0.3 busybox-1.busybox-subdomain.my-namespace.svc.cluster.local
      """
    When I run "kubectl exec -n my-namespace busybox1 -- nslookup busybox-2.busybox-subdomain"
    Then the output is:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      Name:      busybox-2.busybox-subdomain
      Address 1: 10.244.1.3 busybox-2.busybox-subdomain.my-namespace.svc.cluster.local
      """
    # "An EndpointSlice can specify the DNS hostname for any endpoint addresses, along with its IP."
    When I run:
      """
      kubectl get endpointslices -n my-namespace -l kubernetes.io/service-name=busybox-subdomain -o jsonpath='{range .items[*].endpoints[*]}{.hostname}={.addresses[0]}{"\n"}{end}'
      """
    Then the output is:
      """
      busybox-1=10.244.0.3
      busybox-2=10.244.1.3
      """
    # A Pod name has no A record: only a Pod's hostname under its subdomain does.
    When I try to run "kubectl exec -n my-namespace busybox2 -- nslookup busybox1.busybox-subdomain"
    Then the command exits with code 1
    And the error output contains:
      """
      nslookup: can't resolve 'busybox1.busybox-subdomain'
      """

  Scenario: setHostnameAsFQDN: the kernel's hostname is the Pod's FQDN
    # The page describes the field without a manifest: a third Pod of the example with it set.
    # Its note on an FQDN longer than 64 characters (the sandbox fails, the Pod stays
    # ContainerCreating) is not simulated: docs/divergences.md.
    When I run "kubectl create namespace my-namespace"
    And I run "kubectl apply -f exercises/docs/dns-pod-service/busybox-subdomain.yaml -n my-namespace"
    And I apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: busybox3
        namespace: my-namespace
        labels:
          name: busybox
      spec:
        hostname: busybox-3
        subdomain: busybox-subdomain
        setHostnameAsFQDN: true
        containers:
        - image: busybox:1.28
          command:
            - sleep
            - "3600"
          name: busybox
      """
    And 15 seconds pass
    When I run "kubectl exec -n my-namespace busybox3 -- hostname"
    Then the output is:
      """
      busybox-3.busybox-subdomain.my-namespace.svc.cluster.local
      """
    When I run "kubectl exec -n my-namespace busybox3 -- hostname --fqdn"
    Then the output is:
      """
      busybox-3.busybox-subdomain.my-namespace.svc.cluster.local
      """
    # Without the field, hostname is the short name (busybox1 of the same example).
    When I run "kubectl exec -n my-namespace busybox1 -- hostname"
    Then the output is:
      """
      busybox-1
      """

  Scenario: Pod's DNS Policy: ClusterFirstWithHostNet for a Pod on the host network
    When I run "kubectl apply -f exercises/docs/dns-pod-service/busybox-hostnetwork.yaml"
    Then the output is:
      """
      pod/busybox created
      """
    And 10 seconds pass
    # On the host network the Pod has its node's hostname; ClusterFirstWithHostNet keeps the
    # cluster's DNS (with plain ClusterFirst it would fall back to the node's resolver).
    When I run "kubectl exec busybox -- cat /etc/resolv.conf"
    Then the output is:
      """
      search default.svc.cluster.local svc.cluster.local cluster.local
      nameserver 10.96.0.10
      options ndots:5
      """
    When I run "kubectl exec busybox -- nslookup kubernetes.default"
    Then the output contains:
      """
      Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local
      """

  Scenario: Pod's DNS Config: dnsPolicy None and the dnsConfig's nameservers, searches and options
    When I run "kubectl apply -f exercises/docs/service/networking/custom-dns.yaml"
    Then the output is:
      """
      pod/dns-example created
      """
    And 10 seconds pass
    # The page's resolv.conf, as containerd writes it (search line first; the page's output has
    # the nameserver line first).
    When I run "kubectl exec -it dns-example -- cat /etc/resolv.conf"
    Then the output is:
      """
      search ns1.svc.cluster-domain.example my.dns.search.suffix
      nameserver 192.0.2.1
      options ndots:2 edns0
      """
