@epic:Basics @feature:kubectl
Feature: kubectl run
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_run/
  `kubectl run NAME --image=IMAGE` creates one pod labelled `run=NAME` whose one container is named
  after it. The reference page's examples: expose a container port, set variables and labels,
  print the object without creating it (`--dry-run=client -o yaml`, the usual way to start a
  manifest), override part of the spec with JSON, and give arguments or a whole command after
  `--`. With `-i --rm --restart=Never` kubectl waits for the pod, prints what it wrote, deletes it
  and exits with the container's exit code (of a pod still running when kubectl attaches, only
  what it writes from then on). A scenario has no terminal: `-t` gets kubectl's notice
  that it cannot use one, as in a script.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Start a nginx pod
    When I run "kubectl run nginx --image=nginx"
    Then the output is:
      """
      pod/nginx created
      """
    When I run "kubectl get pod nginx -o jsonpath={.metadata.labels.run}/{.spec.containers[0].name}/{.spec.containers[0].image}/{.spec.restartPolicy}"
    Then the output is:
      """
      nginx/nginx/nginx/Always
      """
    When 30 seconds pass
    Then pod "nginx" is Running

  Scenario: Expose a port, set environment variables and labels
    When I run "kubectl run hazelcast --image=hazelcast/hazelcast --port=5701 --env=DNS_DOMAIN=cluster --env=POD_NAMESPACE=default --labels=app=hazelcast,env=prod"
    Then the output is:
      """
      pod/hazelcast created
      """
    When I run "kubectl get pod hazelcast -o jsonpath={.spec.containers[0].ports[0].containerPort}"
    Then the output is:
      """
      5701
      """
    When I run "kubectl get pods -l app=hazelcast,env=prod -o name"
    Then the output is:
      """
      pod/hazelcast
      """
    When I run "kubectl get pod hazelcast -o jsonpath='{range .spec.containers[0].env[*]}{.name}={.value}{\"\n\"}{end}'"
    Then the output is:
      """
      DNS_DOMAIN=cluster
      POD_NAMESPACE=default
      """

  Scenario: Dry run: print the corresponding API objects without creating them
    When I run "kubectl run nginx --image=nginx --dry-run=client -o yaml"
    Then the output is:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        creationTimestamp: null
        labels:
          run: nginx
        name: nginx
      spec:
        containers:
        - image: nginx
          name: nginx
          resources: {}
        dnsPolicy: ClusterFirst
        restartPolicy: Always
      status: {}
      """
    When I try to run "kubectl get pod nginx"
    Then the command fails with:
      """
      Error from server (NotFound): pods "nginx" not found
      """

  Scenario: --expose creates a ClusterIP Service for the port, printed before the pod
    When I run "kubectl run web --image=nginx --port=80 --expose"
    Then the output is:
      """
      service/web created
      pod/web created
      """
    When 30 seconds pass
    And I run "kubectl get endpoints web -o jsonpath={.subsets[0].ports[0].port}"
    Then the output is:
      """
      80
      """

  Scenario: Overload the spec with a partial set of values parsed from JSON
    When I run "kubectl run nginx --image=nginx --overrides='{ \"apiVersion\": \"v1\", \"spec\": { \"nodeSelector\": { \"disktype\": \"ssd\" } } }' --dry-run=client -o yaml"
    Then the output contains:
      """
        nodeSelector:
          disktype: ssd
      """

  Scenario: Custom arguments for the default command, or a different command
    When I run "kubectl run nginx --image=nginx --dry-run=client -o jsonpath={.spec.containers[0].args} -- -g 'daemon off;'"
    Then the output is:
      """
      ["-g","daemon off;"]
      """
    When I run "kubectl run nginx --image=nginx --command --dry-run=client -o jsonpath={.spec.containers[0].command} -- nginx -g 'daemon off;'"
    Then the output is:
      """
      ["nginx","-g","daemon off;"]
      """

  Scenario: Run a command in the foreground, print its output and remove the pod
    When I run "kubectl run hello --image=busybox:1.28 -i --rm --restart=Never -- echo hello from busybox"
    Then the output is:
      """
      hello from busybox
      pod "hello" deleted
      """
    When I try to run "kubectl run fail --image=busybox:1.28 -i --rm --restart=Never -- sh -c 'echo failing; exit 3'"
    # kubectl exits with the container's exit code (3), after printing the pod's end.
    Then the output is:
      """
      failing
      pod "fail" deleted
      """
    And the command fails with:
      """
      pod default/fail terminated (Error)
      """

  Scenario: Without a terminal, -t is dropped with kubectl's notice
    When I run "kubectl run -i -t busybox --image=busybox:1.28 --restart=Never --rm -- sh -c 'sleep 5; echo done'"
    Then the output is:
      """
      done
      pod "busybox" deleted
      """

  Scenario: What the container prints before kubectl attaches is not shown
    # kubectl attaches once it sees the pod running: the first line was written before that and
    # kubectl v1.32 does not replay it (kubernetes/kubernetes#27264; why it says "If you don't see a
    # command prompt, try pressing enter."). `kubectl logs` has every line.
    When I run "kubectl run ticker --image=busybox:1.28 -i --restart=Never -- sh -c 'echo first; sleep 5; echo second'"
    Then the output is:
      """
      second
      """
    And the error output is:
      """
      If you don't see a command prompt, try pressing enter.
      """
    When I run "kubectl logs ticker"
    Then the output is:
      """
      first
      second
      """

  Scenario: kubectl's own errors for flags that do not fit
    When I try to run "kubectl run nginx --image=nginx --rm"
    Then the command fails with:
      """
      error: --rm should only be used for attached containers
      See 'kubectl run -h' for help and examples
      """
    When I try to run "kubectl run nginx --image=nginx --restart=Sometimes"
    Then the command fails with:
      """
      error: invalid restart policy: Sometimes
      """
    When I try to run "kubectl run nginx --image=nginx --expose"
    Then the command fails with:
      """
      error: --port must be set when exposing a service
      """
    When I try to run "kubectl run nginx --image=nginx -i --dry-run=client"
    Then the command fails with:
      """
      error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)
      """
    When I try to run "kubectl run nginx --image=Nginx"
    Then the command fails with:
      """
      error: Invalid image name "Nginx": invalid reference format
      """
