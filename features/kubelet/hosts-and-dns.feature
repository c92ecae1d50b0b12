Feature: The pod's /etc/hosts, DNS and hosts outside the cluster
  # The container's resolver reads the kubelet's /etc/hosts first (the pod's own name,
  # hostAliases), then the DNS its dnsPolicy gives; outside the cluster only the hosts a scenario
  # declares exist (src/network/externalhosts.ts).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Names from the hosts file resolve in the container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: alias-client
      spec:
        hostAliases:
        - ip: "203.0.113.10"
          hostnames:
          - "info.example"
        containers:
        - name: c
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And the external host "info.cern.ch" answers:
      """yaml
      /: "the first website"
      """
    And 10 seconds pass
    And I run "kubectl exec alias-client -- wget -q -O - http://info.example/"
    Then the output is:
      """
      the first website
      """
    When I run "kubectl exec alias-client -- hostname -i"
    Then the output is:
      """
      10.244.0.2
      """

  Scenario: An undeclared name outside the cluster does not resolve, as busybox says
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
      spec:
        containers:
        - name: c
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I try to run "kubectl exec client -- wget -O /tmp/x http://example.org"
    Then the command fails with:
      """
      wget: bad address 'example.org'
      """
    When I try to run "kubectl exec client -- nslookup example.org"
    Then the output contains:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local
      """
    And the command fails with:
      """
      nslookup: can't resolve 'example.org'
      """

  Scenario: A declared host answers each path it lists, 404 otherwise
    Given the external host "example.org" answers:
      """yaml
      /: { status: 200, body: "welcome" }
      /down: { status: 503, body: "maintenance" }
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
      spec:
        containers:
        - name: c
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    And I run "kubectl exec client -- wget -q -O - http://example.org/"
    Then the output is:
      """
      welcome
      """
    When I try to run "kubectl exec client -- wget -q -O - http://example.org/down"
    Then the command fails with:
      """
      wget: server returned error: HTTP/1.1 503 Service Unavailable
      """
    When I try to run "kubectl exec client -- wget -q -O - http://example.org/nope"
    Then the command fails with:
      """
      wget: server returned error: HTTP/1.1 404 Not Found
      """
    When I run "kubectl exec client -- nslookup example.org"
    Then the output contains:
      """
      Name:      example.org
      Address 1: 203.0.113.10
      """
    When I request "http://example.org/"
    Then the response status is 200
    And the response body is "welcome"
