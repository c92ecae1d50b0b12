Feature: Using RBAC Authorization
  # Source: https://kubernetes.io/docs/reference/access-authn-authz/rbac/
  #
  # Role-based access control: Roles and ClusterRoles hold rules (verbs on resources, or on
  # non-resource URLs), RoleBindings and ClusterRoleBindings grant them to users, groups and
  # service accounts. The manifests are the page's, verbatim. Who may do what is asked as the page
  # suggests, with `kubectl auth can-i` and kubectl's `--as` impersonation: the scenario's kubectl is
  # kind's admin (`kubernetes-admin`, bound to cluster-admin), which may act as any user.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A Role grants read access to pods in its namespace; a RoleBinding grants it to jane
    When I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        namespace: default
        name: pod-reader
      rules:
      - apiGroups: [""] # "" indicates the core API group
        resources: ["pods"]
        verbs: ["get", "watch", "list"]
      """
    And I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      # This role binding allows "jane" to read pods in the "default" namespace.
      # You need to already have a Role named "pod-reader" in that namespace.
      kind: RoleBinding
      metadata:
        name: read-pods
        namespace: default
      subjects:
      # You can specify more than one "subject"
      - kind: User
        name: jane # "name" is case sensitive
        apiGroup: rbac.authorization.k8s.io
      roleRef:
        # "roleRef" specifies the binding to a Role / ClusterRole
        kind: Role #this must be Role or ClusterRole
        name: pod-reader # this must match the name of the Role or ClusterRole you wish to bind to
        apiGroup: rbac.authorization.k8s.io
      """
    When I run "kubectl auth can-i list pods --as=jane"
    Then the output is:
      """
      yes
      """
    # Only in the RoleBinding's namespace, and only what the Role says.
    When I try to run "kubectl auth can-i list pods --as=jane --namespace=kube-system"
    Then the output is:
      """
      no
      """
    When I try to run "kubectl auth can-i delete pods --as=jane"
    Then the output is:
      """
      no
      """
    When I run "kubectl get pods --as=jane"
    Then the error output is:
      """
      No resources found in default namespace.
      """
    When I try to run "kubectl get pods --as=jane --namespace=kube-system"
    Then the command fails with:
      """
      Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "kube-system"
      """
    When I run "kubectl describe role pod-reader"
    Then the output is:
      """
      Name:         pod-reader
      Labels:       <none>
      Annotations:  <none>
      PolicyRule:
        Resources  Non-Resource URLs  Resource Names  Verbs
        pods       []                 []              [get watch list]
      """
    When I run "kubectl describe rolebinding read-pods"
    Then the output is:
      """
      Name:         read-pods
      Labels:       <none>
      Annotations:  <none>
      Role:
        Kind:  Role
        Name:  pod-reader
      Subjects:
        Kind  Name  Namespace
        User  jane  
      """

  Scenario: A ClusterRole bound by a RoleBinding grants only in the binding's namespace; a ClusterRoleBinding everywhere
    When I run "kubectl create namespace development"
    And I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        # "namespace" omitted since ClusterRoles are not namespaced
        name: secret-reader
      rules:
      - apiGroups: [""]
        #
        # at the HTTP level, the name of the resource for accessing Secret
        # objects is "secrets"
        resources: ["secrets"]
        verbs: ["get", "watch", "list"]
      """
    And I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      # This role binding allows "dave" to read secrets in the "development" namespace.
      # You need to already have a ClusterRole named "secret-reader".
      kind: RoleBinding
      metadata:
        name: read-secrets
        #
        # The namespace of the RoleBinding determines where the permissions are granted.
        # This only grants permissions within the "development" namespace.
        namespace: development
      subjects:
      - kind: User
        name: dave # Name is case sensitive
        apiGroup: rbac.authorization.k8s.io
      roleRef:
        kind: ClusterRole
        name: secret-reader
        apiGroup: rbac.authorization.k8s.io
      """
    When I run "kubectl auth can-i get secrets --as=dave --namespace=development"
    Then the output is:
      """
      yes
      """
    When I try to run "kubectl auth can-i get secrets --as=dave --namespace=default"
    Then the output is:
      """
      no
      """
    # Names are case sensitive.
    When I try to run "kubectl auth can-i get secrets --as=Dave --namespace=development"
    Then the output is:
      """
      no
      """
    When I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      # This cluster role binding allows anyone in the "manager" group to read secrets in any namespace.
      kind: ClusterRoleBinding
      metadata:
        name: read-secrets-global
      subjects:
      - kind: Group
        name: manager # Name is case sensitive
        apiGroup: rbac.authorization.k8s.io
      roleRef:
        kind: ClusterRole
        name: secret-reader
        apiGroup: rbac.authorization.k8s.io
      """
    When I run "kubectl auth can-i list secrets --all-namespaces --as=erin --as-group=manager"
    Then the output is:
      """
      yes
      """
    When I try to run "kubectl auth can-i list secrets --all-namespaces --as=erin"
    Then the output is:
      """
      no
      """
    # "After you create a binding, you cannot change the Role or ClusterRole that it refers to."
    When I try to run "kubectl patch rolebinding read-secrets -n development --type=merge -p '{\"roleRef\":{\"name\":\"view\"}}'"
    Then the command fails with:
      """
      roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef
      """

  Scenario: Referring to resources: a subresource, and one object by name
    When I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        namespace: default
        name: pod-and-pod-logs-reader
      rules:
      - apiGroups: [""]
        resources: ["pods", "pods/log"]
        verbs: ["get", "list"]
      """
    And I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        namespace: default
        name: configmap-updater
      rules:
      - apiGroups: [""]
        #
        # at the HTTP level, the name of the resource for accessing ConfigMap
        # objects is "configmaps"
        resources: ["configmaps"]
        resourceNames: ["my-configmap"]
        verbs: ["update", "get"]
      """
    And I run "kubectl create rolebinding readers --role=pod-and-pod-logs-reader --user=alice@example.com"
    Then the output is:
      """
      rolebinding.rbac.authorization.k8s.io/readers created
      """
    When I run "kubectl create rolebinding updaters --role=configmap-updater --user=alice@example.com"
    And I run "kubectl auth can-i get pods --subresource=log --as=alice@example.com"
    Then the output is:
      """
      yes
      """
    When I try to run "kubectl auth can-i get pods --subresource=exec --as=alice@example.com"
    Then the output is:
      """
      no
      """
    When I run "kubectl auth can-i update configmaps/my-configmap --as=alice@example.com"
    Then the output is:
      """
      yes
      """
    # A rule with resourceNames matches no request without that name: not list, create or another name.
    When I try to run "kubectl auth can-i update configmaps/other --as=alice@example.com"
    Then the output is:
      """
      no
      """
    When I try to run "kubectl auth can-i list configmaps --as=alice@example.com"
    Then the output is:
      """
      no
      """

  Scenario: Aggregated ClusterRoles: the control plane fills in the rules
    When I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: monitoring
      aggregationRule:
        clusterRoleSelectors:
        - matchLabels:
            rbac.example.com/aggregate-to-monitoring: "true"
      rules: [] # The control plane automatically fills in the rules
      """
    And I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: monitoring-endpoints
        labels:
          rbac.example.com/aggregate-to-monitoring: "true"
      # When you create the "monitoring-endpoints" ClusterRole,
      # the rules below will be added to the "monitoring" ClusterRole.
      rules:
      - apiGroups: [""]
        resources: ["services", "endpoints", "pods"]
        verbs: ["get", "list", "watch"]
      """
    When I run "kubectl describe clusterrole monitoring"
    Then the output is:
      """
      Name:         monitoring
      Labels:       <none>
      Annotations:  <none>
      PolicyRule:
        Resources  Non-Resource URLs  Resource Names  Verbs
        endpoints  []                 []              [get list watch]
        pods       []                 []              [get list watch]
        services   []                 []              [get list watch]
      """
    # The default user-facing roles aggregate too: these let admin and edit manage CronTabs, view read
    # them. The CronTab resource is the one of the CustomResourceDefinition page.
    # Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#create-a-customresourcedefinition
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
    When I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: aggregate-cron-tabs-edit
        labels:
          # Add these permissions to the "admin" and "edit" default roles.
          rbac.authorization.k8s.io/aggregate-to-admin: "true"
          rbac.authorization.k8s.io/aggregate-to-edit: "true"
      rules:
      - apiGroups: ["stable.example.com"]
        resources: ["crontabs"]
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
      ---
      kind: ClusterRole
      apiVersion: rbac.authorization.k8s.io/v1
      metadata:
        name: aggregate-cron-tabs-view
        labels:
          # Add these permissions to the "view" default role.
          rbac.authorization.k8s.io/aggregate-to-view: "true"
      rules:
      - apiGroups: ["stable.example.com"]
        resources: ["crontabs"]
        verbs: ["get", "list", "watch"]
      """
    And I run "kubectl create rolebinding cron-viewer --clusterrole=view --user=viewer"
    And I run "kubectl create rolebinding cron-editor --clusterrole=edit --user=editor"
    When I try to run "kubectl auth can-i create crontabs.stable.example.com --as=viewer"
    Then the output is:
      """
      no
      """
    When I run "kubectl auth can-i create crontabs.stable.example.com --as=editor"
    Then the output is:
      """
      yes
      """
    When I run "kubectl auth can-i watch crontabs.stable.example.com --as=viewer"
    Then the output is:
      """
      yes
      """

  Scenario: Default roles and role bindings are labeled kubernetes.io/bootstrapping=rbac-defaults
    When I run "kubectl describe clusterrolebinding cluster-admin"
    Then the output is:
      """
      Name:         cluster-admin
      Labels:       kubernetes.io/bootstrapping=rbac-defaults
      Annotations:  rbac.authorization.kubernetes.io/autoupdate: true
      Role:
        Kind:  ClusterRole
        Name:  cluster-admin
      Subjects:
        Kind   Name            Namespace
        Group  system:masters  
      """
    # Discovery and the review APIs are for every authenticated user (system:basic-user,
    # system:discovery, system:public-info-viewer); nothing else.
    When I run "kubectl auth can-i --list --as=nobody"
    Then the output is:
      """
      Resources                                       Non-Resource URLs   Resource Names   Verbs
      selfsubjectreviews.authentication.k8s.io        []                  []               [create]
      selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
      selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
                                                      [/api/*]            []               [get]
                                                      [/api]              []               [get]
                                                      [/apis/*]           []               [get]
                                                      [/apis]             []               [get]
                                                      [/healthz]          []               [get]
                                                      [/healthz]          []               [get]
                                                      [/livez]            []               [get]
                                                      [/livez]            []               [get]
                                                      [/openapi/*]        []               [get]
                                                      [/openapi]          []               [get]
                                                      [/readyz]           []               [get]
                                                      [/readyz]           []               [get]
                                                      [/version/]         []               [get]
                                                      [/version/]         []               [get]
                                                      [/version]          []               [get]
                                                      [/version]          []               [get]
      """
    # kind's admin: kubeadm's kubeadm:cluster-admins group, bound to cluster-admin.
    When I run "kubectl auth whoami"
    Then the output is:
      """
      ATTRIBUTE   VALUE
      Username    kubernetes-admin
      Groups      [kubeadm:cluster-admins system:authenticated]
      """
    When I run "kubectl auth can-i '*' '*'"
    Then the output is:
      """
      yes
      """

  Scenario: Privilege escalation prevention: bind only the roles you hold or may bind
    When I run "kubectl create namespace user-1-namespace"
    And I apply the manifest:
      """yaml
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: role-grantor
      rules:
      - apiGroups: ["rbac.authorization.k8s.io"]
        resources: ["rolebindings"]
        verbs: ["create"]
      - apiGroups: ["rbac.authorization.k8s.io"]
        resources: ["clusterroles"]
        verbs: ["bind"]
        # omit resourceNames to allow binding any ClusterRole
        resourceNames: ["admin","edit","view"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: role-grantor-binding
        namespace: user-1-namespace
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: role-grantor
      subjects:
      - apiGroup: rbac.authorization.k8s.io
        kind: User
        name: user-1
      """
    When I run "kubectl create rolebinding user-2-edit --clusterrole=edit --user=user-2 --namespace=user-1-namespace --as=user-1"
    Then the output is:
      """
      rolebinding.rbac.authorization.k8s.io/user-2-edit created
      """
    When I try to run "kubectl create rolebinding user-2-admin --clusterrole=cluster-admin --user=user-2 --namespace=user-1-namespace --as=user-1"
    Then the command fails with:
      """
      error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "user-2-admin" is forbidden: user "user-1" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:
      {APIGroups:["*"], Resources:["*"], Verbs:["*"]}
      """
    When I try to run "kubectl create rolebinding user-2-edit --clusterrole=edit --user=user-2 --namespace=default --as=user-1"
    Then the command fails with:
      """
      error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io is forbidden: User "user-1" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "default"
      """

  Scenario: Command-line utilities: kubectl create role, clusterrole, rolebinding and clusterrolebinding
    When I run "kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods"
    Then the output is:
      """
      role.rbac.authorization.k8s.io/pod-reader created
      """
    When I run "kubectl create role foo --verb=get,list,watch --resource=replicasets.apps"
    And I run "kubectl create role my-component-lease-holder --verb=get,list,watch,update --resource=lease --resource-name=my-component"
    And I run "kubectl describe role my-component-lease-holder"
    Then the output is:
      """
      Name:         my-component-lease-holder
      Labels:       <none>
      Annotations:  <none>
      PolicyRule:
        Resources                   Non-Resource URLs  Resource Names  Verbs
        leases.coordination.k8s.io  []                 [my-component]  [get list watch update]
      """
    When I run "kubectl create role bar --verb=get,list,watch --resource=pods,pods/status --dry-run=client -o yaml"
    Then the output is:
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        creationTimestamp: null
        name: bar
      rules:
      - apiGroups:
        - ""
        resources:
        - pods
        - pods/status
        verbs:
        - get
        - list
        - watch
      """
    When I run:
      """
      kubectl create clusterrole "foo" --verb=get --non-resource-url=/logs/*
      """
    Then the output is:
      """
      clusterrole.rbac.authorization.k8s.io/foo created
      """
    When I run:
      """
      kubectl create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"
      """
    Then the output is:
      """
      clusterrole.rbac.authorization.k8s.io/monitoring created
      """
    When I run "kubectl create namespace acme"
    And I run "kubectl create rolebinding bob-admin-binding --clusterrole=admin --user=bob --namespace=acme"
    And I run "kubectl create rolebinding myapp-view-binding --clusterrole=view --serviceaccount=acme:myapp --namespace=acme"
    And I run "kubectl create clusterrolebinding root-cluster-admin-binding --clusterrole=cluster-admin --user=root"
    Then the output is:
      """
      clusterrolebinding.rbac.authorization.k8s.io/root-cluster-admin-binding created
      """
    When I run "kubectl auth can-i delete deployments.apps --as=bob --namespace=acme"
    Then the output is:
      """
      yes
      """
    When I try to run "kubectl auth can-i delete deployments.apps --as=system:serviceaccount:acme:myapp --namespace=acme"
    Then the output is:
      """
      no
      """
    When I run "kubectl auth can-i list nodes --as=root"
    Then the output is:
      """
      yes
      """
    And the error output contains:
      """
      Warning: resource 'nodes' is not namespace scoped
      """
    When I try to run "kubectl create role empty --verb=get"
    Then the command fails with:
      """
      error: at least one resource must be specified
      """
    When I try to run "kubectl create rolebinding both --role=a --clusterrole=b"
    Then the command fails with:
      """
      error: exactly one of clusterrole or role must be specified
      """

  Scenario: ServiceAccount permissions: none outside kube-system until granted
    When I run "kubectl create namespace my-namespace"
    And I run "kubectl create serviceaccount my-sa --namespace=my-namespace"
    When I try to run "kubectl get pods --namespace=my-namespace --as=system:serviceaccount:my-namespace:my-sa"
    Then the command fails with:
      """
      Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:my-namespace:my-sa" cannot list resource "pods" in API group "" in the namespace "my-namespace"
      """
    When I run:
      """
      kubectl create rolebinding my-sa-view \
        --clusterrole=view \
        --serviceaccount=my-namespace:my-sa \
        --namespace=my-namespace
      """
    Then the output is:
      """
      rolebinding.rbac.authorization.k8s.io/my-sa-view created
      """
    When I run "kubectl get pods --namespace=my-namespace --as=system:serviceaccount:my-namespace:my-sa"
    Then the error output is:
      """
      No resources found in my-namespace namespace.
      """
    When I try to run "kubectl get secrets --namespace=my-namespace --as=system:serviceaccount:my-namespace:my-sa"
    Then the command fails with:
      """
      Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:my-namespace:my-sa" cannot list resource "secrets" in API group "" in the namespace "my-namespace"
      """
    When I run "kubectl auth whoami --as=system:serviceaccount:my-namespace:my-sa"
    Then the output is:
      """
      ATTRIBUTE   VALUE
      Username    system:serviceaccount:my-namespace:my-sa
      Groups      [system:serviceaccounts system:serviceaccounts:my-namespace system:authenticated]
      """
    # All service accounts of a namespace, by their group.
    When I run:
      """
      kubectl create rolebinding serviceaccounts-view \
        --clusterrole=view \
        --group=system:serviceaccounts:my-namespace \
        --namespace=my-namespace
      """
    Then I run "kubectl auth can-i list pods --namespace=my-namespace --as=system:serviceaccount:my-namespace:default"
    And the output is:
      """
      yes
      """
