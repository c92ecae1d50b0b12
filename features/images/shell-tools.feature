@epic:Images @feature:ShellTools
Feature: Init containers prepare files with the image's own cp, chmod, tee and sha256sum
  # Source: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/ (init containers
  # "can contain utilities or custom code for setup that are not present in an app image") and
  # https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/ (a ConfigMap's
  # keys mounted as files). The commands behave as the image's userland does: busybox's applets in
  # busybox and Alpine images, GNU coreutils in Debian images (docs/images.md).
  A common pattern: an init container copies a file from a read-only ConfigMap volume into a
  writable emptyDir, tightens its mode, and records a checksum for the application to check.

  Background:
    Given a cluster with nodes:
      | name        |
      | kind-worker |

  Scenario Outline: An init container copies, restricts and checksums a configuration file (<image>)
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app-config
      data:
        app.conf: |
          listen 8080
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        initContainers:
        - name: prepare
          image: <image>
          command: ["sh", "-c", "cp /config/app.conf /work/ && chmod 600 /work/app.conf && sha256sum /work/app.conf | tee /work/app.conf.sha256"]
          volumeMounts:
          - name: config
            mountPath: /config
          - name: work
            mountPath: /work
        containers:
        - name: app
          image: <image>
          command: ["sh", "-c", "sha256sum -c /work/app.conf.sha256 && sleep 3600"]
          volumeMounts:
          - name: work
            mountPath: /work
        volumes:
        - name: config
          configMap:
            name: app-config
        - name: work
          emptyDir: {}
      """
    And 30 seconds pass
    When I run "kubectl logs app -c prepare"
    Then the output is:
      """
      0083dacc561dfd01081d8554269e201f4b60fe597ab9892977bfde81da46ef60  /work/app.conf
      """
    When I run "kubectl logs app"
    Then the output is:
      """
      /work/app.conf: OK
      """
    When I run:
      """
      kubectl exec app -- sh -c 'ls -l /work/app.conf | cut -c1-10; cat /work/app.conf'
      """
    Then the output is:
      """
      -rw-------
      listen 8080
      """

    Examples:
      | image       |
      | busybox:1.36 |
      | debian:12    |

  Scenario Outline: A file that is not there stops the init container with the tool's own message (<image>)
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        initContainers:
        - name: prepare
          image: <image>
          command: ["sh", "-c", "cp /config/app.conf /work/"]
        containers:
        - name: app
          image: <image>
          command: ["sleep", "3600"]
      """
    And 10 seconds pass
    When I run "kubectl logs app -c prepare"
    Then the output is:
      """
      <message>
      """
    When I run:
      """
      kubectl get pod app -o jsonpath='{.status.initContainerStatuses[0].lastState.terminated.reason} {.status.initContainerStatuses[0].lastState.terminated.exitCode}'
      """
    Then the output is:
      """
      Error 1
      """

    Examples:
      | image        | message                                                 |
      | busybox:1.36 | cp: can't stat '/config/app.conf': No such file or directory |
      | debian:12    | cp: cannot stat '/config/app.conf': No such file or directory |
