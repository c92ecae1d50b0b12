Feature: Updating Configuration via a ConfigMap
  # Source: https://kubernetes.io/docs/tutorials/configuration/updating-configuration-via-a-configmap/
  #
  # A ConfigMap mounted as a volume reaches running pods after the kubelet's next sync of each pod
  # (here at most one resync interval, 1 minute); a ConfigMap read into an environment variable
  # does not change a running container; an immutable ConfigMap cannot be edited at all.
  # The page edits the ConfigMaps with `kubectl edit`; here the editor is a command (KUBE_EDITOR, as
  # in a terminal) making the page's change, which ends in the manifest the page shows.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |

  Scenario: A ConfigMap mounted as a volume: the pods see the new value after the kubelet's sync
    When I run "kubectl create configmap sport --from-literal=sport=football"
    And I apply the manifest file "exercises/docs/deployments/deployment-with-configmap-as-volume.yaml"
    And 72 seconds pass
    And I run "kubectl get pods --selector=app.kubernetes.io/name=configmap-volume"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      configmap-volume-79986c8fdf-2cb9s   1/1     Running   0          72s
      configmap-volume-79986c8fdf-bjrjv   1/1     Running   0          72s
      configmap-volume-79986c8fdf-d7gcw   1/1     Running   0          72s
      """
    And the logs of pod "configmap-volume-79986c8fdf-2cb9s" contain:
      """
      Mon Jan  8 00:00:01 UTC 2024 My preferred sport is football
      Mon Jan  8 00:00:11 UTC 2024 My preferred sport is football
      """
    # The page's `kubectl edit configmap sport`, football changed to cricket
    When I run:
      """
      KUBE_EDITOR="sed -i 's/sport: football/sport: cricket/'" kubectl edit configmap sport
      """
    Then the output is:
      """
      configmap/sport edited
      """
    And 5 seconds pass
    And I run "kubectl logs configmap-volume-79986c8fdf-2cb9s"
    Then the output does not contain:
      """
      cricket
      """
    # Each pod's kubelet sync comes at its own time: upstream's resync is jittered to 60-90 s, and
    # the page allows "a short while" (the simulation's sync is at most 1 minute later).
    And within 2 minutes the output of "kubectl logs configmap-volume-79986c8fdf-2cb9s" contains:
      """
      My preferred sport is cricket
      """
    And within 2 minutes the output of "kubectl exec configmap-volume-79986c8fdf-bjrjv -- cat /etc/config/sport" contains:
      """
      cricket
      """

  Scenario: A ConfigMap in an environment variable: running pods keep the old value, new pods get the new one
    When I run "kubectl create configmap fruits --from-literal=fruits=apples"
    And I apply the manifest file "exercises/docs/deployments/deployment-with-configmap-as-envvar.yaml"
    And 46 seconds pass
    And I run "kubectl get deployment configmap-env-var"
    Then the output contains:
      """
      configmap-env-var   3/3     3            3
      """
    When I run "kubectl get pods --selector=app.kubernetes.io/name=configmap-env-var -o name"
    Then the output is:
      """
      pod/configmap-env-var-7d488bcc6f-2xlnl
      pod/configmap-env-var-7d488bcc6f-j2tsq
      pod/configmap-env-var-7d488bcc6f-rxvbp
      """
    And the logs of pod "configmap-env-var-7d488bcc6f-2xlnl" contain:
      """
      The basket is full of apples
      """
    # The page's `kubectl edit configmap fruits`, apples changed to mangoes
    When I run:
      """
      KUBE_EDITOR="sed -i 's/fruits: apples/fruits: mangoes/'" kubectl edit configmap fruits
      """
    Then the output is:
      """
      configmap/fruits edited
      """
    And 3 minutes pass
    And I run "kubectl logs configmap-env-var-7d488bcc6f-2xlnl --tail=2"
    Then the output contains:
      """
      The basket is full of apples
      """
    And the output does not contain:
      """
      mangoes
      """
    When I run "kubectl scale deployment configmap-env-var --replicas=4"
    And 10 seconds pass
    Then within 30 seconds deployment "configmap-env-var" has 4 available replicas
    When I run "kubectl exec configmap-env-var-7d488bcc6f-2xlnl -- printenv FRUITS"
    Then the output is:
      """
      apples
      """

  Scenario: An immutable ConfigMap cannot be edited; the pods switch to a new one through a rollout
    When I apply the manifest file "exercises/docs/configmap/immutable-configmap.yaml"
    And I apply the manifest file "exercises/docs/deployments/deployment-with-immutable-configmap-as-volume.yaml"
    And 62 seconds pass
    And I run "kubectl get pods --selector=app.kubernetes.io/name=immutable-configmap-volume -o name"
    Then the output contains:
      """
      pod/immutable-configmap-volume-
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      data:
        company_name: "Another Company"
      kind: ConfigMap
      immutable: true
      metadata:
        name: company-name-20150801
      """
    Then the command fails with:
      """
      The ConfigMap "company-name-20150801" is invalid: data: Forbidden: field is immutable when `immutable` is set
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      data:
        company_name: "ACME, Inc."
      kind: ConfigMap
      immutable: false
      metadata:
        name: company-name-20150801
      """
    Then the command fails with:
      """
      The ConfigMap "company-name-20150801" is invalid: immutable: Forbidden: field is immutable when `immutable` is set
      """
    When I run "kubectl apply -f exercises/docs/configmap/new-immutable-configmap.yaml"
    Then the output is:
      """
      configmap/company-name-20240312 created
      """
    When I run "kubectl get configmap"
    Then the output contains:
      """
      company-name-20150801   1      62s
      company-name-20240312   1      0s
      """
