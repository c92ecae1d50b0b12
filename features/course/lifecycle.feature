@epic:Course @feature:Lifecycle @parity
Feature: Pod lifecycle — phases, conditions and container states
  A pod starts Pending. Once it is scheduled, the node's kubelet pulls its images, runs its init
  containers one after another, then its containers. The pod's `status` tells the story: the
  `phase` sums the pod up (Pending, Running, Succeeded, Failed), the `conditions` say which steps
  are done (PodScheduled, Initialized, ContainersReady, Ready), and each container has a `state`
  (waiting, running, terminated) with a reason (ContainerCreating, CrashLoopBackOff, Error,
  Completed...). A pod can be Running while one of its containers is not: watch both.

  Background:
    Given the time is "2019-09-26T22:07:56Z"
    And a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A new pod is Pending while its image is pulled, then Running with every condition True
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-lifecycle
      spec:
        containers:
        - name: container
          image: tmkube/init
      """
    And 1 second passes
    Then pod "pod-lifecycle" is Pending
    And container "container" of pod "pod-lifecycle" is waiting with reason "ContainerCreating"
    And pod "pod-lifecycle" matches:
      """yaml
      status:
        phase: Pending
        conditions:
        - {type: Initialized, status: "True"}
        - {type: PodScheduled, status: "True"}
        - {type: ContainersReady, status: "False", reason: ContainersNotReady, message: "containers with unready status: [container]"}
        - {type: Ready, status: "False", reason: ContainersNotReady}
        containerStatuses:
        - name: container
          state: {waiting: {reason: ContainerCreating}}
          ready: false
          restartCount: 0
          image: tmkube/init
          imageID: ""
          started: false
      """
    When 5 seconds pass
    Then pod "pod-lifecycle" is Running
    And container "container" of pod "pod-lifecycle" is running
    And pod "pod-lifecycle" matches:
      """yaml
      status:
        conditions:
        - {type: PodReadyToStartContainers, status: "True"}
        - {type: Initialized, status: "True"}
        - {type: ContainersReady, status: "True"}
        - {type: Ready, status: "True"}
        - {type: PodScheduled, status: "True"}
        containerStatuses:
        - {name: container, ready: true, started: true, restartCount: 0}
      """

  Scenario: Init containers wait for a Service, and a typo in a script fails as a real shell fails
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: myapp-pod
        labels:
          app: myapp
      spec:
        containers:
        - name: myapp-container
          image: busybox:1.28
          command: ['sh', '-c', 'echo The app is running! && sleep 3600']
        initContainers:
        - name: init-myservice
          image: busybox:1.28
          command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;']
        - name: init-mydb
          image: busybox:1.28
          command: ['sh', '-c', 'unitl mslookup mydb; do echo waiting for mydb; sleep 2; done;']
      """
    And 10 seconds pass
    Then pod "myapp-pod" is Pending
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME        READY   STATUS     RESTARTS   AGE
      myapp-pod   0/1     Init:0/2   0          10s
      """
    And container "init-myservice" of pod "myapp-pod" is running
    And container "myapp-container" of pod "myapp-pod" is waiting with reason "PodInitializing"
    And the logs of container "init-myservice" of pod "myapp-pod" contain:
      """
      waiting for myservice
      """
    And pod "myapp-pod" matches:
      """yaml
      status:
        conditions:
        - type: Initialized
          status: "False"
          reason: ContainersNotInitialized
          message: "containers with incomplete status: [init-myservice init-mydb]"
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: myservice
      spec:
        ports:
        - protocol: TCP
          port: 80
          targetPort: 9376
      """
    And 30 seconds pass
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME        READY   STATUS                  RESTARTS      AGE
      myapp-pod   0/1     Init:CrashLoopBackOff   2 (17s ago)   40s
      """
    Then container "init-myservice" of pod "myapp-pod" is terminated with reason "Completed"
    And container "init-mydb" of pod "myapp-pod" is waiting with reason "CrashLoopBackOff"
    And the logs of container "init-mydb" of pod "myapp-pod" contain:
      """
      sh: syntax error: unexpected "do"
      """
    And pod "myapp-pod" is Pending
    And pod "myapp-pod" matches:
      """yaml
      status:
        conditions:
        - type: Initialized
          status: "False"
          reason: ContainersNotInitialized
          message: "containers with incomplete status: [init-mydb]"
        initContainerStatuses:
        - name: init-mydb
          lastState:
            terminated: {exitCode: 2, reason: Error}
      """

  Scenario: A crashing container goes into CrashLoopBackOff while the pod stays Running, not Ready
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-crash
      spec:
        containers:
        - name: app
          image: busybox
          command: ['sh', '-c', 'echo starting; sleep 5; echo oops; exit 1']
      """
    And 20 seconds pass
    Then pod "pod-crash" is Running
    And container "app" of pod "pod-crash" is terminated with reason "Error"
    When 55 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME        READY   STATUS             RESTARTS      AGE
      pod-crash   0/1     CrashLoopBackOff   3 (20s ago)   75s
      """
    Then pod "pod-crash" is Running
    And container "app" of pod "pod-crash" is waiting with reason "CrashLoopBackOff"
    And pod "pod-crash" has restarted 3 times
    And pod "pod-crash" matches:
      """yaml
      status:
        phase: Running
        conditions:
        - {type: ContainersReady, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
        - {type: Ready, status: "False", reason: ContainersNotReady}
        containerStatuses:
        - name: app
          ready: false
          lastState:
            terminated: {exitCode: 1, reason: Error}
      """
    And the logs of pod "pod-crash" contain:
      """
      oops
      """

  Scenario: A Job-style pod whose containers all exit 0 ends Succeeded
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-job-ok
      spec:
        restartPolicy: Never
        containers:
        - name: step1
          image: busybox
          command: ['sh', '-c', 'echo step 1 done']
        - name: step2
          image: busybox
          command: ['sh', '-c', 'sleep 10; echo step 2 done']
      """
    And 30 seconds pass
    Then pod "pod-job-ok" is Succeeded
    And container "step1" of pod "pod-job-ok" is terminated with reason "Completed"
    And container "step2" of pod "pod-job-ok" is terminated with reason "Completed"
    And pod "pod-job-ok" matches:
      """yaml
      status:
        conditions:
        - {type: Initialized, status: "True", reason: PodCompleted}
        - {type: ContainersReady, status: "False", reason: PodCompleted}
        - {type: Ready, status: "False", reason: PodCompleted}
      """

  Scenario: A Job-style pod where one container exits non-zero ends Failed
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-job-fail
      spec:
        restartPolicy: Never
        containers:
        - name: good
          image: busybox
          command: ['sh', '-c', 'echo fine']
        - name: bad
          image: busybox
          command: ['sh', '-c', 'echo broken >&2; exit 3']
      """
    And 30 seconds pass
    Then pod "pod-job-fail" is Failed
    And container "good" of pod "pod-job-fail" is terminated with reason "Completed"
    And container "bad" of pod "pod-job-fail" is terminated with reason "Error"
    And pod "pod-job-fail" matches:
      """yaml
      status:
        conditions:
        - {type: ContainersReady, status: "False", reason: PodFailed}
        - {type: Ready, status: "False", reason: PodFailed}
        containerStatuses:
        - name: bad
          state:
            terminated: {exitCode: 3, reason: Error}
      """

  Scenario: A pod whose image never pulls stays Pending, then fails at its active deadline
    Given the image "tmkube/does-not-exist:1.0" does not exist
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-bad-image
      spec:
        activeDeadlineSeconds: 60
        containers:
        - name: app
          image: tmkube/does-not-exist:1.0
      """
    And 5 seconds pass
    Then pod "pod-bad-image" is Pending
    And container "app" of pod "pod-bad-image" is waiting with reason "ErrImagePull"
    When 12 seconds pass
    Then container "app" of pod "pod-bad-image" is waiting with reason "ImagePullBackOff"
    And pod "pod-bad-image" is Pending
    When 1 minute passes
    Then pod "pod-bad-image" is Failed
    And pod "pod-bad-image" matches:
      """yaml
      status:
        phase: Failed
        reason: DeadlineExceeded
        message: Pod was active on the node longer than the specified deadline
      """

  Scenario: An init container that fails in a restartPolicy Never pod fails the pod while Pending
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-init-fail
      spec:
        restartPolicy: Never
        initContainers:
        - name: init
          image: busybox
          command: ['sh', '-c', 'exit 1']
        containers:
        - name: app
          image: busybox
          command: ['sh', '-c', 'sleep 3600']
      """
    And 10 seconds pass
    Then pod "pod-init-fail" is Failed
    And container "init" of pod "pod-init-fail" is terminated with reason "Error"
    And container "app" of pod "pod-init-fail" is waiting with reason "PodInitializing"
