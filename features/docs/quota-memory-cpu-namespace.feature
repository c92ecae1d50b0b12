Feature: Configure Memory and CPU Quotas for a Namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/quota-memory-cpu-namespace/
  #
  # A ResourceQuota caps the sum of the memory and CPU requests and limits of all containers in a
  # namespace. The quota controller fills in status.hard and status.used; the ResourceQuota
  # admission plugin refuses a pod that would take the usage past the hard limit, and one whose
  # containers leave out a request or limit the quota covers.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace quota-mem-cpu-example"
    And I run "kubectl apply -f exercises/docs/admin/resource/quota-mem-cpu.yaml --namespace=quota-mem-cpu-example"

  Scenario: The quota's status shows its hard limits and nothing used yet
    When I run "kubectl get resourcequota mem-cpu-demo --namespace=quota-mem-cpu-example --output=jsonpath={.status}"
    Then the output is:
      """
      {"hard":{"limits.cpu":"2","limits.memory":"2Gi","requests.cpu":"1","requests.memory":"1Gi"},"used":{"limits.cpu":"0","limits.memory":"0","requests.cpu":"0","requests.memory":"0"}}
      """

  Scenario: A pod within the quota runs, and the quota shows what it uses
    When I run "kubectl apply -f exercises/docs/admin/resource/quota-mem-cpu-pod.yaml --namespace=quota-mem-cpu-example"
    And 30 seconds pass
    And I run "kubectl get pod quota-mem-cpu-demo --namespace=quota-mem-cpu-example"
    Then the output is:
      """
      NAME                 READY   STATUS    RESTARTS   AGE
      quota-mem-cpu-demo   1/1     Running   0          30s
      """
    When I run "kubectl get resourcequota mem-cpu-demo --namespace=quota-mem-cpu-example --output=yaml"
    Then the output contains:
      """
      status:
        hard:
          limits.cpu: "2"
          limits.memory: 2Gi
          requests.cpu: "1"
          requests.memory: 1Gi
        used:
          limits.cpu: 800m
          limits.memory: 800Mi
          requests.cpu: 400m
          requests.memory: 600Mi
      """
    When I run "kubectl get quota --namespace=quota-mem-cpu-example"
    Then the output is:
      """
      NAME           AGE   REQUEST                                            LIMIT
      mem-cpu-demo   30s   requests.cpu: 400m/1, requests.memory: 600Mi/1Gi   limits.cpu: 800m/2, limits.memory: 800Mi/2Gi
      """
    When I run "kubectl describe quota mem-cpu-demo --namespace=quota-mem-cpu-example"
    Then the output is:
      """
      Name:            mem-cpu-demo
      Namespace:       quota-mem-cpu-example
      Resource         Used   Hard
      --------         ----   ----
      limits.cpu       800m   2
      limits.memory    800Mi  2Gi
      requests.cpu     400m   1
      requests.memory  600Mi  1Gi
      """

  Scenario: A second pod that would exceed the memory request quota is refused
    When I run "kubectl apply -f exercises/docs/admin/resource/quota-mem-cpu-pod.yaml --namespace=quota-mem-cpu-example"
    And I try to run "kubectl apply -f exercises/docs/admin/resource/quota-mem-cpu-pod-2.yaml --namespace=quota-mem-cpu-example"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "exercises/docs/admin/resource/quota-mem-cpu-pod-2.yaml": pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi
      """

  # Source: https://kubernetes.io/docs/concepts/policy/resource-quotas/#compute-resource-quota
  # ("If the quota has a value specified for requests.cpu or requests.memory, then it requires that
  # every incoming container makes an explicit request for those resources.")
  Scenario: Every container must say its memory and CPU requests and limits
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: nginx
        namespace: quota-mem-cpu-example
      spec:
        containers:
        - name: nginx
          image: nginx
          resources:
            limits:
              memory: 200Mi
      """
    Then the command fails with:
      """
      pods "nginx" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: nginx; requests.cpu for: nginx
      """

  Scenario: Deleting the pod gives its share of the quota back
    When I run "kubectl apply -f exercises/docs/admin/resource/quota-mem-cpu-pod.yaml --namespace=quota-mem-cpu-example"
    And 30 seconds pass
    And I run "kubectl delete pod quota-mem-cpu-demo --namespace=quota-mem-cpu-example" and 1 minute passes
    And I run "kubectl get quota --namespace=quota-mem-cpu-example"
    Then the output is:
      """
      NAME           AGE   REQUEST                                     LIMIT
      mem-cpu-demo   90s   requests.cpu: 0/1, requests.memory: 0/1Gi   limits.cpu: 0/2, limits.memory: 0/2Gi
      """
