Feature: Example: Deploying WordPress and MySQL with Persistent Volumes
  # Source: https://kubernetes.io/docs/tutorials/stateful-application/mysql-wordpress-persistent-volume/
  #
  # `kubectl apply -k ./` on the tutorial's kustomization: a secretGenerator for the MySQL
  # password and the two manifests (exercises/docs/application/wordpress/, from
  # https://k8s.io/examples/application/wordpress/; kustomization.yaml is the page's two `cat`
  # commands, its password left as YOUR_PASSWORD). The generated Secret's name ends in the hash of
  # its content (the page's mysql-pass-c57bb4t7mf is the hash of the reader's own password), and
  # both Deployments refer to it by that name. The cluster's default StorageClass `standard`
  # provisions the two claims. (The page's Service listing shows type ClusterIP from an older
  # manifest; today's manifest asks for a LoadBalancer, whose EXTERNAL-IP stays <pending> as on
  # Minikube.)

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -k exercises/docs/application/wordpress/"

  Scenario: Apply the kustomization directory
    Then the output is:
      """
      secret/mysql-pass-5m26tmdb5k created
      service/wordpress created
      service/wordpress-mysql created
      persistentvolumeclaim/mysql-pv-claim created
      persistentvolumeclaim/wp-pv-claim created
      deployment.apps/wordpress created
      deployment.apps/wordpress-mysql created
      """

  Scenario: Verify that the Secret exists
    When 9 seconds pass
    And I run "kubectl get secrets"
    Then the output is:
      """
      NAME                    TYPE     DATA   AGE
      mysql-pass-5m26tmdb5k   Opaque   1      9s
      """
    When I run "kubectl get deployment wordpress-mysql -o jsonpath={.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name}"
    Then the output is:
      """
      mysql-pass-5m26tmdb5k
      """

  Scenario: Verify that a PersistentVolume got dynamically provisioned
    When 77 seconds pass
    And I run "kubectl get pvc"
    Then the output is:
      """
      NAME             STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      mysql-pv-claim   Bound    pvc-36ce8df2-beab-46bd-adc7-f36566c8bea3   20Gi       RWO            standard       <unset>                 77s
      wp-pv-claim      Bound    pvc-c681fe46-8992-4216-8ef6-e28e9fa0a5f4   20Gi       RWO            standard       <unset>                 77s
      """

  Scenario: Verify that the Pods are running and the Service exists
    When 2 minutes pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME                               READY   STATUS    RESTARTS   AGE
      wordpress-64957577c8-96k9d         1/1     Running   0          2m
      wordpress-mysql-7bc66bf749-pd6kf   1/1     Running   0          2m
      """
    When 2 minutes pass
    And I run "kubectl get services wordpress"
    Then the output is:
      """
      NAME        TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)        AGE
      wordpress   LoadBalancer   10.105.253.216   <pending>     80:31227/TCP   4m
      """

  Scenario: Clean up: delete the Secret, Deployments, Services and PersistentVolumeClaims
    When I run "kubectl delete -k exercises/docs/application/wordpress/"
    Then the output is:
      """
      secret "mysql-pass-5m26tmdb5k" deleted
      service "wordpress" deleted
      service "wordpress-mysql" deleted
      persistentvolumeclaim "mysql-pv-claim" deleted
      persistentvolumeclaim "wp-pv-claim" deleted
      deployment.apps "wordpress" deleted
      deployment.apps "wordpress-mysql" deleted
      """
    When I run "kubectl get secrets,pvc,deployments"
    Then the error output is:
      """
      No resources found in default namespace.
      """
