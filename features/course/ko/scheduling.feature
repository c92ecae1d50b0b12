# language: ko
@epic:쿠버네티스-Pod @feature:Node-Scheduling @parity
기능: Pod - Node Scheduling — 파드가 어느 노드에서 실행될지 정하기
  스케줄러는 아직 노드가 없는 모든 파드를 배치한다. 강의의 "Pod - Node Scheduling" 장을 매니페스트와
  kubectl 명령 그대로 실행한다: NodeName / NodeSelector / NodeAffinity, Pod Affinity / Anti-Affinity,
  Taint / Toleration.

  Rule: 노드 지정 — NodeName, NodeSelector, NodeAffinity
    파드는 노드를 직접 지정하거나 (nodeName), 노드 라벨을 요구하거나 (nodeSelector), node affinity 를
    쓸 수 있다: `required` 조건은 반드시 맞아야 하고, `preferred` 조건은 `weight` 만큼 노드 점수에
    더해질 뿐이다. 실습 클러스터의 두 노드에는 강의처럼 `kubectl label nodes k8s-node1 kr=az-1` 과
    `kubectl label nodes k8s-node2 us=az-1` 로 라벨을 붙였다.

    배경:
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels  |
        | k8s-node1 | kr=az-1 |
        | k8s-node2 | us=az-1 |

    @story:NodeName @points:1 @exercise:ko-scheduling-1
    시나리오: NodeName 은 스케줄러를 거치지 않고 파드를 그 노드에 둔다
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-node-name
        spec:
          nodeName: k8s-node2
          containers:
          - name: container
            image: kubetm/app
          terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-node-name" 는 노드 "k8s-node2" 에 배치된다

    @story:NodeAffinity @points:1 @exercise:ko-scheduling-2
    시나리오: Exists 연산자의 matchExpressions 는 그 키가 있는 노드를 고른다
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod-match-expressions1
        spec:
         affinity:
          nodeAffinity:
           requiredDuringSchedulingIgnoredDuringExecution:  # required는 사실 이렇게 이름이 긴 속성
            nodeSelectorTerms:
            - matchExpressions:
              -  {key: kr, operator: Exists} # 여러 개의 matchExpressions를 달 수가 있다, 키가 KR인 라벨이 달려있는 노드에 할당
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-match-expressions1" 는 노드 "k8s-node1" 에 배치된다
      그리고 pod "pod-match-expressions1" 는 다음과 일치한다:
        """yaml
        status:
          conditions:
          - type: PodScheduled
            status: "True"
        """

    @story:NodeAffinity @points:1 @exercise:ko-scheduling-3
    시나리오: 어떤 노드도 만족하지 않는 required affinity: 파드는 Pending 으로 남는다
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-required
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: ch, operator: Exists}
          containers:
            - name: container
              image: kubetm/app
          terminationGracePeriodSeconds: 0
        """
      그리고 10초가 지난다
      그러면 파드 "pod-required" 는 배치되지 않는다
      그리고 pod "pod-required" 는 다음과 일치한다:
        """yaml
        status:
          phase: Pending
          conditions:
          - type: PodScheduled
            status: "False"
            reason: Unschedulable
            message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        """
      그리고 파드 "pod-required" 는 다음 이유로 Pending 이다:
        | node      | reason                                           |
        | k8s-node1 | node(s) didn't match Pod's node affinity/selector |
        | k8s-node2 | node(s) didn't match Pod's node affinity/selector |

    @story:NodeAffinity @points:1 @exercise:ko-scheduling-4
    시나리오: 어떤 노드도 만족하지 않는 preferred affinity: 그래도 파드는 배치된다
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod-preferred
        spec:
         affinity:
          nodeAffinity:
           preferredDuringSchedulingIgnoredDuringExecution: # preferred가 붙은 긴 이름의 속성
            - weight: 1 # weight 속성
              preference:
               matchExpressions: # 이 위에 required 속성과 살짝 구조가 틀리기 때문에 만들 때 주의가 필요
               - {key: ch, operator: Exists}
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-preferred" 는 노드 "k8s-node1, k8s-node2" 중 하나에 배치된다

    @story:NodeAffinity @points:1 @exercise:ko-scheduling-5
    시나리오: 선호하는 두 노드 사이에서는 weight 가 결정한다
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-weights
        spec:
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 10
                preference:
                  matchExpressions:
                  - {key: kr, operator: Exists}
              - weight: 50
                preference:
                  matchExpressions:
                  - {key: us, operator: Exists}
          containers:
          - name: container
            image: kubetm/app
          terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-weights" 는 노드 "k8s-node2" 에 배치된다

  Rule: NodeAffinity 의 Gt, Lt 연산자
    In, NotIn, Exists, DoesNotExist 외에도 node affinity 는 노드 라벨의 정수 값을 주어진 값 하나와
    비교할 수 있다: Gt (보다 큼), Lt (보다 작음).

    @story:NodeAffinity @points:1 @exercise:ko-scheduling-6
    시나리오: Gt 와 Lt 는 라벨의 정수 값을 비교한다
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels  |
        | k8s-node1 | size=10 |
        | k8s-node2 | size=3  |
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-gt
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchExpressions:
                  - {key: size, operator: Gt, values: ["5"]}
          containers:
          - name: container
            image: kubetm/app
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-lt
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchExpressions:
                  - {key: size, operator: Lt, values: ["5"]}
          containers:
          - name: container
            image: kubetm/app
        """
      그러면 파드 "pod-gt" 는 노드 "k8s-node1" 에 배치된다
      그리고 파드 "pod-lt" 는 노드 "k8s-node2" 에 배치된다

  Rule: Pod Affinity, Anti-Affinity
    Pod affinity 는 파드를 label selector 에 맞는 파드들과 같은 토폴로지 영역 (`topologyKey` 라벨,
    여기서는 `a-team` 의 값이 같은 노드들) 에 배치하고, anti-affinity 는 그런 영역을 피한다. required
    affinity 를 만족하는 곳이 없는 파드는 맞는 파드가 나타날 때까지 Pending 으로 남고, 그때 스케줄러가
    다시 시도한다. 노드 라벨은 강의처럼 `kubectl label nodes k8s-node1 a-team=1` 과
    `kubectl label nodes k8s-node2 a-team=2` 로 붙였다.

    배경:
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels   |
        | k8s-node1 | a-team=1 |
        | k8s-node2 | a-team=2 |

    @story:Pod-Affinity @points:1 @exercise:ko-scheduling-7
    시나리오: server1 은 web1 을 따라가고, server2 는 web2 를 기다린다
      만일 다음 매니페스트를 적용한다:
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
      그러면 파드 "web1" 는 노드 "k8s-node1" 에 배치된다
      만일 다음 매니페스트를 적용한다:
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
      그러면 파드 "server1" 는 노드 "k8s-node1" 에 배치된다
      만일 다음 매니페스트를 적용한다:
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
      그리고 30초가 지난다
      그러면 파드 "server2" 는 배치되지 않는다
      그리고 파드 "server2" 는 다음 이유로 Pending 이다:
        | node      | reason                                 |
        | k8s-node1 | node(s) didn't match pod affinity rules |
        | k8s-node2 | node(s) didn't match pod affinity rules |
      그리고 pod "server2" 는 다음과 일치한다:
        """yaml
        status:
          conditions:
          - type: PodScheduled
            status: "False"
            reason: Unschedulable
            message: "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        """
      만일 다음 매니페스트를 적용한다:
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
      그러면 파드 "web2" 는 노드 "k8s-node2" 에 배치된다
      만일 1초가 지난다
      그러면 파드 "server2" 는 노드 "k8s-node2" 에 배치된다

    @story:Pod-Anti-Affinity @points:1 @exercise:ko-scheduling-8
    시나리오: slave 는 master 의 노드를 피한다 (anti-affinity)
      만일 다음 매니페스트를 적용한다:
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
      그러면 파드 "master" 는 노드 "k8s-node1" 에 배치된다
      만일 다음 매니페스트를 적용한다:
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
      그러면 파드 "slave" 는 노드 "k8s-node2" 에 배치된다

  Rule: Taint, Toleration
    taint 는 그것을 tolerate 하지 않는 파드를 노드에서 멀리한다. `NoSchedule` 은 엄격하고,
    `PreferNoSchedule` 은 노드 점수만 낮춘다. toleration 은 파드가 taint 가 있는 노드에 갈 수 있게
    할 뿐 그리로 보내지는 않는다: 노드를 고르려면 여전히 nodeSelector 가 필요하다. 노드는 강의처럼
    `kubectl label nodes k8s-node1 gpu=no1` 과 `kubectl taint nodes k8s-node1 hw=gpu:NoSchedule` 로
    준비했다.

    @story:Taint-Toleration @points:1 @exercise:ko-scheduling-9
    시나리오: toleration 이 있는 파드만 taint 가 있는 노드에 들어간다
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels  | taints            |
        | k8s-node1 | gpu=no1 | hw=gpu:NoSchedule |
        | k8s-node2 |         |                   |
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod-with-toleration
        spec:
         nodeSelector: # 노드1에 배치를 하기 위해서 셀렉터 사용
          gpu: no1
         tolerations: # 노드에 할당되어 있는 내용과 똑같이 매칭
         - effect: NoSchedule
           key: hw
           operator: Equal
           value: gpu
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-with-toleration" 는 노드 "k8s-node1" 에 배치된다
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod-without-toleration
        spec:
         nodeSelector:
          gpu: no1
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-without-toleration" 는 배치되지 않는다
      그리고 파드 "pod-without-toleration" 는 다음 이유로 Pending 이다:
        | node      | reason                                            |
        | k8s-node1 | node(s) had untolerated taint {hw: gpu}           |
        | k8s-node2 | node(s) didn't match Pod's node affinity/selector |
      그리고 pod "pod-without-toleration" 는 다음과 일치한다:
        """yaml
        status:
          conditions:
          - type: PodScheduled
            status: "False"
            reason: Unschedulable
            message: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {hw: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        """

    @story:Taint-Toleration @points:1 @exercise:ko-scheduling-10
    시나리오: 노드가 세 개인 클러스터의 FailedScheduling 메시지
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels  | taints            |
        | k8s-node1 | gpu=no1 | hw=gpu:NoSchedule |
        | k8s-node2 |         |                   |
        | k8s-node3 |         |                   |
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod-without-toleration
        spec:
         nodeSelector:
          gpu: no1
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        """
      그러면 pod "pod-without-toleration" 는 다음과 일치한다:
        """yaml
        status:
          conditions:
          - type: PodScheduled
            status: "False"
            reason: Unschedulable
            message: "0/3 nodes are available: 1 node(s) had untolerated taint {hw: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        """

    @story:Taint-Toleration @points:1 @exercise:ko-scheduling-11
    시나리오: PreferNoSchedule 은 파드를 다른 곳으로 유도하지만 노드를 금지하지는 않는다
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels  | taints                  |
        | k8s-node1 | gpu=no1 | hw=gpu:PreferNoSchedule |
        | k8s-node2 |         |                         |
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-anywhere
        spec:
          containers:
          - name: container
            image: kubetm/app
          terminationGracePeriodSeconds: 0
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-gpu
        spec:
          nodeSelector:
            gpu: no1
          containers:
          - name: container
            image: kubetm/app
          terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod-anywhere" 는 노드 "k8s-node2" 에 배치된다
      그리고 파드 "pod-gpu" 는 노드 "k8s-node1" 에 배치된다

  Rule: NoExecute taint 는 실행 중인 파드를 축출한다
    NoSchedule 은 파드를 배치할 때만 영향을 준다. `NoExecute` taint 는 이미 노드에서 실행 중인
    파드도 내보낸다: 맞는 toleration 이 없는 파드는 곧바로 축출되고, `tolerationSeconds` 동안
    tolerate 하는 파드는 그 시간이 지나면 축출된다. 그 전에 taint 를 없애면 예정된 축출은 취소된다.

    배경:
      조건 다음 노드들로 구성된 클러스터가 있다:
        | name      | labels  | taints            |
        | k8s-node1 | gpu=no1 | hw=gpu:NoSchedule |
        | k8s-node2 |         |                   |
      만일 다음 매니페스트를 적용한다:
        """yaml
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod1-with-no-execute
        spec:
         tolerations:
         - effect: NoExecute
           key: out-of-disk
           operator: Exists
           tolerationSeconds: 30
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        ---
        apiVersion: v1
        kind: Pod
        metadata:
         name: pod2-without-no-execute
        spec:
         containers:
         - name: container
           image: kubetm/app
         terminationGracePeriodSeconds: 0
        """
      그러면 파드 "pod1-with-no-execute" 는 노드 "k8s-node2" 에 배치된다
      그리고 파드 "pod2-without-no-execute" 는 노드 "k8s-node2" 에 배치된다

    @story:NoExecute @points:1 @exercise:ko-scheduling-12
    시나리오: toleration 이 없는 파드는 곧바로, 다른 파드는 30초 뒤에 축출된다
      만일 "kubectl taint nodes k8s-node1 hw=gpu:NoSchedule-" 를 실행한다
      그리고 "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute" 를 실행한다
      그러면 파드 "pod2-without-no-execute" 는 더 이상 존재하지 않는다
      그리고 파드 "pod1-with-no-execute" 는 노드 "k8s-node2" 에 배치된다
      만일 29초가 지난다
      그러면 파드 "pod1-with-no-execute" 는 노드 "k8s-node2" 에 배치된다
      만일 1초가 지난다
      그러면 파드 "pod1-with-no-execute" 는 더 이상 존재하지 않는다

    @story:NoExecute @points:1 @exercise:ko-scheduling-13
    시나리오: 제때 taint 를 없애면 축출이 취소된다
      만일 "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute" 를 실행한다
      그리고 20초가 지난다
      그리고 "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute-" 를 실행한다
      그리고 1분이 지난다
      그러면 파드 "pod1-with-no-execute" 는 노드 "k8s-node2" 에 배치된다
