# language: ko
@parity
기능: 한국어로 쓰는 시나리오
  같은 단계 정의가 영어와 한국어 문장을 모두 받아들인다.

  시나리오: 노드 표로 클러스터를 만들고 노드 상태를 확인한다
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      | labels  |
      | k8s-node1 | kr=az-1 |
    만일 10초가 지난다
    그러면 node "k8s-node1" 는 다음과 일치한다:
      """yaml
      metadata:
        labels:
          kr: az-1
      status:
        conditions:
        - type: Ready
          status: "True"
      """
