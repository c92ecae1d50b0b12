Feature: Managing Kubernetes Objects Using Imperative Commands
  # Source: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/imperative-command/
  #
  # The page's commands as it prints them. Its placeholders (`<myservicename>`) get a name; kubectl's
  # help (`-h`) is not simulated, nor is `kubectl create --edit` (it opens an editor): both say so.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: How to create objects: create <objecttype> [<subtype>] <instancename>
    # A NodePort Service needs a port: the page's command as written is refused, as kubectl refuses it.
    When I try to run "kubectl create service nodeport my-nodeport-svc"
    Then the command fails with:
      """
      error: at least one tcp port specifier must be provided
      """
    When I run "kubectl create service nodeport my-nodeport-svc --tcp=80:8080"
    Then the output is:
      """
      service/my-nodeport-svc created
      """
    When I run "kubectl get service my-nodeport-svc -o jsonpath={.spec.type}"
    Then the output is:
      """
      NodePort
      """
    When I try to run "kubectl create service nodeport -h"
    Then the command fails with:
      """
      error: kubectl's help (-h) is not simulated
      """

  Scenario: How to update and delete objects: the verb-driven commands
    When I run "kubectl create deployment nginx --image=nginx"
    And I run "kubectl scale deployment nginx --replicas=2"
    Then the output is:
      """
      deployment.apps/nginx scaled
      """
    When I run "kubectl annotate deployment nginx description='my frontend'"
    Then the output is:
      """
      deployment.apps/nginx annotated
      """
    When I run "kubectl label deployment nginx tier=web"
    Then the output is:
      """
      deployment.apps/nginx labeled
      """
    When I run "kubectl set image deployment/nginx nginx=nginx:1.16.1"
    Then the output is:
      """
      deployment.apps/nginx image updated
      """
    # The page opens the object in an editor; here the editor is a command (KUBE_EDITOR), as in a
    # terminal: sed changes the replica count in the file kubectl edit writes.
    When I run:
      """
      KUBE_EDITOR="sed -i '/^spec:/,/^status:/s/replicas: 2/replicas: 3/'" kubectl edit deployment nginx
      """
    Then the output is:
      """
      deployment.apps/nginx edited
      """
    When I run "kubectl delete deployment/nginx"
    Then the output is:
      """
      deployment.apps "nginx" deleted
      """

  Scenario: Using set commands to modify objects before creation
    # create prints the Service, set selector --local changes it, create -f - creates it.
    When I run:
      """
      kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml | kubectl create -f -
      """
    Then the output is:
      """
      service/my-svc created
      """
    When I run "kubectl get service my-svc -o wide"
    Then the output is:
      """
      NAME     TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR
      my-svc   ClusterIP   None         <none>        <none>    0s    environment=qa
      """
    # The middle stage alone: "reads the configuration from stdin, and writes the updated
    # configuration to stdout as YAML".
    When I run:
      """
      kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml
      """
    Then the output is:
      """
      apiVersion: v1
      kind: Service
      metadata:
        creationTimestamp: null
        labels:
          app: my-svc
        name: my-svc
      spec:
        clusterIP: None
        selector:
          environment: qa
        type: ClusterIP
      status:
        loadBalancer: {}
      """

  Scenario: Using --edit to modify objects before creation
    When I run:
      """
      kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client > /tmp/srv.yaml
      """
    Then the output is:
      """
      """
    When I try to run "kubectl create --edit -f /tmp/srv.yaml"
    Then the command fails with:
      """
      error: kubectl create --edit is not simulated: it opens the configuration in an editor before creating it; edit the file, then run kubectl create -f
      """
    # The file the first command wrote is there to create from.
    When I run "kubectl create -f /tmp/srv.yaml"
    Then the output is:
      """
      service/my-svc created
      """
