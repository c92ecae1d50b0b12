Feature: Extend kubectl with plugins
  # Source: https://kubernetes.io/docs/tasks/extend-kubectl/kubectl-plugins/
  #
  # A plugin is an executable file named `kubectl-*` on the PATH of the reader's machine; kubectl
  # v1.32 runs the one whose name the command's words make, and `kubectl plugin list` finds them
  # (staging/src/k8s.io/kubectl/pkg/cmd/cmd.go, pkg/cmd/plugin/plugin.go). The machine here is the
  # terminal's: its shell runs the plugin script, as root (HOME is /root, so `~/.kube/config` is
  # /root/.kube/config where the page shows /home/<user>/.kube/config).

  Background:
    Given a cluster with nodes:
      | name  |
      | node1 |
    # The page's example plugin, saved as kubectl-foo.
    When I run:
      """
      cat <<'EOF' > kubectl-foo
      #!/bin/bash

      # optional argument handling
      if [[ "$1" == "version" ]]
      then
          echo "1.0.0"
          exit 0
      fi

      # optional argument handling
      if [[ "$1" == "config" ]]
      then
          echo $KUBECONFIG
          exit 0
      fi

      echo "I am a plugin named kubectl-foo"
      EOF
      """

  Scenario: Using a plugin: made executable and placed on the PATH, it is a kubectl command
    When I run "sudo chmod +x ./kubectl-foo"
    And I run "sudo mv ./kubectl-foo /usr/local/bin"
    And I run "kubectl foo"
    Then the output is:
      """
      I am a plugin named kubectl-foo
      """
    # "All args and flags are passed as-is to the executable"
    When I run "kubectl foo version"
    Then the output is:
      """
      1.0.0
      """
    # "All environment variables are also passed as-is to the executable"
    When I run "export KUBECONFIG=~/.kube/config"
    And I run "kubectl foo config"
    Then the output is:
      """
      /root/.kube/config
      """
    When I run "KUBECONFIG=/etc/kube/config kubectl foo config"
    Then the output is:
      """
      /etc/kube/config
      """
    When I run "kubectl plugin list"
    Then the output is:
      """
      The following compatible plugins are available:

      /usr/local/bin/kubectl-foo
      """

  Scenario: Flags and argument handling: flags after the plugin's name are its own, before it they are refused
    # "all extra arguments and flags were passed as-is to the plugin executable once it was found"
    When I run "sudo chmod +x ./kubectl-foo"
    And I run "sudo mv ./kubectl-foo /usr/local/bin"
    And I run "kubectl foo version --meaningless-flag=true"
    Then the output is:
      """
      1.0.0
      """
    # Before the name, a flag kubectl does not know is skipped by cobra's command search, and the
    # plugin search then refuses it (staging/src/k8s.io/kubectl/pkg/cmd/cmd.go HandlePluginCommand);
    # so is a global flag such as -n.
    When I try to run "kubectl --meaningless-flag=true foo"
    Then the command fails with:
      """
      Error: flags cannot be placed before plugin name: --meaningless-flag=true
      """
    When I try to run "kubectl -n default foo"
    Then the command fails with:
      """
      Error: flags cannot be placed before plugin name: -n
      """
    # Without `=`, cobra takes the next word as the unknown flag's value: no plugin name is left,
    # and kubectl itself refuses the flag.
    When I try to run "kubectl --meaningless-flag foo"
    Then the command fails with:
      """
      Error: unknown flag: --meaningless-flag
      See 'kubectl --help' for usage.
      """

  Scenario: kubectl plugin list warns of a plugin that is not executable, and of one overshadowed
    When I run "sudo mv ./kubectl-foo /usr/local/bin"
    And I try to run "kubectl plugin list"
    Then the command fails with:
      """
        - warning: /usr/local/bin/kubectl-foo identified as a kubectl plugin, but it is not executable
      error: one plugin warning was found
      """
    And the output is:
      """
      The following compatible plugins are available:

      /usr/local/bin/kubectl-foo
      """
    # Not executable, it is not run: kubectl has no such command.
    When I try to run "kubectl foo"
    Then the command fails with:
      """
      Error: unknown command "foo" for "kubectl"
      """
    When I run "sudo chmod +x /usr/local/bin/kubectl-foo"
    And I run "mkdir -p plugins && cp /usr/local/bin/kubectl-foo plugins/ && cp /usr/local/bin/kubectl-foo plugins/kubectl-version"
    And I try to run "PATH=plugins:/usr/local/bin kubectl plugin list"
    Then the output is:
      """
      The following compatible plugins are available:

      plugins/kubectl-foo
      plugins/kubectl-version
      /usr/local/bin/kubectl-foo
      """
    And the command fails with:
      """
        - warning: kubectl-version overwrites existing command: "kubectl version"
        - warning: /usr/local/bin/kubectl-foo is overshadowed by a similarly named plugin: plugins/kubectl-foo
      error: 2 plugin warnings were found
      """

  Scenario: No plugin on the PATH
    When I try to run "kubectl plugin list"
    Then the command fails with:
      """
      error: unable to find any kubectl plugins in your PATH
      """
