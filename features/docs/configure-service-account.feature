Feature: Configure Service Accounts for Pods
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
  #
  # Every namespace has a ServiceAccount named `default` (kube-controller-manager's serviceaccount
  # controller makes it with the namespace); a pod that names no account runs as it, and the
  # ServiceAccount admission plugin mounts the account's token, the cluster's CA and the namespace
  # at /var/run/secrets/kubernetes.io/serviceaccount. Tokens are JSON Web Tokens the API server
  # signs: `kubectl create token` asks for one (the TokenRequest API), the kubelet asks for the ones
  # it projects into pods, and the token controller fills Secrets of type
  # kubernetes.io/service-account-token. Where the page's output is "similar to" an example
  # (`SECRETS 1`, ages, uids), the scenarios assert what v1.32 prints.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Use the default service account to access the API server
    # "If you do not specify a ServiceAccount when you create a Pod, Kubernetes automatically
    # assigns the ServiceAccount named default in that namespace."
    When I run "kubectl run web --image=nginx --restart=Never"
    Then within 1 minute pod "web" is Running
    When I run "kubectl get pods/web -o yaml"
    Then the output contains:
      """
        serviceAccount: default
        serviceAccountName: default
      """
    And the output contains:
      """
          - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
            name: kube-api-access-
      """
    # The token the kubelet projects is bound to the pod and its node; the API server extends its
    # 3607 s lifetime to a year and warns after the hour (the page's example payload).
    When I run "kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/token"
    Then the output is a JSON Web Token whose claims include:
      """
      {
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {
          "namespace": "default",
          "node": {"name": "k8s-node1"},
          "pod": {"name": "web"},
          "serviceaccount": {"name": "default"}
        },
        "sub": "system:serviceaccount:default:default"
      }
      """
    And the output is a JSON Web Token valid for 365 days
    When I run "kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace"
    Then the output is:
      """
      default
      """
    When I run "kubectl exec web -- ls /var/run/secrets/kubernetes.io/serviceaccount"
    Then the output is:
      """
      ca.crt
      namespace
      token
      """

  Scenario: Opt out of API credential automounting, on the ServiceAccount or on the Pod
    # The page's two snippets end in `...`; here each is complete.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: build-robot
      automountServiceAccountToken: false
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: my-pod
      spec:
        serviceAccountName: build-robot
        automountServiceAccountToken: false
        containers:
        - name: nginx
          image: nginx
      """
    Then within 1 minute pod "my-pod" is Running
    When I run "kubectl get pod my-pod -o jsonpath={.spec.volumes}"
    Then the output is:
      """
      """
    When I try to run "kubectl exec my-pod -- cat /var/run/secrets/kubernetes.io/serviceaccount/token"
    Then the command fails with:
      """
      No such file or directory
      """
    # "If both the ServiceAccount and the Pod's .spec specify a value for
    # automountServiceAccountToken, the Pod spec takes precedence."
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: my-other-pod
      spec:
        serviceAccountName: build-robot
        automountServiceAccountToken: true
        containers:
        - name: nginx
          image: nginx
      """
    Then within 1 minute pod "my-other-pod" is Running
    When I run "kubectl exec my-other-pod -- cat /var/run/secrets/kubernetes.io/serviceaccount/token"
    Then the output is a JSON Web Token whose claims include:
      """
      {"sub": "system:serviceaccount:default:build-robot", "kubernetes.io": {"pod": {"name": "my-other-pod"}}}
      """

  Scenario: Use more than one ServiceAccount
    When I run "kubectl get serviceaccounts"
    Then the output is:
      """
      NAME      SECRETS   AGE
      default   0         0s
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: build-robot
      """
    Then the output is:
      """
      serviceaccount/build-robot created
      """
    When I run "kubectl get serviceaccounts/build-robot -o yaml"
    Then the output contains:
      """
      apiVersion: v1
      kind: ServiceAccount
      metadata:
      """
    And the output contains:
      """
        name: build-robot
        namespace: default
      """
    And the output does not contain:
      """
      secrets:
      """
    When I run "kubectl describe serviceaccount build-robot"
    Then the output is:
      """
      Name:                build-robot
      Namespace:           default
      Labels:              <none>
      Annotations:         <none>
      Image pull secrets:  <none>
      Mountable secrets:   <none>
      Tokens:              <none>
      Events:              <none>
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: robot-pod
      spec:
        serviceAccountName: build-robot
        containers:
        - name: nginx
          image: nginx
      """
    Then within 1 minute pod "robot-pod" is Running
    When I run "kubectl get pod robot-pod -o jsonpath={.spec.serviceAccountName}"
    Then the output is:
      """
      build-robot
      """
    # "You cannot update the .spec.serviceAccountName field of a Pod that already exists."
    When I try to run "kubectl patch pod robot-pod -p '{\"spec\":{\"serviceAccountName\":\"default\"}}'"
    Then the command fails with:
      """
      The Pod "robot-pod" is invalid: spec: Forbidden: pod updates may not change fields other than
      """
    When I run "kubectl delete serviceaccount/build-robot"
    Then the output is:
      """
      serviceaccount "build-robot" deleted
      """

  Scenario: The ServiceAccount a pod names must exist: the API server refuses the pod, and a ReplicaSet reports why
    When I try to run "kubectl run lonely --image=nginx --restart=Never --overrides='{\"spec\":{\"serviceAccountName\":\"build-robot\"}}'"
    Then the command fails with:
      """
      Error from server (Forbidden): pods "lonely" is forbidden: error looking up service account default/build-robot: serviceaccount "build-robot" not found
      """
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: robots
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: robots
        template:
          metadata:
            labels:
              app: robots
          spec:
            serviceAccountName: build-robot
            containers:
            - name: nginx
              image: nginx
      """
    And 5 seconds pass
    And I run "kubectl get events --field-selector reason=FailedCreate -o jsonpath={.items[0].message}"
    Then the output is:
      """
      Error creating: pods "robots-6c4b57fddc-" is forbidden: error looking up service account default/build-robot: serviceaccount "build-robot" not found
      """
    When I run "kubectl get replicasets -l app=robots -o jsonpath={.items[0].status.conditions[0].reason}"
    Then the output is:
      """
      FailedCreate
      """

  Scenario: A new namespace has its default ServiceAccount, and a deleted one comes back
    When I run "kubectl create namespace team-a"
    And I run "kubectl get serviceaccounts -n team-a"
    Then the output is:
      """
      NAME      SECRETS   AGE
      default   0         0s
      """
    When I run "kubectl delete serviceaccount default -n team-a"
    And 1 second passes
    And I run "kubectl get serviceaccounts -n team-a"
    Then the output is:
      """
      NAME      SECRETS   AGE
      default   0         1s
      """

  Scenario: Manually create an API token for a ServiceAccount
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: build-robot
      """
    # "The output from that command is a token that you can use to authenticate as that
    # ServiceAccount."
    And I run "kubectl create token build-robot"
    Then the output is a JSON Web Token whose claims include:
      """
      {
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {"namespace": "default", "serviceaccount": {"name": "build-robot"}},
        "sub": "system:serviceaccount:default:build-robot"
      }
      """
    And the output is a JSON Web Token valid for 1 hour
    # "You can request a specific token duration using the --duration command line argument."
    When I run "kubectl create token build-robot --duration 10m"
    Then the output is a JSON Web Token valid for 10 minutes
    When I try to run "kubectl create token build-robot --duration 1m"
    Then the command fails with:
      """
      error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes
      """
    # A token bound to a Node is valid until it expires or the Node or the ServiceAccount is deleted.
    When I run "kubectl create token build-robot --bound-object-kind Node --bound-object-name k8s-node1"
    Then the output is a JSON Web Token whose claims include:
      """
      {"kubernetes.io": {"node": {"name": "k8s-node1"}, "serviceaccount": {"name": "build-robot"}}}
      """
    When I try to run "kubectl create token robot-that-is-not-there"
    Then the command fails with:
      """
      error: failed to create token: serviceaccounts "robot-that-is-not-there" not found
      """

  Scenario: Manually create a long-lived API token for a ServiceAccount
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: build-robot
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Secret
      metadata:
        name: build-robot-secret
        annotations:
          kubernetes.io/service-account.name: build-robot
      type: kubernetes.io/service-account-token
      """
    And I run "kubectl get secret/build-robot-secret -o yaml"
    Then the output contains:
      """
        ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
      """
    And the output contains:
      """
        namespace: ZGVmYXVsdA==
        token: ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNk
      """
    When I run "kubectl describe secrets/build-robot-secret"
    Then the output contains:
      """
      Name:         build-robot-secret
      Namespace:    default
      Labels:       <none>
      Annotations:  kubernetes.io/service-account.name: build-robot
                    kubernetes.io/service-account.uid: 
      """
    And the output contains:
      """
      Type:  kubernetes.io/service-account-token

      Data
      ====
      ca.crt:     1070 bytes
      namespace:  7 bytes
      token:      eyJhbGciOiJSUzI1NiIsImtpZCI6
      """
    # The Secret's token is a legacy one: issuer kubernetes/serviceaccount, no expiry.
    When I run:
      """
      kubectl get secret build-robot-secret -o jsonpath={.data.token} | base64 --decode
      """
    Then the output is a JSON Web Token whose claims include:
      """
      {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "default",
        "kubernetes.io/serviceaccount/secret.name": "build-robot-secret",
        "kubernetes.io/serviceaccount/service-account.name": "build-robot",
        "sub": "system:serviceaccount:default:build-robot"
      }
      """
    # "You can't see the build-robot-secret Secret in the ServiceAccount API objects .secrets field
    # because that field is only populated with auto-generated Secrets." describe lists it as a token.
    When I run "kubectl get serviceaccount build-robot -o jsonpath={.secrets}"
    Then the output is:
      """
      """
    When I run "kubectl describe serviceaccount build-robot"
    Then the output contains:
      """
      Tokens:              build-robot-secret
      """
    # "When you delete a ServiceAccount that has an associated Secret, the Kubernetes control plane
    # automatically cleans up the long-lived token from that Secret."
    When I run "kubectl delete serviceaccount build-robot"
    And 1 second passes
    And I try to run "kubectl get secret build-robot-secret"
    Then the command fails with:
      """
      Error from server (NotFound): secrets "build-robot-secret" not found
      """

  Scenario: Add ImagePullSecrets to a service account
    When I run "kubectl create secret docker-registry myregistrykey --docker-server=DUMMY_SERVER --docker-username=DUMMY_USERNAME --docker-password=DUMMY_DOCKER_PASSWORD --docker-email=DUMMY_DOCKER_EMAIL"
    And I run "kubectl get secrets myregistrykey"
    Then the output is:
      """
      NAME            TYPE                             DATA   AGE
      myregistrykey   kubernetes.io/dockerconfigjson   1      0s
      """
    When I run:
      """
      kubectl patch serviceaccount default -p '{"imagePullSecrets": [{"name": "myregistrykey"}]}'
      """
    Then the output is:
      """
      serviceaccount/default patched
      """
    When I run "kubectl get serviceaccount default -o yaml"
    Then the output contains:
      """
      imagePullSecrets:
      - name: myregistrykey
      """
    When I run "kubectl describe serviceaccount default"
    Then the output contains:
      """
      Image pull secrets:  myregistrykey
      Mountable secrets:   <none>
      """
    # "When a new Pod is created in the current namespace and using the default ServiceAccount, the
    # new Pod has its spec.imagePullSecrets field set automatically."
    When I run "kubectl run nginx --image=nginx --restart=Never"
    And I run:
      """
      kubectl get pod nginx -o=jsonpath='{.spec.imagePullSecrets[0].name}{"\n"}'
      """
    Then the output is:
      """
      myregistrykey
      """

  Scenario: Launch a Pod using service account token projection
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: build-robot
      """
    And I run "kubectl create -f https://k8s.io/examples/pods/pod-projected-svc-token.yaml"
    Then the output is:
      """
      pod/nginx created
      """
    And within 1 minute pod "nginx" is Running
    # "To provide a Pod with a token with an audience of vault and a validity duration of two hours"
    When I run "kubectl exec nginx -- cat /var/run/secrets/tokens/vault-token"
    Then the output is a JSON Web Token whose claims include:
      """
      {
        "aud": ["vault"],
        "kubernetes.io": {
          "namespace": "default",
          "node": {"name": "k8s-node1"},
          "pod": {"name": "nginx"},
          "serviceaccount": {"name": "build-robot"}
        },
        "sub": "system:serviceaccount:default:build-robot"
      }
      """
    And the output is a JSON Web Token valid for 2 hours
    # The pod also gets the default token volume, for the API server.
    When I run "kubectl exec nginx -- cat /var/run/secrets/kubernetes.io/serviceaccount/token"
    Then the output is a JSON Web Token whose claims include:
      """
      {"aud": ["https://kubernetes.default.svc.cluster.local"], "sub": "system:serviceaccount:default:build-robot"}
      """
