# language: ko
기능: 프로브 — readiness 프로브는 준비될 때까지 파드를 서비스에서 뺀다
  readiness 프로브가 실행 중인 파드가 언제 Ready 가 되는지 (그래서 트래픽을 받는지) 정한다.
  여기서는 노드의 /tmp/readiness 에 있는 /readiness/ready.txt 파일이 생기면 Ready 가 된다.
  실습: exercises/probes/pod-readiness.yaml

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  시나리오: ready.txt 가 생기기 전까지 파드는 실행 중이지만 Ready 가 아니다
    만일 매니페스트 파일 "exercises/probes/pod-readiness.yaml" 을 적용한다
    그리고 1분이 지난다
    그러면 파드 "pod-readiness" 는 Running 상태이다
    그리고 파드 "pod-readiness" 는 Ready 가 아니다
    만일 "/tmp/readiness/ready.txt" 파일을 노드 "k8s-node1" 에서 touch 한다
    그러면 1분 안에 파드 "pod-readiness" 가 Ready 가 된다
