# language: ko
기능: 스케줄링 — nodeSelector 와 toleration
  GPU 노드에는 gpu=yes 레이블과 hw=gpu:NoSchedule 테인트가 있다. 파드가 그 노드를 고르고 테인트를
  용인해야만 그 노드에 배치된다.
  실습: exercises/scheduling/pod-gpu.yaml

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      | labels  | taints            |
      | k8s-node1 |         |                   |
      | k8s-node2 | gpu=yes | hw=gpu:NoSchedule |

  시나리오: GPU 파드는 GPU 노드로 간다
    만일 매니페스트 파일 "exercises/scheduling/pod-gpu.yaml" 을 적용한다
    그리고 5초가 지난다
    그러면 파드 "pod-gpu" 는 노드 "k8s-node2" 에 배치된다
    # 이 강의의 스텝 (steps/course.steps.mjs):
    그리고 파드 "pod-gpu" 는 "gpu=yes" 레이블이 붙은 노드에서 실행된다
