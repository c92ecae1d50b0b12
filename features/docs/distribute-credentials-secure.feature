Feature: Distribute Credentials Securely Using Secrets
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/
  #
  # A Secret holding a username and a password (base64 in the manifest), read by a pod through a
  # volume. `kubectl get`/`describe` show kubectl v1.32's layout (the page shows an older one).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest file "exercises/docs/pods/inject/secret.yaml"
    And 1 minute passes

  Scenario: The Secret lists two data items
    When I run "kubectl get secret test-secret"
    Then the output is:
      """
      NAME          TYPE     DATA   AGE
      test-secret   Opaque   2      60s
      """

  Scenario: describe shows the size of each value, never the value
    When I run "kubectl describe secret test-secret"
    Then the output is:
      """
      Name:         test-secret
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Type:  Opaque

      Data
      ====
      password:  12 bytes
      username:  6 bytes
      """

  Scenario: A pod reads the secret data as files of a volume
    When I apply the manifest file "exercises/docs/pods/inject/secret-pod.yaml"
    Then within 1 minute pod "secret-test-pod" is Running
    When I run "kubectl get pod secret-test-pod"
    Then the output contains:
      """
      secret-test-pod   1/1     Running   0
      """
    When I run "kubectl exec secret-test-pod -- ls /etc/secret-volume"
    Then the output is:
      """
      password
      username
      """
    When I run "kubectl exec secret-test-pod -- sh -c 'cd /etc/secret-volume; cat username; echo; cat password; echo'"
    Then the output is:
      """
      my-app
      39528$vdg7Jb
      """

  Scenario: The secret volume is mounted read-only
    When I apply the manifest file "exercises/docs/pods/inject/secret-pod.yaml"
    Then within 1 minute pod "secret-test-pod" is Running
    When I try to run "kubectl exec secret-test-pod -- sh -c 'echo x > /etc/secret-volume/username'"
    Then the output contains:
      """
      Read-only file system
      """
