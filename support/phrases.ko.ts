/**
 * The Korean phrase catalogue: for each English step expression, the Korean expression that
 * means the same, with the parameters in the same order. Features in Korean start with
 * `# language: ko` and use Gherkin's Korean keywords (기능, 시나리오, 조건, 만일, 그러면, 그리고).
 */
export const KO: Record<string, string> = {
  // The cluster
  "a cluster with nodes:": "다음 노드들로 구성된 클러스터가 있다:",
  "the time is {string}": "현재 시각은 {string} 이다",
  "the random seed is {int}": "난수 시드는 {int} 이다",
  "I try to set up a cluster with nodes:": "다음 노드들로 클러스터 구성을 시도한다:",
  // Nodes
  "node {string} goes down": "노드 {string} 가 다운된다",
  "node {string} comes back": "노드 {string} 가 다시 살아난다",
  "I run {string} on node {string}": "{string} 를 노드 {string} 에서 실행한다",
  // Pods and containers (steps/pods.steps.ts)
  "the image {string} takes {duration} to start": "이미지 {string} 는 시작하는 데 {duration}이/가 걸린다",
  "the image {string} takes {duration} to pull": "이미지 {string} 를 받는 데 {duration}이/가 걸린다",
  "pod {string} is {phase}": "파드 {string} 는 {phase} 상태이다",
  "container {string} of pod {string} is waiting with reason {string}": "컨테이너 {string} 는 파드 {string} 에서 {string} 사유로 대기 중이다",
  "container {string} of pod {string} is running": "컨테이너 {string} 는 파드 {string} 에서 실행 중이다",
  "container {string} of pod {string} is terminated with reason {string}": "컨테이너 {string} 는 파드 {string} 에서 {string} 사유로 종료되었다",
  "pod {string} has restarted {int} time(s)": "파드 {string} 는 {int}번 재시작했다",
  "container {string} of pod {string} has restarted {int} time(s)": "컨테이너 {string} 는 파드 {string} 에서 {int}번 재시작했다",
  "the logs of pod {string} contain:": "파드 {string} 의 로그에 다음 내용이 있다:",
  "the logs of container {string} of pod {string} contain:": "컨테이너 {string} 가 파드 {string} 에서 남긴 로그에 다음 내용이 있다:",
  // Probes (steps/probes.steps.ts)
  "within {duration} pod {string} becomes Ready": "{duration} 안에 파드 {string} 가 Ready 가 된다",
  "pod {string} becomes Ready after {duration}": "파드 {string} 는 {duration} 후에 Ready 가 된다",
  "pod {string} is not Ready": "파드 {string} 는 Ready 가 아니다",
  "endpoints {string} list pods {string} as ready and {string} as not ready": "엔드포인트 {string} 에 파드 {string} 는 준비됨으로, {string} 는 준비되지 않음으로 나온다",
  "endpoints {string} list pods {string} as ready": "엔드포인트 {string} 에 파드 {string} 가 준비됨으로 나온다",
  "{string} is touched on node {string}": "{string} 파일을 노드 {string} 에서 touch 한다",
  // Assertions over time (steps/time-assertions.steps.ts)
  "within {duration} pod {string} is {phase}": "{duration} 안에 파드 {string} 가 {phase} 상태가 된다",
  "pod {string} stays Ready for {duration}": "파드 {string} 는 {duration} 동안 Ready 를 유지한다",
  "pod {string} stays {phase} for {duration}": "파드 {string} 는 {phase} 상태를 {duration} 동안 유지한다",
  "pod {string} never restarts during {duration}": "파드 {string} 는 {duration} 동안 한 번도 재시작하지 않는다",
  "within {duration} endpoints {string} list pod {string} as ready": "{duration} 안에 엔드포인트 {string} 에 파드 {string} 가 준비됨으로 나온다",
  // Scheduling (steps/scheduling.steps.ts)
  "pod {string} is scheduled on node {string}": "파드 {string} 는 노드 {string} 에 배치된다",
  "pod {string} is scheduled on one of nodes {string}": "파드 {string} 는 노드 {string} 중 하나에 배치된다",
  "pod {string} is not scheduled": "파드 {string} 는 배치되지 않는다",
  "pod {string} is pending because:": "파드 {string} 는 다음 이유로 Pending 이다:",
  "pod {string} no longer exists": "파드 {string} 는 더 이상 존재하지 않는다",
  // Traffic (steps/traffic.steps.ts)
  "I request {string}": "{string} 에 요청한다",
  "the response status is {int}": "응답 상태 코드는 {int} 이다",
  "the response body is {string}": "응답 본문은 {string} 이다",
  "a client requests {string} every {duration} for {duration}": "클라이언트가 {string} 에 {duration}마다 {duration} 동안 요청한다",
  "the client saw {int} successful and {int} failed requests": "클라이언트의 요청 중 {int}건이 성공하고 {int}건이 실패했다",
  "the client saw between {int} and {int} failed requests": "클라이언트의 요청 중 {int}건에서 {int}건 사이가 실패했다",
  "the client saw about {int}% failed requests": "클라이언트의 요청 중 약 {int}%가 실패했다",
  "the client saw {int}% failed requests give or take {int}%": "클라이언트의 요청 중 {int}% ± {int}%가 실패했다",
  "the client saw no failed requests": "클라이언트의 요청은 하나도 실패하지 않았다",
  "the client's requests were answered by pods {string}": "클라이언트의 요청에 파드 {string} 가 응답했다",
  "the image {string} behaves as:": "이미지 {string} 는 다음과 같이 동작한다:",
  "the external host {string} answers:": "외부 호스트 {string} 는 다음과 같이 응답한다:",
  // Workloads (steps/workloads.steps.ts)
  "replicaset {string} has {int} ready replicas": "레플리카셋 {string} 의 준비된 레플리카는 {int}개이다",
  "within {duration} replicaset {string} has {int} ready replicas": "{duration} 안에 레플리카셋 {string} 의 준비된 레플리카가 {int}개가 된다",
  "deployment {string} has {int} available replicas": "디플로이먼트 {string} 의 가용 레플리카는 {int}개이다",
  "within {duration} deployment {string} has {int} available replicas": "{duration} 안에 디플로이먼트 {string} 의 가용 레플리카가 {int}개가 된다",
  "job {string} is complete": "잡 {string} 은 완료되었다",
  "within {duration} job {string} is complete": "{duration} 안에 잡 {string} 이 완료된다",
  "job {string} has failed with reason {string}": "잡 {string} 은 {string} 사유로 실패했다",
  "within {duration} job {string} has failed with reason {string}": "{duration} 안에 잡 {string} 이 {string} 사유로 실패한다",
  "within {duration} a replacement for pod {string} is Running on another node": "{duration} 안에 파드 {string} 를 대신할 파드가 다른 노드에서 Running 상태가 된다",
  // Manifests
  "I apply the manifest:": "다음 매니페스트를 적용한다:",
  "I apply the manifest file {string}": "매니페스트 파일 {string} 을 적용한다",
  "I try to apply the manifest:": "다음 매니페스트 적용을 시도한다:",
  // kubectl
  "I run {string}": "{string} 를 실행한다",
  "I try to run {string}": "{string} 실행을 시도한다",
  "the output is:": "출력은 다음과 같다:",
  "the output contains:": "출력에 다음 내용이 있다:",
  "the command fails with:": "명령은 다음 오류로 실패한다:",
  // Time
  "{duration} pass(es)": "{duration}이/가 지난다",
  "I try to let {duration} pass": "{duration}이/가 지나도록 시도한다",
  // Objects
  "{word} {string} matches:": "{word} {string} 는 다음과 일치한다:",
  "{word} {string} in namespace {string} matches:": "{word} {string} 는 네임스페이스 {string} 에서 다음과 일치한다:",
  // Resource use (steps/resources.steps.ts)
  "pod {string} uses {word} of memory": "파드 {string} 가 메모리를 {word} 사용한다",
  "container {string} of pod {string} uses {word} of memory": "컨테이너 {string} 가 파드 {string} 에서 메모리를 {word} 사용한다",
  "the system processes of node {string} use {word} of memory": "노드 {string} 의 시스템 프로세스가 메모리를 {word} 사용한다",
  "pod {string} has QoS class {string}": "파드 {string} 의 QoS 클래스는 {string} 이다",
  "pod {string} was evicted": "파드 {string} 는 축출되었다",
  "container {string} of pod {string} was OOM-killed": "컨테이너 {string} 는 파드 {string} 에서 OOM으로 종료되었다",
};

/** The Korean form of the trailing `and <duration> pass(es)` of action steps. */
export const KO_AND_PASS = " 그리고 {duration}이/가 지난다";
