Feature: Managing Secrets using Configuration File
  # Source: https://kubernetes.io/docs/tasks/configmap-secret/managing-secret-using-config-file/
  #
  # A Secret's `data` holds base64; `stringData` takes plain strings, which the API server encodes
  # into `data` (and wins over `data` for the same key); the keys are limited to alphanumerics,
  # '-', '_' and '.'. The manifests are the page's, inline as the page shows them.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A Secret from base64 data
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: mysecret
      type: Opaque
      data:
        username: YWRtaW4=
        password: MWYyZDFlMmU2N2Rm
      """
    Then the output is:
      """
      secret/mysecret created
      """
    When I run "kubectl get secret mysecret -o jsonpath={.data.password}"
    Then the output is:
      """
      MWYyZDFlMmU2N2Rm
      """
    When I run "kubectl get secret mysecret -o go-template='{{.data.username | base64decode}}'"
    Then the output is:
      """
      admin
      """
    When I run "kubectl delete secret mysecret"
    Then the output is:
      """
      secret "mysecret" deleted
      """

  Scenario: stringData is stored encoded, in data
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: mysecret
      type: Opaque
      stringData:
        config.yaml: |
          apiUrl: "https://my.api.com/api/v1"
          username: <user>
          password: <password>
      """
    # The page's output encodes other placeholders ({{username}}); this is the manifest's own text.
    And I run "kubectl get secret mysecret -o yaml"
    Then the output contains:
      """
      apiVersion: v1
      data:
        config.yaml: YXBpVXJsOiAiaHR0cHM6Ly9teS5hcGkuY29tL2FwaS92MSIKdXNlcm5hbWU6IDx1c2VyPgpwYXNzd29yZDogPHBhc3N3b3JkPgo=
      kind: Secret
      """
    When I run "kubectl get secret mysecret -o jsonpath={.stringData}"
    Then the output is:
      """
      """

  Scenario: A key in both data and stringData takes the stringData value
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: mysecret
      type: Opaque
      data:
        username: YWRtaW4=
      stringData:
        username: administrator
      """
    And I run "kubectl get secret mysecret -o jsonpath={.data}"
    Then the output is:
      """
      {"username":"YWRtaW5pc3RyYXRvcg=="}
      """

  Scenario: Keys other than alphanumerics, '-', '_' and '.' are refused
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: mysecret
      type: Opaque
      stringData:
        config/app.yaml: "debug: true"
      """
    Then the command fails with:
      """
      Secret "mysecret" is invalid: data[config/app.yaml]: Invalid value: "config/app.yaml": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')
      """
