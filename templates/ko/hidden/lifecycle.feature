# language: ko
@points:1
기능: 채점 — 파드 라이프사이클
  기능에 붙은 태그는 아래 모든 시나리오에 적용된다: 따로 적지 않으면 시나리오마다 1점이다.

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  @exercise:lifecycle
  시나리오: initContainer 가 끝난 뒤 앱이 시작되고 계속 실행된다
    만일 매니페스트 파일 "exercises/lifecycle/pod-init.yaml" 을 적용한다
    그러면 1분 안에 파드 "pod-init" 가 Running 상태가 된다
    그리고 pod "pod-init" 는 다음과 일치한다:
      """yaml
      status:
        initContainerStatuses:
        - name: setup
          state:
            terminated:
              reason: Completed
      """
