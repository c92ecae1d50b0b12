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
    Then the command fails with:
      """
      Read-only file system
      """

  # The two pods are the page's manifests as it shows them (the stored example files of
  # kubernetes/website are an older version, with other names and keys).
  Scenario: An environment variable from a single Secret
    When I run "kubectl create secret generic backend-user --from-literal=backend-username='backend-admin'"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: env-single-secret
      spec:
        containers:
        - name: envars-test-container
          image: nginx
          env:
          - name: SECRET_USERNAME
            valueFrom:
              secretKeyRef:
                name: backend-user
                key: backend-username
      """
    Then within 1 minute pod "env-single-secret" is Running
    When I run "kubectl exec -i -t env-single-secret -- /bin/sh -c 'echo $SECRET_USERNAME'"
    Then the output is:
      """
      backend-admin
      """

  Scenario: Environment variables from two Secrets
    When I run "kubectl create secret generic backend-user --from-literal=backend-username='backend-admin'"
    And I run "kubectl create secret generic db-user --from-literal=db-username='db-admin'"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: envvars-multiple-secrets
      spec:
        containers:
        - name: envars-test-container
          image: nginx
          env:
          - name: BACKEND_USERNAME
            valueFrom:
              secretKeyRef:
                name: backend-user
                key: backend-username
          - name: DB_USERNAME
            valueFrom:
              secretKeyRef:
                name: db-user
                key: db-username
      """
    Then within 1 minute pod "envvars-multiple-secrets" is Running
    # The order of a container's variables is not the manifest's (the kubelet builds them from a map).
    When I run "kubectl exec -i -t envvars-multiple-secrets -- /bin/sh -c 'env | grep _USERNAME'"
    Then the output contains:
      """
      DB_USERNAME=db-admin
      """
    And the output contains:
      """
      BACKEND_USERNAME=backend-admin
      """

  Scenario: Every key of a Secret as an environment variable (envFrom)
    When I apply the manifest file "exercises/docs/pods/inject/pod-secret-envFrom.yaml"
    Then within 1 minute pod "envfrom-secret" is Running
    # nginx's /bin/sh is dash, whose echo turns \n into a new line.
    When I run "kubectl exec -i -t envfrom-secret -- /bin/sh -c 'echo \"username: $username\npassword: $password\"'"
    Then the output is:
      """
      username: my-app
      password: 39528$vdg7Jb
      """

  Scenario: A Secret that does not exist keeps the container from starting
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: env-single-secret
      spec:
        containers:
        - name: envars-test-container
          image: nginx
          env:
          - name: SECRET_USERNAME
            valueFrom:
              secretKeyRef:
                name: backend-user
                key: backend-username
      """
    And 10 seconds pass
    Then container "envars-test-container" of pod "env-single-secret" is waiting with reason "CreateContainerConfigError"
    And the events of pod "env-single-secret" contain:
      """
      Warning Failed Error: secret "backend-user" not found
      """
