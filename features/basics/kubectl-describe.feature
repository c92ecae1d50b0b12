@epic:Basics @feature:kubectl
Feature: kubectl describe and get events
  `kubectl describe` shows an object with its conditions and the events recorded about it; the
  Events table gives each event's age as kubectl does (`2m`, or `10s (x3 over 2m)` for repeats).

  Background:
    Given a cluster with nodes:
      | name      | taints            |
      | k8s-node1 | hw=gpu:NoSchedule |
      | k8s-node2 |                   |

  Scenario: A pod no node can take stays Pending, and describe says why
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-ssd
      spec:
        nodeSelector:
          disktype: ssd
        containers:
        - name: app
          image: kubetm/app
          ports:
          - containerPort: 8080
          readinessProbe:
            exec:
              command: ["cat", "/readiness/ready.txt"]
            initialDelaySeconds: 5
          resources:
            requests: {cpu: 500m, memory: 256Mi}
      """
    And 2 minutes pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE
      pod-ssd   0/1     Pending   0          2m
      """
    When I run "kubectl describe pod pod-ssd"
    Then the output contains:
      """
      Containers:
        app:
          Image:      kubetm/app
          Port:       8080/TCP
          Host Port:  0/TCP
          Requests:
            cpu:        500m
            memory:     256Mi
          Readiness:    exec [cat /readiness/ready.txt] delay=5s timeout=1s period=10s #success=1 #failure=3
          Environment:  <none>
      """
    And the output contains:
      """
      Conditions:
        Type           Status
        PodScheduled   False 
      """
    And the output contains:
      """
      QoS Class:                   Burstable
      Node-Selectors:              disktype=ssd
      Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                   node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
      """
    And the output contains:
      """
      Events:
        Type     Reason            Age   From               Message
        ----     ------            ----  ----               -------
        Warning  FailedScheduling  2m    default-scheduler  0/2 nodes are available:
      """
    When I run "kubectl get events"
    Then the output contains:
      """
      LAST SEEN   TYPE      REASON             OBJECT        MESSAGE
      2m          Warning   FailedScheduling   pod/pod-ssd   0/2 nodes are available:
      """

  Scenario: describe node shows its taints, conditions and what runs on it
    # The kubelet posts an unchanged status only every 5 minutes (nodeStatusReportFrequency),
    # so the heartbeat time still shows the node's start after one minute.
    When 1 minute passes
    And I run "kubectl describe node k8s-node1"
    Then the output contains:
      """
      Taints:             hw=gpu:NoSchedule
      Unschedulable:      false
      """
    And the output contains:
      """
      Conditions:
        Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
        ----             ------  -----------------                 ------------------                ------                       -------
        MemoryPressure   False   Mon, 08 Jan 2024 00:00:00 +0000   Mon, 08 Jan 2024 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
      """
    And the output contains:
      """
      Allocated resources:
        (Total limits may be over 100 percent, i.e., overcommitted.)
        Resource           Requests  Limits
        --------           --------  ------
        cpu                0 (0%)    0 (0%)
        memory             0 (0%)    0 (0%)
      """

  Scenario: A service without ready pods has no endpoints
    # describe service lists the ready endpoints of the service's EndpointSlices: the slice
    # exists but is empty, so the line is blank (it says <none> only when there is no slice).
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc-readiness
      spec:
        selector:
          app: readiness
        ports:
        - port: 8080
          targetPort: 8080
      """
    And I run "kubectl describe service svc-readiness"
    Then the output contains:
      """
      Port:                     <unset>  8080/TCP
      TargetPort:               8080/TCP
      Endpoints:
      """
    And the output contains:
      """
      Session Affinity:         None
      Internal Traffic Policy:  Cluster
      """
    When I run "kubectl get endpoints svc-readiness"
    Then the output is:
      """
      NAME            ENDPOINTS   AGE
      svc-readiness   <none>      0s
      """
    When I run "kubectl describe endpoints svc-readiness"
    Then the output is:
      """
      Name:         svc-readiness
      Namespace:    default
      Labels:       <none>
      Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2024-01-08T00:00:00Z
      Subsets:
      Events:  <none>
      """
