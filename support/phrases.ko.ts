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
