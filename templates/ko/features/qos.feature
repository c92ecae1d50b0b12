# language: ko
기능: QoS 클래스 — requests 와 limits 가 누가 먼저 축출될지 정한다
  모든 컨테이너의 CPU 와 메모리 limits 가 requests 와 같으면 Guaranteed, requests 나 limits 가
  일부만 있으면 Burstable, 하나도 없으면 BestEffort 이다.
  실습: exercises/qos/pod-guaranteed.yaml, exercises/qos/pod-burstable.yaml

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  시나리오: limits 가 requests 와 같으면 Guaranteed 파드가 된다
    만일 매니페스트 파일 "exercises/qos/pod-guaranteed.yaml" 을 적용한다
    그러면 파드 "pod-guaranteed" 의 QoS 클래스는 "Guaranteed" 이다
    그리고 30초 안에 파드 "pod-guaranteed" 가 Running 상태가 된다
