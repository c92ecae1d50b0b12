# language: ko
기능: Pod 라이프사이클 — initContainer 가 먼저 실행된다
  이미지를 받고 initContainer 를 하나씩 끝까지 실행하는 동안 파드는 Pending 이다. 그 다음
  컨테이너가 시작되고 파드는 Running 이 된다.
  실습: exercises/lifecycle/pod-init.yaml

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  시나리오: 파드는 처음에 Pending 이고, initContainer 가 끝나면 Running 이 된다
    만일 매니페스트 파일 "exercises/lifecycle/pod-init.yaml" 을 적용한다
    그러면 파드 "pod-init" 는 Pending 상태이다
    그리고 1분 안에 파드 "pod-init" 가 Running 상태가 된다
    그리고 pod "pod-init" 는 다음과 일치한다:
      """yaml
      status:
        initContainerStatuses:
        - name: setup
          state:
            terminated:
              reason: Completed
              exitCode: 0
      """
