Feature: Managing Secrets using kubectl
  # Source: https://kubernetes.io/docs/tasks/configmap-secret/managing-secret-using-kubectl/
  #
  # `kubectl create secret generic` from literal values; get and describe show sizes, never the
  # values; `-o jsonpath='{.data}'` shows them in base64. (The page's describe output shows the
  # sizes of 'admin' and its password; its command stores the username devuser, 7 bytes.)

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create secret generic db-user-pass --from-literal=username=devuser --from-literal=password='S!B\*d$zDsb='"
    And 51 seconds pass

  Scenario: The Secret is created and listed with its two data items
    Then the output is:
      """
      secret/db-user-pass created
      """
    When I run "kubectl get secrets"
    Then the output is:
      """
      NAME           TYPE     DATA   AGE
      db-user-pass   Opaque   2      51s
      """

  Scenario: describe shows the sizes of the values
    When I run "kubectl describe secrets/db-user-pass"
    Then the output is:
      """
      Name:         db-user-pass
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Type:  Opaque

      Data
      ====
      password:  12 bytes
      username:  7 bytes
      """

  Scenario: Decoding the Secret
    When I run "kubectl get secret db-user-pass -o jsonpath='{.data}'"
    Then the output is:
      """
      {"password":"UyFCXCpkJHpEc2I9","username":"ZGV2dXNlcg=="}
      """
    When I run "kubectl get secret db-user-pass -o go-template='{{.data.password | base64decode}}'"
    Then the output is:
      """
      S!B\*d$zDsb=
      """

  Scenario: Clean up
    When I run "kubectl delete secret db-user-pass"
    Then the output is:
      """
      secret "db-user-pass" deleted
      """
    When I try to run "kubectl get secret db-user-pass"
    Then the command fails with:
      """
      Error from server (NotFound): secrets "db-user-pass" not found
      """
