Feature: Explore Termination Behavior for Pods And Their Endpoints
  # Source: https://kubernetes.io/docs/tutorials/services/pods-and-endpoint-termination-flow/
  #
  # One nginx replica behind nginx-service (service/pod-with-graceful-termination.yaml, verbatim):
  # its Pod has a two-minute grace period and a preStop hook that sleeps through it, so a deleted
  # Pod stays Terminating for 120 seconds. Meanwhile its endpoint stays in the Service's
  # EndpointSlice with `ready: false` (a terminating endpoint is never ready, for the load
  # balancers that only read `ready`), `serving: true` (the Pod still passes its readiness) and
  # `terminating: true`, beside the endpoint of the replacement Pod; once the Pod is gone, so is
  # its endpoint. The page's Pod and slice names are its own cluster's; here they are the
  # simulation's (nginx-deployment-6665f869c7-qcljf, nginx-service-4qq24).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f https://k8s.io/examples/service/pod-with-graceful-termination.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment created
      service/nginx-service created
      """
    And within 1 minute deployment "nginx-deployment" has 1 available replicas

  Scenario: A terminating Pod's endpoint stays, not ready but serving, until the Pod is gone
    When I run "kubectl get endpointslice"
    Then the output is:
      """
      NAME                  ADDRESSTYPE   PORTS   ENDPOINTS    AGE
      kubernetes            IPv4          6443    172.18.0.2   3s
      nginx-service-4qq24   IPv4          80      10.244.0.2   3s
      """
    # One endpoint registered, ready.
    When I run "kubectl get endpointslices -o json -l kubernetes.io/service-name=nginx-service"
    Then the output contains:
      """
                  "endpoints": [
                      {
                          "addresses": [
                              "10.244.0.2"
                          ],
                          "conditions": {
                              "ready": true,
                              "serving": true,
                              "terminating": false
                          },
                          "nodeName": "k8s-node1",
                          "targetRef": {
                              "kind": "Pod",
                              "name": "nginx-deployment-6665f869c7-qcljf",
      """
    # The page's `kubectl delete pod <name>` waits until the Pod is gone, two minutes here; the page
    # looks at the Pods and the slice meanwhile, so the scenario does not wait for it.
    When I run "kubectl delete pod nginx-deployment-6665f869c7-qcljf --wait=false"
    Then the output is:
      """
      pod "nginx-deployment-6665f869c7-qcljf" deleted
      """
    When 8 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                                READY   STATUS        RESTARTS   AGE
      nginx-deployment-6665f869c7-lbn64   1/1     Running       0          8s
      nginx-deployment-6665f869c7-qcljf   1/1     Terminating   0          11s
      """
    # While the new endpoint is created for the new Pod, the old one is still there, terminating.
    When I run "kubectl get endpointslice -o json nginx-service-4qq24"
    Then the output contains:
      """
          "endpoints": [
              {
                  "addresses": [
                      "10.244.0.2"
                  ],
                  "conditions": {
                      "ready": false,
                      "serving": true,
                      "terminating": true
                  },
                  "nodeName": "k8s-node1",
                  "targetRef": {
                      "kind": "Pod",
                      "name": "nginx-deployment-6665f869c7-qcljf",
                      "namespace": "default",
                      "uid": "6adb30f8-2e3c-482a-a5c9-cc26e794aaaf"
                  }
              },
              {
                  "addresses": [
                      "10.244.0.3"
                  ],
                  "conditions": {
                      "ready": true,
                      "serving": true,
                      "terminating": false
                  },
                  "nodeName": "k8s-node1",
                  "targetRef": {
                      "kind": "Pod",
                      "name": "nginx-deployment-6665f869c7-lbn64",
                      "namespace": "default",
                      "uid": "4fa54859-f2ef-49ee-9583-9dd9f7ca2123"
                  }
              }
          ],
      """
    # At 120 seconds the container is killed; when the Pod is deleted, its endpoint is too.
    When 2 minutes pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-6665f869c7-lbn64   1/1     Running   0          2m8s
      """
    When I run "kubectl get endpointslice nginx-service-4qq24 -o jsonpath='{.endpoints[*].targetRef.name}'"
    Then the output is:
      """
      nginx-deployment-6665f869c7-lbn64
      """
