@epic:Basics @feature:kubectl
Feature: Creating objects with kubectl create and kubectl expose
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_create/
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_expose/
  `kubectl create <kind> <name> ...` builds an object from flags instead of a manifest, and
  `kubectl expose` makes a Service for an existing workload from its labels and ports. The examples
  are the reference pages' own.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A Deployment from an image, then a Service for it
    When I run "kubectl create deployment my-dep --image=nginx --replicas=3"
    Then the output is:
      """
      deployment.apps/my-dep created
      """
    And within 1 minute the output of "kubectl get deployment my-dep" contains:
      """
      my-dep   3/3     3            3
      """
    When I run "kubectl expose deployment my-dep --port=80 --target-port=8000"
    Then the output is:
      """
      service/my-dep exposed
      """
    When I run "kubectl get service my-dep -o jsonpath={.spec.selector}{.spec.ports}"
    Then the output is:
      """
      {"app":"my-dep"}[{"port":80,"protocol":"TCP","targetPort":8000}]
      """

  Scenario: ConfigMaps and Secrets from literals
    When I run "kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2"
    Then the output is:
      """
      configmap/my-config created
      """
    When I run "kubectl get configmap my-config -o jsonpath={.data}"
    Then the output is:
      """
      {"key1":"config1","key2":"config2"}
      """
    When I run "kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret"
    Then the output is:
      """
      secret/my-secret created
      """
    When I run "kubectl get secret my-secret -o jsonpath={.data.key1}"
    Then the output is:
      """
      c3VwZXJzZWNyZXQ=
      """

  Scenario: A Job that runs a command, and a CronJob
    When I run "kubectl create job my-job --image=busybox -- date"
    Then the output is:
      """
      job.batch/my-job created
      """
    And within 1 minute the output of "kubectl get job my-job" contains:
      """
      Complete
      """
    When I run "kubectl create cronjob my-cron --image=busybox --schedule='*/1 * * * *'"
    Then the output is:
      """
      cronjob.batch/my-cron created
      """

  Scenario: A NodePort Service, a ServiceAccount, a quota, a disruption budget and a priority class
    When I run "kubectl create service nodeport my-ns --tcp=5678:8080"
    Then the output is:
      """
      service/my-ns created
      """
    When I run "kubectl create serviceaccount my-service-account"
    Then the output is:
      """
      serviceaccount/my-service-account created
      """
    When I run "kubectl create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3,replicationcontrollers=2,resourcequotas=1,secrets=5,persistentvolumeclaims=10"
    Then the output is:
      """
      resourcequota/my-quota created
      """
    When I run "kubectl create pdb my-pdb --selector=app=rails --min-available=1"
    Then the output is:
      """
      poddisruptionbudget.policy/my-pdb created
      """
    When I run "kubectl create priorityclass high-priority --value=1000 --description=high-priority"
    Then the output is:
      """
      priorityclass.scheduling.k8s.io/high-priority created
      """
    When I try to run "kubectl create deployment broken"
    Then the command fails with:
      """
      "command failed" err="required flag(s) \"image\" not set"
      """
