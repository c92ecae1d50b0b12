@epic:Course @feature:NodeScheduling @parity
Feature: Pod - Node Scheduling: Pod Affinity and Anti-Affinity
  Pod affinity places a pod in the same topology domain (nodes sharing the value of the
  `topologyKey` label, here `a-team`) as pods matching its label selector; anti-affinity keeps
  it out of such domains. A pod whose required affinity nothing satisfies stays Pending until a
  matching pod appears, then the scheduler retries it. The nodes are labelled with the notes'
  commands.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl label nodes k8s-node1 a-team=1"
    And I run "kubectl label nodes k8s-node2 a-team=2"

  Scenario: server1 follows web1; server2 waits for web2
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: web1
       labels:
        type: web1
      spec:
       nodeSelector:
        a-team: '1' # 노드1에 할당이 되도록 노드 셀렉터 사용
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "web1" is scheduled on node "k8s-node1"
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: server1
      spec:
       affinity:
        podAffinity:
         requiredDuringSchedulingIgnoredDuringExecution:
         - topologyKey: a-team # a-team 이라는 라벨의 키를 가진 node의 그룹으로 지정
           labelSelector: # 이 라벨은 이 파드의 라벨을 가리킨다는 의미
            matchExpressions:
            -  {key: type, operator: In, values: [web1]} # 키가 type이고 value가 web 이름 파드를 찾게 된다
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "server1" is scheduled on node "k8s-node1"
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: server2
      spec:
       affinity:
        podAffinity:
         requiredDuringSchedulingIgnoredDuringExecution:
         - topologyKey: a-team
           labelSelector:
            matchExpressions:
            -  {key: type, operator: In, values: [web2]}
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    And 30 seconds pass
    Then pod "server2" is not scheduled
    And pod "server2" is pending because:
      | node      | reason                                 |
      | k8s-node1 | node(s) didn't match pod affinity rules |
      | k8s-node2 | node(s) didn't match pod affinity rules |
    And pod "server2" matches:
      """yaml
      status:
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web2
        labels:
           type: web2
      spec:
        nodeSelector:
          a-team: '2'
        containers:
        - name: container
          image: kubetm/app
        terminationGracePeriodSeconds: 0
      """
    Then pod "web2" is scheduled on node "k8s-node2"
    When 1 second passes
    Then pod "server2" is scheduled on node "k8s-node2"

  Scenario: slave avoids the node of master (anti-affinity)
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: master
        labels:
           type: master
      spec:
        nodeSelector:
          a-team: '1'
        containers:
        - name: container
          image: kubetm/app
        terminationGracePeriodSeconds: 0
      """
    Then pod "master" is scheduled on node "k8s-node1"
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: slave
      spec:
       affinity:
        podAntiAffinity:
         requiredDuringSchedulingIgnoredDuringExecution:
         - topologyKey: a-team
           labelSelector:
            matchExpressions:
            -  {key: type, operator: In, values: [master]}
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "slave" is scheduled on node "k8s-node2"
