# language: ko
@exercise:qos @points:1
기능: 채점 — QoS 클래스
  시나리오 개요는 예의 행마다 한 번씩 센다: 여기서는 행마다 1점, 모두 2점이다.

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  시나리오 개요: <file> 은 <class> 파드를 만든다
    만일 매니페스트 파일 "exercises/qos/<file>" 을 적용한다
    그러면 파드 "<pod>" 의 QoS 클래스는 "<class>" 이다

    예:
      | file                | pod            | class      |
      | pod-guaranteed.yaml | pod-guaranteed | Guaranteed |
      | pod-burstable.yaml  | pod-burstable  | Burstable  |
