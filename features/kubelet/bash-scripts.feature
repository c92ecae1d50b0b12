Feature: Container scripts run by bash
  # A container whose command is `bash -c` (or a `#!/bin/bash` script) gets bash's own syntax, not
  # only the POSIX shell's: `[[ … ]]` with patterns and `=~`, arrays and associative arrays,
  # `${v^^}` and the other parameter expansions, brace expansion, `for (( ; ; ))`. The same script
  # under busybox's `sh` would fail, and on a real cluster it runs as here: every behaviour shown is
  # checked against GNU bash 5.2 (src/runtime/shell/testdata/bash52.json). When a bash script is
  # wrong, the log holds bash's own message, with the line it is on.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A bash script with [[ ]], arrays, parameter expansion and brace expansion
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: bash-demo
      spec:
        restartPolicy: Never
        containers:
        - name: script
          image: bash:5.2
          command: ["bash", "-c"]
          args:
          - |
            set -euo pipefail
            declare -A replicas=([web]=3 [api]=2 [worker]=1)
            services=(web api worker)
            for svc in "${services[@]}"; do
              if [[ ${replicas[$svc]} -gt 1 ]]; then
                echo "$svc: ${replicas[$svc]} replicas"
              else
                echo "$svc: a single replica"
              fi
            done
            image="registry.k8s.io/nginx:1.27.3"
            if [[ $image =~ :([0-9]+)\.([0-9]+) ]]; then
              echo "nginx major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}"
            fi
            name=${image##*/}
            echo "name=${name%%:*} upper=${name^^} tag=${image/*:/}"
            echo shards: shard-{0..2}
            for ((i = 1; i <= 3; i++)); do (( sq = i * i )); printf '%s ' "$sq"; done
            echo
            [[ -f /tmp/ready ]] || echo "no /tmp/ready yet"
      """
    And 10 seconds pass
    Then pod "bash-demo" matches:
      """yaml
      status:
        phase: Succeeded
      """
    When I run "kubectl logs bash-demo"
    Then the output is:
      """
      web: 3 replicas
      api: 2 replicas
      worker: a single replica
      nginx major=1 minor=27
      name=nginx upper=NGINX:1.27.3 tag=1.27.3
      shards: shard-0 shard-1 shard-2
      1 4 9 
      no /tmp/ready yet
      """

  Scenario: bash reads and runs a script one command at a time, and names the line of a syntax error
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: bash-typo
      spec:
        restartPolicy: Never
        containers:
        - name: script
          image: bash:5.2
          command: ["bash", "-c"]
          args:
          - |
            echo starting
            if [[ -n "$HOSTNAME" ]]; then
              echo "on $HOSTNAME"
            fi
            fi
      """
    And 10 seconds pass
    Then pod "bash-typo" matches:
      """yaml
      status:
        phase: Failed
        containerStatuses:
        - name: script
          state:
            terminated:
              exitCode: 2
              reason: Error
      """
    When I run "kubectl logs bash-typo"
    Then the output is:
      """
      starting
      on bash-typo
      bash: -c: line 5: syntax error near unexpected token `fi'
      bash: -c: line 5: `fi'
      """
