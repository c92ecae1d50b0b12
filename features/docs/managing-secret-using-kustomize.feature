Feature: Managing Secrets using Kustomize
  # Source: https://kubernetes.io/docs/tasks/configmap-secret/managing-secret-using-kustomize/
  #
  # A `secretGenerator` in a kustomization.yaml makes a Secret from literals, files or an .env file;
  # `kubectl apply -k <directory-path>` builds it with kustomize v5.5.0 (bundled in kubectl v1.32)
  # and creates it under a name suffixed with a hash of its content. The page's commands create
  # the files on your machine (the scenario's own filesystem, its working directory standing for
  # the project's); each scenario writes its kustomization into a directory of its own, the
  # page's `<directory-path>`. The suffixes are those kubectl v1.32's kustomize prints (checked with
  # the real `kubectl kustomize`): the page's `database-creds-5hdh7hhgfk` and
  # `db-user-pass-6f24b56cc8` come from older kustomize versions, whose hash also covered the name.
  # The page does not show its .env.secret: this one holds the same username and password. Its
  # "Edit a Secret" changes the password; its clean-up deletes `db-user-pass`, a name no Secret has
  # (the generated ones carry the suffix), so the API server answers NotFound.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A Secret from literals: create it, read its data back and decode it
    When I run:
      """
      mkdir literals && cat <<EOF > literals/kustomization.yaml
      secretGenerator:
      - name: database-creds
        literals:
        - username=admin
        - password=1f2d1e2e67df
      EOF
      """
    And I run "kubectl apply -k literals"
    Then the output is:
      """
      secret/database-creds-bkbd782d2c created
      """
    When I run "kubectl get -k literals -o jsonpath='{.data}'"
    Then the output is:
      """
      {"password":"MWYyZDFlMmU2N2Rm","username":"YWRtaW4="}
      """
    When I run "echo 'MWYyZDFlMmU2N2Rm' | base64 --decode"
    Then the output is:
      """
      1f2d1e2e67df
      """

  Scenario: A Secret from files: the file names are the keys
    When I run:
      """
      mkdir files && cd files
      echo -n 'admin' > ./username.txt
      echo -n '1f2d1e2e67df' > ./password.txt
      cat <<EOF > kustomization.yaml
      secretGenerator:
      - name: database-creds
        files:
        - username.txt
        - password.txt
      EOF
      """
    And I run "kubectl apply -k files"
    Then the output is:
      """
      secret/database-creds-gd995d5t92 created
      """
    When I run "kubectl describe secret database-creds-gd995d5t92"
    Then the output is:
      """
      Name:         database-creds-gd995d5t92
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Type:  Opaque

      Data
      ====
      password.txt:  12 bytes
      username.txt:  5 bytes
      """

  Scenario: A Secret from an .env file, edited: a new Secret, the old one kept
    When I run:
      """
      mkdir envs
      printf 'username=admin\npassword=1f2d1e2e67df\n' > envs/.env.secret
      cat <<EOF > envs/kustomization.yaml
      secretGenerator:
      - name: db-user-pass
        envs:
        - .env.secret
      EOF
      """
    And I run "kubectl apply -k envs"
    Then the output is:
      """
      secret/db-user-pass-bkbd782d2c created
      """
    # "Edit a Secret": modify the data, such as the password, and apply the directory again.
    When I run "sed -i 's/password=1f2d1e2e67df/password=9c2f7e8a4b1d/' envs/.env.secret"
    And I run "kubectl apply -k envs"
    Then the output is:
      """
      secret/db-user-pass-cmt52d9k7f created
      """
    When 10 seconds pass
    And I run "kubectl get secrets"
    Then the output is:
      """
      NAME                      TYPE     DATA   AGE
      db-user-pass-bkbd782d2c   Opaque   2      10s
      db-user-pass-cmt52d9k7f   Opaque   2      10s
      """
    # Clean up, as the page writes it: no Secret is named db-user-pass.
    When I try to run "kubectl delete secret db-user-pass"
    Then the command fails with:
      """
      Error from server (NotFound): secrets "db-user-pass" not found
      """
    When I run "kubectl delete secret db-user-pass-bkbd782d2c db-user-pass-cmt52d9k7f"
    Then the output is:
      """
      secret "db-user-pass-bkbd782d2c" deleted
      secret "db-user-pass-cmt52d9k7f" deleted
      """
