# language: ko
기능: 채점 — nodeSelector 와 toleration

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      | labels  | taints            |
      | k8s-node1 |         |                   |
      | k8s-node2 | gpu=yes | hw=gpu:NoSchedule |

  @exercise:scheduling @points:2
  시나리오: GPU 파드는 GPU 노드를 고르고 그 테인트를 용인한다
    만일 매니페스트 파일 "exercises/scheduling/pod-gpu.yaml" 을 적용한다
    그리고 5초가 지난다
    그러면 파드 "pod-gpu" 는 노드 "k8s-node2" 에 배치된다
    그리고 파드 "pod-gpu" 는 "gpu=yes" 레이블이 붙은 노드에서 실행된다
    그리고 30초 안에 파드 "pod-gpu" 가 Running 상태가 된다
