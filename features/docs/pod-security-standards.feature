@parity
Feature: Pod Security Standards: what baseline forbids and what restricted requires
  # Source: https://kubernetes.io/docs/concepts/security/pod-security-standards/
  #
  # The page defines three policies: Privileged ("entirely unrestricted"), Baseline ("minimally
  # restrictive policy while preventing known privilege escalations. Allows the default (minimally
  # specified) Pod configuration") and Restricted ("following current Pod hardening best
  # practices"), each control with its restricted fields and allowed values. Pod Security
  # Admission enforces them as v1.32's k8s.io/pod-security-admission checks them; a namespace
  # labelled `pod-security.kubernetes.io/enforce=<level>` refuses a pod with every control it
  # fails, in the checks' order.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace baseline-ns"
    And I run "kubectl label ns baseline-ns pod-security.kubernetes.io/enforce=baseline"
    And I run "kubectl create namespace restricted-ns"
    And I run "kubectl label ns restricted-ns pod-security.kubernetes.io/enforce=restricted"

  Scenario: Baseline allows the default, minimally specified pod
    When I run "kubectl run web -n baseline-ns --image=nginx"
    Then the output is:
      """
      pod/web created
      """
    And the error output is:
      """
      """

  Scenario: Baseline forbids host namespaces, privileged containers, added capabilities, hostPath volumes, host ports and unsafe sysctls
    When I try to apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: node-agent
        namespace: baseline-ns
      spec:
        hostNetwork: true
        hostPID: true
        securityContext:
          sysctls:
          - name: kernel.msgmax
            value: "65536"
        containers:
        - name: agent
          image: busybox
          command: ["sleep", "3600"]
          ports:
          - containerPort: 9100
            hostPort: 9100
          securityContext:
            privileged: true
            capabilities:
              add: ["NET_ADMIN", "SYS_TIME"]
          volumeMounts:
          - name: root
            mountPath: /host
        volumes:
        - name: root
          hostPath:
            path: /
      """
    Then the command fails with:
      """
      pods "node-agent" is forbidden: violates PodSecurity "baseline:latest": non-default capabilities (container "agent" must not include "NET_ADMIN", "SYS_TIME" in securityContext.capabilities.add), host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "root"), hostPort (container "agent" uses hostPort 9100), privileged (container "agent" must not set securityContext.privileged=true), forbidden sysctls (kernel.msgmax)
      """

  Scenario: Restricted requires no privilege escalation, non-root, a seccomp profile and dropping all capabilities
    When I try to run "kubectl run web -n restricted-ns --image=nginx"
    Then the command fails with:
      """
      Error from server (Forbidden): pods "web" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: hardened
        namespace: restricted-ns
      spec:
        securityContext:
          runAsNonRoot: true
          runAsUser: 1000
          seccompProfile:
            type: RuntimeDefault
        containers:
        - name: app
          image: busybox
          command: ["sleep", "3600"]
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
              add: ["NET_BIND_SERVICE"]
          volumeMounts:
          - name: scratch
            mountPath: /scratch
        volumes:
        - name: scratch
          emptyDir: {}
      """
    And 10 seconds pass
    And I run "kubectl get pod hardened -n restricted-ns"
    Then the output is:
      """
      NAME       READY   STATUS    RESTARTS   AGE
      hardened   1/1     Running   0          10s
      """

  Scenario: Restricted limits volume types and forbids running as user 0
    When I try to apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: root-nfs
        namespace: restricted-ns
      spec:
        securityContext:
          runAsNonRoot: true
          runAsUser: 0
          seccompProfile:
            type: RuntimeDefault
        containers:
        - name: app
          image: busybox
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
        volumes:
        - name: data
          nfs:
            server: nfs.example.com
            path: /exports
      """
    Then the command fails with:
      """
      violates PodSecurity "restricted:latest": restricted volume types (volume "data" uses restricted volume type "nfs"), runAsUser=0 (pod must not set runAsUser=0)
      """
