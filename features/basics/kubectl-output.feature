@epic:Basics @feature:kubectl
Feature: kubectl output formats
  `kubectl get` prints a table by default and the objects themselves with `-o yaml`, `-o json`,
  `-o name`, `-o jsonpath=...` and `-o custom-columns=...`, exactly as kubectl v1.32 formats them.

  Background:
    Given a cluster with nodes:
      | name      | labels |
      | k8s-node1 | kr=az-1 |
      | k8s-node2 | us=az-1 |
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app-config
        labels: {app: web, tier: "1"}
      data:
        mode: "on"
        replicas: "3"
        greeting: |
          hello
          world
      """

  Scenario: A ConfigMap as a table, as YAML and as JSON
    When 90 seconds pass
    And I run "kubectl get configmap app-config"
    Then the output is:
      """
      NAME         DATA   AGE
      app-config   3      90s
      """
    When I run "kubectl get cm app-config -o yaml"
    Then the output contains:
      """
      apiVersion: v1
      data:
        greeting: |
          hello
          world
        mode: "on"
        replicas: "3"
      kind: ConfigMap
      metadata:
      """
    And the output contains:
      """
        creationTimestamp: "2024-01-08T00:00:00Z"
        labels:
          app: web
          tier: "1"
        name: app-config
        namespace: default
      """
    When I run "kubectl get cm app-config -o json"
    Then the output contains:
      """
      {
          "apiVersion": "v1",
          "data": {
              "greeting": "hello\nworld\n",
              "mode": "on",
              "replicas": "3"
          },
          "kind": "ConfigMap",
      """

  Scenario: Several objects print as a List
    When I run "kubectl get configmaps -l app=web -o yaml"
    Then the output contains:
      """
      apiVersion: v1
      items:
      - apiVersion: v1
        data:
      """
    And the output contains:
      """
      kind: List
      metadata:
        resourceVersion: ""
      """

  Scenario: Names of objects of several kinds
    When I run "kubectl get nodes,configmaps -o name"
    Then the output is:
      """
      node/k8s-node1
      node/k8s-node2
      configmap/app-config
      configmap/kube-root-ca.crt
      """

  Scenario: JSONPath templates, with ranges and filters
    When I run "kubectl get nodes -o jsonpath={.items[*].metadata.name}"
    Then the output is:
      """
      k8s-node1 k8s-node2
      """
    When I run "kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{\"\t\"}{.status.conditions[?(@.type==\"Ready\")].status}{\"\n\"}{end}'"
    Then the output is:
      """
      k8s-node1	True
      k8s-node2	True
      """
    When I run "kubectl get node k8s-node1 -o jsonpath='{.metadata.labels.kubernetes\.io/hostname}'"
    Then the output is:
      """
      k8s-node1
      """

  Scenario: Custom columns, with <none> where a field is missing
    When I run "kubectl get nodes -o custom-columns=NAME:.metadata.name,ZONE:.metadata.labels.kr,CPU:.status.capacity.cpu"
    Then the output is:
      """
      NAME        ZONE     CPU
      k8s-node1   az-1     4
      k8s-node2   <none>   4
      """

  Scenario: Sorting by a field
    When I run "kubectl get nodes --sort-by='{.metadata.labels.kubernetes\.io/hostname}' -o name"
    Then the output is:
      """
      node/k8s-node1
      node/k8s-node2
      """

  Scenario: An unknown output format lists the ones kubectl knows
    When I try to run "kubectl get nodes -o foo"
    Then the command fails with:
      """
      error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml
      """

  Scenario: Go templates, and templates read from files
    # Source: https://kubernetes.io/docs/reference/kubectl/#custom-columns
    When I run "kubectl get configmap app-config -o go-template --template={{.data.mode}}"
    Then the output is:
      """
      on
      """
    When I run "kubectl get configmaps -l app=web -o go-template-file=exercises/basics/output/configmaps.tmpl"
    Then the output is:
      """
      app-config: 3 keys
      """
    When I run "kubectl get configmaps -l app=web -o custom-columns-file=exercises/basics/output/columns.txt"
    Then the output is:
      """
      NAME         MODE
      app-config   on
      """
    When I try to run "kubectl get configmaps -o go-template-file=nothere.tmpl"
    Then the command fails with:
      """
      error: error reading --template nothere.tmpl, open nothere.tmpl: no such file or directory
      """
