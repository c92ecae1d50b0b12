Feature: Configure Access to Multiple Clusters
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/configure-access-multiple-clusters/
  #
  # The page's steps in order, on kubeconfig files of the user's machine: `config-demo` and
  # `config-demo-2` with the page's content, filled in with `kubectl config --kubeconfig=config-demo
  # set-cluster / set-credentials / set-context`, read back with `config view` (`--minify` for the
  # current context), then merged through the KUBECONFIG environment variable, with
  # `$HOME/.kube/config` (the scenario's own kubeconfig, context `kube-scenario`) last.
  #
  # What kubectl v1.32 prints differs from the page's listings in three places (these outputs were
  # recorded with the real kubectl v1.32.4, src/kubectl/testdata/config-files.yaml): `config view`
  # prints a password as `REDACTED` (the page shows `some-password`); the page's command names the
  # key `fake-key-seefile`, so that is the path kubectl writes (the page's listing says
  # `fake-key-file`); and the whole merged view is printed, not only its contexts.
  #
  # The page's `config-exercise` directory is the terminal's working directory here: its shell does
  # not keep a `cd` from one command line to the next. The clusters the page names (1.2.3.4 and
  # 5.6.7.8) are placeholders no machine reaches: a command sent to them fails as kubectl fails.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Define clusters, users, and contexts in config-demo, and switch between them
    When I run:
      """
      cat <<EOF > config-demo
      apiVersion: v1
      kind: Config
      preferences: {}

      clusters:
      - cluster:
        name: development
      - cluster:
        name: test

      users:
      - name: developer
      - name: experimenter

      contexts:
      - context:
        name: dev-frontend
      - context:
        name: dev-storage
      - context:
        name: exp-test
      EOF
      """
    And I run "kubectl config --kubeconfig=config-demo set-cluster development --server=https://1.2.3.4 --certificate-authority=fake-ca-file"
    Then the output is:
      """
      Cluster "development" set.
      """
    When I run "kubectl config --kubeconfig=config-demo set-cluster test --server=https://5.6.7.8 --insecure-skip-tls-verify"
    Then the output is:
      """
      Cluster "test" set.
      """
    When I run "kubectl config --kubeconfig=config-demo set-credentials developer --client-certificate=fake-cert-file --client-key=fake-key-seefile"
    Then the output is:
      """
      User "developer" set.
      """
    When I run "kubectl config --kubeconfig=config-demo set-credentials experimenter --username=exp --password=some-password"
    Then the output is:
      """
      User "experimenter" set.
      """
    When I run "kubectl config --kubeconfig=config-demo set-context dev-frontend --cluster=development --namespace=frontend --user=developer"
    Then the output is:
      """
      Context "dev-frontend" modified.
      """
    When I run "kubectl config --kubeconfig=config-demo set-context dev-storage --cluster=development --namespace=storage --user=developer"
    Then the output is:
      """
      Context "dev-storage" modified.
      """
    When I run "kubectl config --kubeconfig=config-demo set-context exp-test --cluster=test --namespace=default --user=experimenter"
    Then the output is:
      """
      Context "exp-test" modified.
      """
    # "Open your config-demo file to see the added details."
    When I run "cat config-demo"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: fake-ca-file
          server: https://1.2.3.4
        name: development
      - cluster:
          insecure-skip-tls-verify: true
          server: https://5.6.7.8
        name: test
      contexts:
      - context:
          cluster: development
          namespace: frontend
          user: developer
        name: dev-frontend
      - context:
          cluster: development
          namespace: storage
          user: developer
        name: dev-storage
      - context:
          cluster: test
          namespace: default
          user: experimenter
        name: exp-test
      current-context: ""
      kind: Config
      preferences: {}
      users:
      - name: developer
        user:
          client-certificate: fake-cert-file
          client-key: fake-key-seefile
      - name: experimenter
        user:
          password: some-password
          username: exp
      """
    When I run "kubectl config --kubeconfig=config-demo view"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: fake-ca-file
          server: https://1.2.3.4
        name: development
      - cluster:
          insecure-skip-tls-verify: true
          server: https://5.6.7.8
        name: test
      contexts:
      - context:
          cluster: development
          namespace: frontend
          user: developer
        name: dev-frontend
      - context:
          cluster: development
          namespace: storage
          user: developer
        name: dev-storage
      - context:
          cluster: test
          namespace: default
          user: experimenter
        name: exp-test
      current-context: ""
      kind: Config
      preferences: {}
      users:
      - name: developer
        user:
          client-certificate: fake-cert-file
          client-key: fake-key-seefile
      - name: experimenter
        user:
          password: REDACTED
          username: exp
      """
    When I run "kubectl config --kubeconfig=config-demo use-context dev-frontend"
    Then the output is:
      """
      Switched to context "dev-frontend".
      """
    When I run "kubectl config --kubeconfig=config-demo view --minify"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: fake-ca-file
          server: https://1.2.3.4
        name: development
      contexts:
      - context:
          cluster: development
          namespace: frontend
          user: developer
        name: dev-frontend
      current-context: dev-frontend
      kind: Config
      preferences: {}
      users:
      - name: developer
        user:
          client-certificate: fake-cert-file
          client-key: fake-key-seefile
      """
    # "Now whenever you enter a kubectl command, the action will apply to the cluster and namespace
    # listed in the dev-frontend context": its certificate files are the page's placeholders, which
    # kubectl opens (relative to the kubeconfig's directory) before it sends anything.
    When I try to run "kubectl --kubeconfig=config-demo get pods"
    Then the command fails with:
      """
      Error in configuration: 
      * unable to read client-cert /root/fake-cert-file for developer due to open /root/fake-cert-file: no such file or directory
      * unable to read client-key /root/fake-key-seefile for developer due to open /root/fake-key-seefile: no such file or directory
      * unable to read certificate-authority /root/fake-ca-file for development due to open /root/fake-ca-file: no such file or directory
      """
    When I run "kubectl config --kubeconfig=config-demo use-context exp-test"
    Then the output is:
      """
      Switched to context "exp-test".
      """
    When I run "kubectl config --kubeconfig=config-demo view --minify"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          insecure-skip-tls-verify: true
          server: https://5.6.7.8
        name: test
      contexts:
      - context:
          cluster: test
          namespace: default
          user: experimenter
        name: exp-test
      current-context: exp-test
      kind: Config
      preferences: {}
      users:
      - name: experimenter
        user:
          password: REDACTED
          username: exp
      """
    # The test cluster's address is a placeholder: nothing answers there, and each of kubectl's
    # requests waits for its 30-second dial timeout.
    When I try to run "kubectl --kubeconfig=config-demo get pods"
    Then the command fails with:
      """
      Unable to connect to the server: dial tcp 5.6.7.8:443: i/o timeout
      """
    And the error output contains:
      """
      memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \"https://5.6.7.8/api?timeout=32s\": dial tcp 5.6.7.8:443: i/o timeout"
      """
    When I run "kubectl config --kubeconfig=config-demo use-context dev-storage"
    Then the output is:
      """
      Switched to context "dev-storage".
      """
    When I run "kubectl config --kubeconfig=config-demo view --minify"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: fake-ca-file
          server: https://1.2.3.4
        name: development
      contexts:
      - context:
          cluster: development
          namespace: storage
          user: developer
        name: dev-storage
      current-context: dev-storage
      kind: Config
      preferences: {}
      users:
      - name: developer
        user:
          client-certificate: fake-cert-file
          client-key: fake-key-seefile
      """

    # Create a second configuration file, and set the KUBECONFIG environment variable.
    When I run:
      """
      cat <<EOF > config-demo-2
      apiVersion: v1
      kind: Config
      preferences: {}

      contexts:
      - context:
          cluster: development
          namespace: ramp
          user: developer
        name: dev-ramp-up
      EOF
      """
    And I run:
      """
      export KUBECONFIG_SAVED="$KUBECONFIG"
      """
    And I run:
      """
      export KUBECONFIG="${KUBECONFIG}:config-demo:config-demo-2"
      """
    And I run "kubectl config view"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: fake-ca-file
          server: https://1.2.3.4
        name: development
      - cluster:
          insecure-skip-tls-verify: true
          server: https://5.6.7.8
        name: test
      contexts:
      - context:
          cluster: development
          namespace: frontend
          user: developer
        name: dev-frontend
      - context:
          cluster: development
          namespace: ramp
          user: developer
        name: dev-ramp-up
      - context:
          cluster: development
          namespace: storage
          user: developer
        name: dev-storage
      - context:
          cluster: test
          namespace: default
          user: experimenter
        name: exp-test
      current-context: dev-storage
      kind: Config
      preferences: {}
      users:
      - name: developer
        user:
          client-certificate: fake-cert-file
          client-key: fake-key-seefile
      - name: experimenter
        user:
          password: REDACTED
          username: exp
      """
    When I run "kubectl config get-contexts"
    Then the output is:
      """
      CURRENT   NAME           CLUSTER       AUTHINFO       NAMESPACE
                dev-frontend   development   developer      frontend
                dev-ramp-up    development   developer      ramp
      *         dev-storage    development   developer      storage
                exp-test       test          experimenter   default
      """

    # Append $HOME/.kube/config (the scenario's kubeconfig) to KUBECONFIG: its entries join the
    # merge, and config-demo's current context, the first set, stays the current one.
    When I run:
      """
      export KUBECONFIG="${KUBECONFIG}:${HOME}/.kube/config"
      """
    And I run "kubectl config view"
    Then the output is:
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: fake-ca-file
          server: https://1.2.3.4
        name: development
      - cluster:
          insecure-skip-tls-verify: true
          server: http://127.0.0.1:6443
        name: kube-scenario
      - cluster:
          insecure-skip-tls-verify: true
          server: https://5.6.7.8
        name: test
      contexts:
      - context:
          cluster: development
          namespace: frontend
          user: developer
        name: dev-frontend
      - context:
          cluster: development
          namespace: ramp
          user: developer
        name: dev-ramp-up
      - context:
          cluster: development
          namespace: storage
          user: developer
        name: dev-storage
      - context:
          cluster: test
          namespace: default
          user: experimenter
        name: exp-test
      - context:
          cluster: kube-scenario
          namespace: default
          user: kube-scenario
        name: kube-scenario
      current-context: dev-storage
      kind: Config
      preferences: {}
      users:
      - name: developer
        user:
          client-certificate: fake-cert-file
          client-key: fake-key-seefile
      - name: experimenter
        user:
          password: REDACTED
          username: exp
      - name: kube-scenario
        user: {}
      """
    # The scenario's own context, through the merged files: its cluster answers.
    When I run "kubectl --context=kube-scenario get nodes"
    Then the output is:
      """
      NAME        STATUS   ROLES    AGE   VERSION
      k8s-node1   Ready    <none>   3m    v1.32.0
      """

    # Clean up, and check the subject represented by the kubeconfig.
    When I run:
      """
      export KUBECONFIG="$KUBECONFIG_SAVED"
      """
    And I run "kubectl config get-contexts"
    Then the output is:
      """
      CURRENT   NAME            CLUSTER         AUTHINFO        NAMESPACE
      *         kube-scenario   kube-scenario   kube-scenario   default
      """
    When I run "kubectl auth whoami"
    Then the output is:
      """
      ATTRIBUTE   VALUE
      Username    kubernetes-admin
      Groups      [kubeadm:cluster-admins system:authenticated]
      """

  Scenario: Delete a user, a cluster and a context with kubectl config unset
    # The page's note: `kubectl --kubeconfig=config-demo config unset users.<name>` (and clusters.,
    # contexts.) remove an entry.
    When I run "kubectl config --kubeconfig=config-demo set-cluster development --server=https://1.2.3.4"
    And I run "kubectl config --kubeconfig=config-demo set-credentials developer --username=dev --password=secret"
    And I run "kubectl config --kubeconfig=config-demo set-context dev-frontend --cluster=development --namespace=frontend --user=developer"
    And I run "kubectl --kubeconfig=config-demo config unset users.developer"
    Then the output is:
      """
      Property "users.developer" unset.
      """
    When I run "kubectl --kubeconfig=config-demo config unset clusters.development"
    Then the output is:
      """
      Property "clusters.development" unset.
      """
    When I run "kubectl --kubeconfig=config-demo config unset contexts.dev-frontend"
    Then the output is:
      """
      Property "contexts.dev-frontend" unset.
      """
    When I run "cat config-demo"
    Then the output is:
      """
      apiVersion: v1
      clusters: null
      contexts: null
      current-context: ""
      kind: Config
      preferences: {}
      users: null
      """
