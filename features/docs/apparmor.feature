Feature: Restrict a Container's Access to Resources with AppArmor
  # Source: https://kubernetes.io/docs/tutorials/security/apparmor/
  #
  # The page loads a profile that denies all file writes on every node (`ssh $NODE 'sudo
  # apparmor_parser -q <<EOF ... EOF'`; here the same here-document runs on each node), runs a
  # busybox Pod confined by it, reads the profile in /proc/1/attr/current, sees `touch` refused, and
  # then creates a Pod whose profile is loaded nowhere: the kubelet's CreateContainer fails with
  # containerd's error and the Pod stays Pending. The nodes are AppArmor-enabled hosts, as the
  # page's are (docs/divergences.md: what of the profile language is enforced).
  #
  # The page's output of the refused `touch` ends with Docker's old wording ("Error executing in
  # Docker Container: 1"); kubectl v1.32 over containerd prints `command terminated with exit code 1`.

  Background:
    Given a cluster with nodes:
      | name               | role          |
      | kind-control-plane | control-plane |
      | kind-worker        |               |

  Scenario: The deny-write profile confines hello-apparmor; a profile that is not loaded keeps hello-apparmor-2 Pending
    When I run "cat /sys/module/apparmor/parameters/enabled" on node "kind-worker"
    Then the output is:
      """
      Y
      """
    When I run on node "kind-control-plane":
      """
      apparmor_parser -q <<EOF
      #include <tunables/global>

      profile k8s-apparmor-example-deny-write flags=(attach_disconnected) {
        #include <abstractions/base>

        file,

        # Deny all file writes.
        deny /** w,
      }
      EOF
      """
    And I run on node "kind-worker":
      """
      apparmor_parser -q <<EOF
      #include <tunables/global>

      profile k8s-apparmor-example-deny-write flags=(attach_disconnected) {
        #include <abstractions/base>

        file,

        # Deny all file writes.
        deny /** w,
      }
      EOF
      """
    And I run "cat /sys/kernel/security/apparmor/profiles | sort" on node "kind-worker"
    Then the output is:
      """
      k8s-apparmor-example-deny-write (enforce)
      """
    # The page's hello-apparmor.yaml, as the v1.32 page serves it (the field, not the annotation).
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: hello-apparmor
      spec:
        securityContext:
          appArmorProfile:
            type: Localhost
            localhostProfile: k8s-apparmor-example-deny-write
        containers:
        - name: hello
          image: busybox:1.28
          command: [ "sh", "-c", "echo 'Hello AppArmor!' && sleep 1h" ]
      """
    And 20 seconds pass
    And I run "kubectl exec hello-apparmor -- cat /proc/1/attr/current"
    Then the output is:
      """
      k8s-apparmor-example-deny-write (enforce)
      """
    When I try to run "kubectl exec hello-apparmor -- touch /tmp/test"
    Then the command fails with:
      """
      touch: /tmp/test: Permission denied
      command terminated with exit code 1
      """
    When I run:
      """
      kubectl create -f - <<EOF
      apiVersion: v1
      kind: Pod
      metadata:
        name: hello-apparmor-2
      spec:
        securityContext:
          appArmorProfile:
            type: Localhost
            localhostProfile: k8s-apparmor-example-allow-write
        containers:
        - name: hello
          image: busybox:1.28
          command: [ "sh", "-c", "echo 'Hello AppArmor!' && sleep 1h" ]
      EOF
      """
    Then the output is:
      """
      pod/hello-apparmor-2 created
      """
    When 30 seconds pass
    And I run "kubectl get pod hello-apparmor-2"
    Then the output is:
      """
      NAME               READY   STATUS                 RESTARTS   AGE
      hello-apparmor-2   0/1     CreateContainerError   0          30s
      """
    When I run "kubectl describe pod hello-apparmor-2"
    Then the output contains:
      """
      Annotations:      container.apparmor.security.beta.kubernetes.io/hello: localhost/k8s-apparmor-example-allow-write
      Status:           Pending
      """
    And the events of pod "hello-apparmor-2" contain:
      """
      Warning Failed Error: failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found k8s-apparmor-example-allow-write
      """

  Scenario: The deprecated annotation still confines the container, with the API server's warning
    # The page's hello-apparmor.yaml before v1.30 (kubernetes/website 2b3bdc2) set the profile with
    # the annotation; v1.32 copies it to the container's field and warns.
    When I run on node "kind-worker":
      """
      apparmor_parser -q <<EOF
      profile k8s-apparmor-example-deny-write flags=(attach_disconnected) {
        file,
        deny /** w,
      }
      EOF
      """
    And I run:
      """
      kubectl create -f - <<EOF
      apiVersion: v1
      kind: Pod
      metadata:
        name: hello-apparmor
        annotations:
          # Tell Kubernetes to apply the AppArmor profile "k8s-apparmor-example-deny-write".
          container.apparmor.security.beta.kubernetes.io/hello: localhost/k8s-apparmor-example-deny-write
      spec:
        containers:
        - name: hello
          image: busybox:1.28
          command: [ "sh", "-c", "echo 'Hello AppArmor!' && sleep 1h" ]
      EOF
      """
    Then the output is:
      """
      pod/hello-apparmor created
      """
    And the error output is:
      """
      Warning: metadata.annotations[container.apparmor.security.beta.kubernetes.io/hello]: deprecated since v1.30; use the "appArmorProfile" field instead
      """
    When 20 seconds pass
    And I run "kubectl get pod hello-apparmor -o jsonpath={.spec.containers[0].securityContext}"
    Then the output is:
      """
      {"appArmorProfile":{"localhostProfile":"k8s-apparmor-example-deny-write","type":"Localhost"}}
      """
    When I run "kubectl exec hello-apparmor -- cat /proc/1/attr/current"
    Then the output is:
      """
      k8s-apparmor-example-deny-write (enforce)
      """
