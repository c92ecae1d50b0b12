@epic:Basics @feature:kubectl
Feature: kubectl explain: what a field means, from the API server itself
  Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_explain/

  `kubectl explain TYPE.FIELD.FIELD...` prints what the API server's OpenAPI says of a field: its
  type, whether it is required, the values an enum takes, and its description, the same text as the
  API reference. It is the quickest answer to "what does livenessProbe take?" in the middle of
  writing a manifest, with no browser. The descriptions here are kubernetes v1.32's own (generated
  from the Go doc comments of k8s.io/api v0.32.0), so what a student reads in the simulation is
  what `kubectl explain` prints on a real v1.32 cluster, word wrapping included.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A field's description, then the fields it holds
    When I run "kubectl explain pod.spec.containers.livenessProbe"
    Then the output contains:
      """
      KIND:       Pod
      VERSION:    v1

      FIELD: livenessProbe <Probe>


      DESCRIPTION:
          Periodic probe of container liveness. Container will be restarted if the
          probe fails. Cannot be updated. More info:
          https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes
          Probe describes a health check to be performed against a container to
          determine whether it is alive or ready to receive traffic.
      """
    # Each field: its name, its type in <>, then its description indented below it.
    And the output contains:
      """
        initialDelaySeconds	<integer>
          Number of seconds after the container has started before liveness probes are
          initiated. More info:
          https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes
      """
    # The resource may be named as kubectl get names it: plural, singular, short name or kind.
    When I run "kubectl explain po.spec.containers.livenessProbe.httpGet.port"
    Then the output is:
      """
      KIND:       Pod
      VERSION:    v1

      FIELD: port <IntOrString>


      DESCRIPTION:
          Name or number of the port to access on the container. Number must be in the
          range 1 to 65535. Name must be an IANA_SVC_NAME.
          IntOrString is a type that can hold an int32 or a string.  When used in JSON
          or YAML marshalling and unmarshalling, it produces or consumes the inner
          type.  This allows you to have, for example, a JSON field that can accept a
          name or number.
      """

  Scenario: A field that takes a fixed set of values lists them
    When I run "kubectl explain pod.spec.restartPolicy"
    Then the output is:
      """
      KIND:       Pod
      VERSION:    v1

      FIELD: restartPolicy <string>
      ENUM:
          Always
          Never
          OnFailure

      DESCRIPTION:
          Restart policy for all containers within the pod. One of Always, OnFailure,
          Never. In some contexts, only a subset of those values may be permitted.
          Default to Always. More info:
          https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy

          Possible enum values:
           - `"Always"`
           - `"Never"`
           - `"OnFailure"`
      """
    # In a list of fields, a required one says so.
    When I run "kubectl explain deployment.spec"
    Then the output contains:
      """
        selector	<LabelSelector> -required-
      """

  Scenario: --recursive prints the whole tree of field names
    When I run "kubectl explain deployments.spec.strategy --recursive"
    Then the output is:
      """
      GROUP:      apps
      KIND:       Deployment
      VERSION:    v1

      FIELD: strategy <DeploymentStrategy>


      DESCRIPTION:
          The deployment strategy to use to replace existing pods with new ones.
          DeploymentStrategy describes how to replace existing pods with new ones.

      FIELDS:
        rollingUpdate	<RollingUpdateDeployment>
          maxSurge	<IntOrString>
          maxUnavailable	<IntOrString>
        type	<string>
        enum: Recreate, RollingUpdate
      """

  Scenario: A misspelt field or type gets kubectl's error
    When I try to run "kubectl explain pod.spec.containers.livenessProbe.initialDelaySecond"
    Then the command fails with:
      """
      error: field "initialDelaySecond" does not exist
      """
    When I try to run "kubectl explain pdo"
    Then the command fails with:
      """
      the server doesn't have a resource type "pdo"
      """

  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#create-a-customresourcedefinition
  Scenario: A custom resource is explained from its CRD's schema
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        # name must match the spec fields below, and be in the form: <plural>.<group>
        name: crontabs.stable.example.com
      spec:
        # group name to use for REST API: /apis/<group>/<version>
        group: stable.example.com
        # list of versions supported by this CustomResourceDefinition
        versions:
          - name: v1
            # Each version can be enabled/disabled by Served flag.
            served: true
            # One and only one version must be marked as the storage version.
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      cronSpec:
                        type: string
                      image:
                        type: string
                      replicas:
                        type: integer
        # either Namespaced or Cluster
        scope: Namespaced
        names:
          # plural name to be used in the URL: /apis/<group>/<version>/<plural>
          plural: crontabs
          # singular name to be used as an alias on the CLI and for display
          singular: crontab
          # kind is normally the CamelCased singular type. Your resource manifests use this.
          kind: CronTab
          # shortNames allow shorter string to match your resource on the CLI
          shortNames:
          - ct
      """
    And 1s passes
    When I run "kubectl explain ct.spec"
    Then the output is:
      """
      GROUP:      stable.example.com
      KIND:       CronTab
      VERSION:    v1

      FIELD: spec <Object>


      DESCRIPTION:
          <empty>
      FIELDS:
        cronSpec	<string>
          <no description>

        image	<string>
          <no description>

        replicas	<integer>
          <no description>
      """
