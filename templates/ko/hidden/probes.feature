# language: ko
기능: 채점 — readiness 프로브

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  @exercise:probes @points:2
  시나리오: ready.txt 가 없으면 Ready 가 아니고, 생기면 1분 안에 Ready 가 된다
    만일 매니페스트 파일 "exercises/probes/pod-readiness.yaml" 을 적용한다
    그리고 2분이 지난다
    그러면 파드 "pod-readiness" 는 Running 상태이다
    그리고 파드 "pod-readiness" 는 Ready 가 아니다
    만일 "/tmp/readiness/ready.txt" 파일을 노드 "k8s-node1" 에서 touch 한다
    그러면 1분 안에 파드 "pod-readiness" 가 Ready 가 된다
