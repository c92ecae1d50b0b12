Feature: Update API Objects in Place Using kubectl patch
  # Source: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
  #
  # The page's manifests verbatim (exercises/docs/application/deployment-patch.yaml,
  # deployment-retainkeys.yaml and deployment.yaml, as k8s.io/examples/application/ serves them).
  # The patch files the page asks you to create are in
  # exercises/docs/update-api-object-kubectl-patch/, each as the page writes it; the commands name
  # them by that path instead of the page's working directory.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A strategic merge patch merges the containers list and replaces the tolerations list
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-patch.yaml"
    And 23 seconds pass
    And I run "kubectl get pods"
    # "The `1/1` indicates that each Pod has one container"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE
      patch-demo-676f45d858-f7vw5   1/1     Running   0          23s
      patch-demo-676f45d858-xfpff   1/1     Running   0          23s
      """
    When I run "kubectl patch deployment patch-demo --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file.yaml"
    Then the output is:
      """
      deployment.apps/patch-demo patched
      """
    # "The output shows that the PodSpec in the Deployment has two Containers"
    When I run "kubectl get deployment patch-demo --output yaml"
    Then the output contains:
      """
            containers:
            - image: redis
              imagePullPolicy: Always
              name: patch-demo-ctr-2
              resources: {}
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
            - image: nginx
              imagePullPolicy: Always
              name: patch-demo-ctr
      """
    # "The Deployment terminated the old Pods and created two new Pods ... The `2/2` indicates that
    # each Pod has two Containers"
    When 1 minute passes
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE
      patch-demo-85df88874f-jmxkh   2/2     Running   0          60s
      patch-demo-85df88874f-rpb87   2/2     Running   0          56s
      """
    When I run "kubectl get pod patch-demo-85df88874f-jmxkh --output yaml"
    Then the output contains:
      """
        containers:
        - image: redis
          imagePullPolicy: Always
          name: patch-demo-ctr-2
      """
    And the output contains:
      """
        - image: nginx
          imagePullPolicy: Always
          name: patch-demo-ctr
      """
    # Tolerations has no patchStrategy: the list in the patch replaces the manifest's one.
    When I run "kubectl patch deployment patch-demo --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file-tolerations.yaml"
    Then the output is:
      """
      deployment.apps/patch-demo patched
      """
    When I run "kubectl get deployment patch-demo --output yaml"
    Then the output contains:
      """
            tolerations:
            - effect: NoSchedule
              key: disktype
              value: ssd
      status:
      """
    When I run "kubectl get deployment patch-demo -o jsonpath={.spec.template.spec.tolerations}"
    Then the output is:
      """
      [{"effect":"NoSchedule","key":"disktype","value":"ssd"}]
      """

  Scenario: A JSON merge patch replaces the whole containers list
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-patch.yaml"
    And I run "kubectl patch deployment patch-demo --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file.yaml"
    And 1 minute passes
    And I run "kubectl patch deployment patch-demo --type merge --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file-2.yaml"
    Then the output is:
      """
      deployment.apps/patch-demo patched
      """
    # "your list of one Container replaced the existing `containers` list"
    When I run "kubectl get deployment patch-demo --output yaml"
    Then the output contains:
      """
          spec:
            containers:
            - image: gcr.io/google-samples/hello-app:2.0
              imagePullPolicy: IfNotPresent
              name: patch-demo-ctr-3
              resources: {}
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
            dnsPolicy: ClusterFirst
      """
    # "The `1/1` indicates that each new Pod is running only one Container."
    When 1 minute passes
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE
      patch-demo-7666db8cff-696nx   1/1     Running   0          60s
      patch-demo-7666db8cff-qzlpp   1/1     Running   0          59s
      """

  Scenario: A strategic merge patch with the retainKeys strategy
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-retainkeys.yaml"
    Then the output is:
      """
      deployment.apps/retainkeys-demo created
      """
    When I try to run "kubectl patch deployment retainkeys-demo --type strategic --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file-no-retainkeys.yaml"
    Then the command fails with:
      """
      The Deployment "retainkeys-demo" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'
      """
    When I run "kubectl patch deployment retainkeys-demo --type strategic --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file-retainkeys.yaml"
    Then the output is:
      """
      deployment.apps/retainkeys-demo patched
      """
    # "the strategy object in the Deployment does not contain the `rollingUpdate` key anymore"
    When I run "kubectl get deployment retainkeys-demo --output yaml"
    Then the output contains:
      """
      spec:
        progressDeadlineSeconds: 600
        replicas: 1
        revisionHistoryLimit: 10
        selector:
          matchLabels:
            app.kubernetes.io/name: nginx
        strategy:
          type: Recreate
        template:
      """

  Scenario: Alternate forms of the kubectl patch command
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-patch.yaml"
    And I run "kubectl patch deployment patch-demo --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file.yaml"
    Then the output is:
      """
      deployment.apps/patch-demo patched
      """
    # The page calls the four forms equivalent. The second is not, as written: a shell's single
    # quotes pass `\n` to kubectl as a backslash and an `n`, so the patch is one line of YAML
    # with a mapping inside a mapping's value, which kubectl cannot parse (as on a real cluster).
    When I try to run "kubectl patch deployment patch-demo --patch 'spec:\n template:\n  spec:\n   containers:\n   - name: patch-demo-ctr-2\n     image: redis'"
    Then the command fails with:
      """
      error: unable to parse "spec:\\n template:\\n  spec:\\n   containers:\\n   - name: patch-demo-ctr-2\\n     image: redis": yaml: line 1: mapping values are not allowed in this context
      """
    # The same patch again changes nothing.
    When I run "kubectl patch deployment patch-demo --patch-file exercises/docs/update-api-object-kubectl-patch/patch-file.json"
    Then the output is:
      """
      deployment.apps/patch-demo patched (no change)
      """
    When I run:
      """
      kubectl patch deployment patch-demo --patch '{"spec": {"template": {"spec": {"containers": [{"name": "patch-demo-ctr-2","image": "redis"}]}}}}'
      """
    Then the output is:
      """
      deployment.apps/patch-demo patched (no change)
      """

  Scenario: Update an object's replica count using kubectl patch with --subresource
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment.yaml"
    And 47 seconds pass
    And I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-7f4d79f7d7-jpmj6   1/1     Running   0          47s
      nginx-deployment-7f4d79f7d7-w5r9c   1/1     Running   0          47s
      """
    When I run:
      """
      kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":3}}'
      """
    Then the output is:
      """
      scale.autoscaling/nginx-deployment patched
      """
    # "one new pod is created, so now you have 3 running pods"
    When 60 seconds pass
    And I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-7f4d79f7d7-2wlv4   1/1     Running   0          60s
      nginx-deployment-7f4d79f7d7-jpmj6   1/1     Running   0          107s
      nginx-deployment-7f4d79f7d7-w5r9c   1/1     Running   0          107s
      """
    When I run "kubectl get deployment nginx-deployment -o yaml"
    Then the output contains:
      """
      spec:
        progressDeadlineSeconds: 600
        replicas: 3
      """
    And the output contains:
      """
        readyReplicas: 3
        replicas: 3
        updatedReplicas: 3
      """
    And the output contains:
      """
      status:
        availableReplicas: 3
      """
    # "If you run `kubectl patch` and specify `--subresource` flag for resource that doesn't support
    # that particular subresource, the API server returns a 404 Not Found error."
    When I try to run "kubectl patch pod nginx-deployment-7f4d79f7d7-jpmj6 --subresource=scale --type=merge -p 'spec: {replicas: 3}'"
    Then the command fails with:
      """
      Error from server (NotFound): the server could not find the requested resource
      """
