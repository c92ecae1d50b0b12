Feature: Configure a Pod to Use a ConfigMap: creating ConfigMaps with kubectl create configmap
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#create-a-configmap-using-kubectl-create-configmap
  #
  # `kubectl create configmap` from a directory, from files (with their own key or the file's
  # name), from env-files and from literal values. The page's files are under
  # exercises/docs/configure-pod-container/ (see exercises/docs/README.md). kubectl v1.32's
  # describe puts a blank line after each value and a BinaryData section (the page shows an
  # older layout).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: From a directory: one key per file
    When I run "kubectl create configmap game-config --from-file=exercises/docs/configure-pod-container/configmap/"
    Then the output is:
      """
      configmap/game-config created
      """
    When I run "kubectl describe configmaps game-config"
    Then the output is:
      """
      Name:         game-config
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      game.properties:
      ----
      enemies=aliens
      lives=3
      enemies.cheat=true
      enemies.cheat.level=noGoodRotten
      secret.code.passphrase=UUDDLRLRBABAS
      secret.code.allowed=true
      secret.code.lives=30


      ui.properties:
      ----
      color.good=purple
      color.bad=yellow
      allow.textmode=true
      how.nice.to.look=fairlyNice



      BinaryData
      ====

      Events:  <none>
      """
    When I run "kubectl get configmaps game-config -o yaml"
    Then the output contains:
      """
      data:
        game.properties: |
          enemies=aliens
          lives=3
          enemies.cheat=true
          enemies.cheat.level=noGoodRotten
          secret.code.passphrase=UUDDLRLRBABAS
          secret.code.allowed=true
          secret.code.lives=30
        ui.properties: |
          color.good=purple
          color.bad=yellow
          allow.textmode=true
          how.nice.to.look=fairlyNice
      kind: ConfigMap
      """

  Scenario: From one file, then from two files
    When I run "kubectl create configmap game-config-2 --from-file=exercises/docs/configure-pod-container/configmap/game.properties"
    And I run "kubectl get configmap game-config-2 -o jsonpath={.data}"
    Then the output is:
      """
      {"game.properties":"enemies=aliens\nlives=3\nenemies.cheat=true\nenemies.cheat.level=noGoodRotten\nsecret.code.passphrase=UUDDLRLRBABAS\nsecret.code.allowed=true\nsecret.code.lives=30\n"}
      """
    When I run "kubectl delete configmap game-config-2"
    And I run "kubectl create configmap game-config-2 --from-file=exercises/docs/configure-pod-container/configmap/game.properties --from-file=exercises/docs/configure-pod-container/configmap/ui.properties"
    And I run "kubectl get configmap game-config-2 -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}'"
    Then the output is:
      """
      game.properties ui.properties 
      """

  Scenario: From an env-file: one key per line, comments and blank lines skipped, quotes kept
    When I run "kubectl create configmap game-config-env-file --from-env-file=exercises/docs/configure-pod-container/env-files/game-env-file.properties"
    And I run "kubectl get configmap game-config-env-file -o yaml"
    Then the output contains:
      """
      apiVersion: v1
      data:
        allowed: '"true"'
        enemies: aliens
        lives: "3"
      kind: ConfigMap
      """

  Scenario: Two env-files: kubectl v1.32 takes the keys of both
    # The page's caution says only the last env-file is used; kubectl has read every
    # --from-env-file since v1.23 (the page's later versions say so).
    When I run "kubectl create configmap config-multi-env-files --from-env-file=exercises/docs/configure-pod-container/env-files/game-env-file.properties --from-env-file=exercises/docs/configure-pod-container/env-files/ui-env-file.properties"
    And I run "kubectl get configmap config-multi-env-files -o yaml"
    Then the output contains:
      """
      apiVersion: v1
      data:
        allowed: '"true"'
        color: purple
        enemies: aliens
        how: fairlyNice
        lives: "3"
        textmode: "true"
      kind: ConfigMap
      """

  Scenario: A key other than the file name
    When I run "kubectl create configmap game-config-3 --from-file=game-special-key=exercises/docs/configure-pod-container/configmap/game.properties"
    And I run "kubectl get configmaps game-config-3 -o yaml"
    Then the output contains:
      """
      data:
        game-special-key: |
          enemies=aliens
          lives=3
          enemies.cheat=true
          enemies.cheat.level=noGoodRotten
          secret.code.passphrase=UUDDLRLRBABAS
          secret.code.allowed=true
          secret.code.lives=30
      kind: ConfigMap
      """

  Scenario: From literal values, used by the page's single-ConfigMap pod
    When I run "kubectl create configmap special-config --from-literal=special.how=very --from-literal=special.type=charm"
    And I run "kubectl get configmaps special-config -o yaml"
    Then the output contains:
      """
      data:
        special.how: very
        special.type: charm
      kind: ConfigMap
      """
    When I run "kubectl create -f exercises/docs/pods/pod-single-configmap-env-variable.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    And the logs of pod "dapi-test-pod" contain:
      """
      SPECIAL_LEVEL_KEY=very
      """
