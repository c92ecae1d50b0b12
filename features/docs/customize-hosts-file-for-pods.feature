Feature: Adding entries to Pod /etc/hosts with HostAliases
  # Source: https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/
  #
  # The kubelet writes each pod's /etc/hosts: localhost, the IPv6 names, the pod's IP and
  # hostname, then the pod's hostAliases. (The page's pod IPs are its cluster's.)

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The default hosts file of a pod
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: nginx
      spec:
        containers:
        - name: nginx
          image: nginx
      """
    And 10 seconds pass
    And I run "kubectl get pods --output=wide"
    Then the output contains:
      """
      nginx   1/1     Running   0          10s   10.244.0.2   k8s-node1
      """
    When I run "kubectl exec nginx -- cat /etc/hosts"
    Then the output is:
      """
      # Kubernetes-managed hosts file.
      127.0.0.1	localhost
      ::1	localhost ip6-localhost ip6-loopback
      fe00::0	ip6-localnet
      fe00::0	ip6-mcastprefix
      fe00::1	ip6-allnodes
      fe00::2	ip6-allrouters
      10.244.0.2	nginx
      """

  Scenario: hostAliases are appended to the hosts file
    When I apply the manifest file "exercises/docs/service/networking/hostaliases-pod.yaml"
    And 10 seconds pass
    And I run "kubectl get pod --output=wide"
    Then the output contains:
      """
      hostaliases-pod   0/1     Completed   0          10s   10.244.0.2   k8s-node1
      """
    When I run "kubectl logs hostaliases-pod"
    Then the output is:
      """
      # Kubernetes-managed hosts file.
      127.0.0.1	localhost
      ::1	localhost ip6-localhost ip6-loopback
      fe00::0	ip6-localnet
      fe00::0	ip6-mcastprefix
      fe00::1	ip6-allnodes
      fe00::2	ip6-allrouters
      10.244.0.2	hostaliases-pod

      # Entries added by HostAliases.
      127.0.0.1	foo.local	bar.local
      10.1.2.3	foo.remote	bar.remote
      """
