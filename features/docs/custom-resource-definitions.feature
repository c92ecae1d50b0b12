Feature: Extend the Kubernetes API with CustomResourceDefinitions
  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
  #
  # A CustomResourceDefinition adds a resource to the API server: once Established, CronTab
  # objects apply, kubectl knows them by plural, singular, kind and short name, and the CRD's
  # structural schema prunes unknown fields, fills in defaults and validates values with the API
  # server's messages. additionalPrinterColumns choose the columns of `kubectl get`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#create-a-customresourcedefinition
  Scenario: The CronTab resource is served once the CRD is established
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
    Then customresourcedefinition "crontabs.stable.example.com" matches:
      """yaml
      status:
        acceptedNames:
          kind: CronTab
          listKind: CronTabList
          plural: crontabs
          shortNames: [ct]
          singular: crontab
        conditions:
        - type: NamesAccepted
          status: "True"
          reason: NoConflicts
          message: no conflicts found
        - type: Established
          status: "True"
          reason: InitialNamesAccepted
          message: the initial names have been accepted
        storedVersions: [v1]
      """
    When I run "kubectl api-resources --api-group=stable.example.com"
    Then the output is:
      """
      NAME       SHORTNAMES   APIVERSION              NAMESPACED   KIND
      crontabs   ct           stable.example.com/v1   true         CronTab
      """
    When I apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        cronSpec: "* * * * */5"
        image: my-awesome-cron-image
      """
    And 6 seconds pass
    And I run "kubectl get crontab"
    Then the output is:
      """
      NAME                 AGE
      my-new-cron-object   6s
      """
    When I run "kubectl get ct -o yaml"
    Then the output contains:
      """
      - apiVersion: stable.example.com/v1
        kind: CronTab
      """
    And the output contains:
      """
        spec:
          cronSpec: '* * * * */5'
          image: my-awesome-cron-image
      kind: List
      """
    # Deleting the CRD deletes its objects, and the resource is no longer served.
    When I run "kubectl delete crd crontabs.stable.example.com"
    And I try to run "kubectl get crontabs"
    Then the command fails with:
      """
      error: the server doesn't have a resource type "crontabs"
      """

  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation
  Scenario: Values outside the schema's pattern and maximum are refused
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              # openAPIV3Schema is the schema for validating custom objects.
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      cronSpec:
                        type: string
                        pattern: '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'
                      image:
                        type: string
                      replicas:
                        type: integer
                        minimum: 1
                        maximum: 10
        scope: Namespaced
        names:
          plural: crontabs
          singular: crontab
          kind: CronTab
          shortNames:
          - ct
      """
    And I try to apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        cronSpec: "* * * *"
        image: my-awesome-cron-image
        replicas: 15
      """
    Then the command fails with:
      """
      The CronTab "my-new-cron-object" is invalid: 
      * spec.cronSpec: Invalid value: "* * * *": spec.cronSpec in body should match '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'
      * spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10
      """
    When I apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        cronSpec: "* * * * */5"
        image: my-awesome-cron-image
        replicas: 5
      """
    Then crontab "my-new-cron-object" matches:
      """yaml
      spec:
        replicas: 5
      """

  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
  Scenario: Fields the schema does not declare are pruned (and refused by strict field validation)
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        versions:
          - name: v1
            served: true
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
        scope: Namespaced
        names:
          plural: crontabs
          singular: crontab
          kind: CronTab
          shortNames:
          - ct
      """
    And I try to apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        cronSpec: "* * * * */5"
        image: my-awesome-cron-image
        someRandomField: 42
      """
    Then the command fails with:
      """
      CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.someRandomField"
      """

  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
  # and https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#additional-printer-columns
  Scenario: Defaults fill in what the object leaves out, and the printer columns show them
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              # openAPIV3Schema is the schema for validating custom objects.
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      cronSpec:
                        type: string
                        pattern: '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'
                        default: "5 0 * * *"
                      image:
                        type: string
                      replicas:
                        type: integer
                        minimum: 1
                        maximum: 10
                        default: 1
            additionalPrinterColumns:
            - name: Spec
              type: string
              description: The cron spec defining the interval a CronJob is run
              jsonPath: .spec.cronSpec
            - name: Replicas
              type: integer
              description: The number of jobs launched by the CronJob
              jsonPath: .spec.replicas
            - name: Age
              type: date
              jsonPath: .metadata.creationTimestamp
        scope: Namespaced
        names:
          plural: crontabs
          singular: crontab
          kind: CronTab
          shortNames:
          - ct
      """
    And I apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        image: my-awesome-cron-image
      """
    And 7 seconds pass
    Then crontab "my-new-cron-object" matches:
      """yaml
      spec:
        cronSpec: "5 0 * * *"
        image: my-awesome-cron-image
        replicas: 1
      """
    When I run "kubectl get crontab my-new-cron-object"
    Then the output is:
      """
      NAME                 SPEC        REPLICAS   AGE
      my-new-cron-object   5 0 * * *   1          7s
      """

  # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
  # The page shows the schema's spec with its two rules; the CRD around it is the page's CronTab.
  # v1.32 reports the value of a failed rule by its schema type ("object"), where the page's
  # older output prints the whole map.
  Scenario: Validation rules: CEL expressions over self refuse what the schema's types allow
    When I apply the manifest:
      """yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                      - rule: "self.minReplicas <= self.replicas"
                        message: "replicas should be greater than or equal to minReplicas."
                      - rule: "self.replicas <= self.maxReplicas"
                        message: "replicas should be smaller than or equal to maxReplicas."
                    properties:
                      minReplicas:
                        type: integer
                      replicas:
                        type: integer
                      maxReplicas:
                        type: integer
                    required:
                      - minReplicas
                      - replicas
                      - maxReplicas
        scope: Namespaced
        names:
          plural: crontabs
          singular: crontab
          kind: CronTab
          shortNames:
          - ct
      """
    And I try to apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        minReplicas: 0
        replicas: 20
        maxReplicas: 10
      """
    Then the command fails with:
      """
      The CronTab "my-new-cron-object" is invalid: spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.
      """
    When I apply the manifest:
      """yaml
      apiVersion: "stable.example.com/v1"
      kind: CronTab
      metadata:
        name: my-new-cron-object
      spec:
        minReplicas: 0
        replicas: 5
        maxReplicas: 10
      """
    Then the output is:
      """
      crontab.stable.example.com/my-new-cron-object created
      """
