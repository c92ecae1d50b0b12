@epic:Basics @feature:BadInput
Feature: A manifest the API server rejects fails with kubectl's own error
  When a manifest has a mistake, nothing is created and you see exactly the message a real
  cluster (Kubernetes v1.32) would print, so you learn to read it here before you meet it in
  the exam. Each scenario below shows one common mistake and its message.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Broken YAML indentation is reported with its line
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
       spec:
        containers:
        - name: app
          image: nginx
      """
    Then the command fails with:
      """
      error: error parsing STDIN: error converting YAML to JSON: yaml: line 5
      """

  Scenario: A kind the cluster does not know
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pood
      metadata:
        name: web
      """
    Then the command fails with:
      """
      error: resource mapping not found for name: "web" namespace: "" from "STDIN": no matches for kind "Pood" in version "v1"
      ensure CRDs are installed first
      """

  Scenario: A manifest without its kind
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      metadata:
        name: web
      """
    Then the command fails with:
      """
      error: error validating "STDIN": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false
      """

  Scenario: A pod name with capital letters or underscores
    Names are lowercase RFC 1123 subdomains: letters, digits, '-' and '.'.
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: Web_1
      spec:
        containers:
        - name: app
          image: nginx
      """
    Then the command fails with:
      """
      The Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      """

  Scenario: A misspelt field is an unknown field, not silently ignored
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          imagee: nginx
      """
    Then the command fails with:
      """
      Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"
      """

  Scenario: kubectl create refuses an object that already exists (apply would update it)
    When I apply the manifest file "exercises/course/pod1.yaml"
    And I try to run "kubectl create -f exercises/course/pod1.yaml"
    Then the command fails with:
      """
      Error from server (AlreadyExists): error when creating "exercises/course/pod1.yaml": pods "pod1" already exists
      """

  Scenario: A liveness probe must succeed once to count: successThreshold stays 1
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          image: kubetm/app
          livenessProbe:
            httpGet:
              path: /health
              port: 8080
            successThreshold: 2
      """
    Then the command fails with:
      """
      The Pod "web" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1
      """

  Scenario: Requests may not be above limits
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests:
              cpu: "2"
            limits:
              cpu: "1"
      """
    Then the command fails with:
      """
      The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1
      """

  Scenario: Memory is written in Mi/Gi (or M/G), not MB/GB
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            limits:
              memory: 1GB
      """
    Then the command fails with:
      """
      Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
      """

  Scenario: A Deployment's selector must match its pod template's labels
    When I try to apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: api
          spec:
            containers:
            - name: app
              image: kubetm/app
      """
    Then the command fails with:
      """
      The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`
      """

  Scenario: A Job's pods must not restart forever: restartPolicy is OnFailure or Never
    When I try to apply the manifest:
      """yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: pi
      spec:
        template:
          spec:
            containers:
            - name: pi
              image: perl
      """
    Then the command fails with:
      """
      The Job "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"
      """

  Scenario: A pod's spec cannot be changed after creation, except a few fields such as the image
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: app
          image: kubetm/app
      """
    And I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        restartPolicy: Never
        containers:
        - name: app
          image: kubetm/app
      """
    Then the command fails with:
      """
      The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
      """

  Scenario: A priority class must exist before a pod names it
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        priorityClassName: high
        containers:
        - name: app
          image: kubetm/app
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": pods "web" is forbidden: no PriorityClass with name high was found
      """
