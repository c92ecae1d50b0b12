Feature: Configure Quotas for API Objects
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/quota-api-object/
  #
  # A ResourceQuota that counts objects rather than compute resources: at most one
  # PersistentVolumeClaim, two Services of type LoadBalancer and no Service of type NodePort in the
  # namespace. The page's manifests are applied as the page applies them (`https://k8s.io/examples/...`
  # reads exercises/docs/...). The claims ask for the `manual` StorageClass, which no provisioner
  # serves, so the first claim stays Pending, as the page shows; the second is refused by the
  # ResourceQuota admission plugin before it is stored. The quota counts a LoadBalancer Service as
  # one load balancer and as its node ports too (a LoadBalancer allocates node ports unless
  # `allocateLoadBalancerNodePorts: false`), so with `services.nodeports: "0"` even a LoadBalancer
  # is refused; the message names only the quota it exceeds (the admission plugin masks the rest).
  # kubectl create service wraps the server's error as `failed to create <type> service: ...`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace quota-object-example"
    Then the output is:
      """
      namespace/quota-object-example created
      """
    When I run "kubectl apply -f https://k8s.io/examples/admin/resource/quota-objects.yaml --namespace=quota-object-example"
    Then the output is:
      """
      resourcequota/object-quota-demo created
      """

  Scenario: The quota allows one claim, two load balancers and no node port
    When I run "kubectl get resourcequota object-quota-demo --namespace=quota-object-example --output=yaml"
    Then the output contains:
      """
      status:
        hard:
          persistentvolumeclaims: "1"
          services.loadbalancers: "2"
          services.nodeports: "0"
        used:
          persistentvolumeclaims: "0"
          services.loadbalancers: "0"
          services.nodeports: "0"
      """

  Scenario: The first claim is created and stays Pending, the second exceeds the quota
    When I run "kubectl apply -f https://k8s.io/examples/admin/resource/quota-objects-pvc.yaml --namespace=quota-object-example"
    Then the output is:
      """
      persistentvolumeclaim/pvc-quota-demo created
      """
    When I run "kubectl get persistentvolumeclaims --namespace=quota-object-example"
    Then the output is:
      """
      NAME             STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      pvc-quota-demo   Pending                                      manual         <unset>                 0s
      """
    When I try to run "kubectl apply -f https://k8s.io/examples/admin/resource/quota-objects-pvc-2.yaml --namespace=quota-object-example"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "https://k8s.io/examples/admin/resource/quota-objects-pvc-2.yaml": persistentvolumeclaims "pvc-quota-demo-2" is forbidden: exceeded quota: object-quota-demo, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1
      """
    When I run "kubectl get resourcequota object-quota-demo --namespace=quota-object-example --output=jsonpath={.status.used}"
    Then the output is:
      """
      {"persistentvolumeclaims":"1","services.loadbalancers":"0","services.nodeports":"0"}
      """

  Scenario: No Service of type NodePort, and a LoadBalancer counts its node ports too
    When I try to run "kubectl create service nodeport web --tcp=80:8080 --namespace=quota-object-example"
    Then the command fails with:
      """
      error: failed to create NodePort service: services "web" is forbidden: exceeded quota: object-quota-demo, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0
      """
    When I try to run "kubectl create service loadbalancer web --tcp=80:8080 --namespace=quota-object-example"
    Then the command fails with:
      """
      error: failed to create LoadBalancer service: services "web" is forbidden: exceeded quota: object-quota-demo, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0
      """
    When I run "kubectl create service clusterip web --tcp=80:8080 --namespace=quota-object-example"
    Then the output is:
      """
      service/web created
      """

  Scenario: Clean up
    When I run "kubectl delete namespace quota-object-example"
    Then the output is:
      """
      namespace "quota-object-example" deleted
      """
