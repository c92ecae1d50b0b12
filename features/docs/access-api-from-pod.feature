Feature: Accessing the Kubernetes API from a Pod
  # Source: https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
  #
  # From inside a Pod, the API server is the `kubernetes` Service of the `default` namespace
  # (`https://kubernetes.default.svc`, 10.96.0.1:443), whose endpoint is the API server's own
  # address on the node network (172.18.0.2:6443 on a kind cluster). The kubelet mounts the Pod's
  # service account credentials at /var/run/secrets/kubernetes.io/serviceaccount: a token, the
  # cluster's CA bundle (ca.crt) and the namespace. The page's commands, typed into a shell in the
  # Pod, send the token as a bearer token: the API server authenticates it as the service account
  # and answers `/api` (the page shows the address of its own cluster's API server; on a kind
  # cluster it is 172.18.0.2:6443). The page gives no image: any image with a shell and curl
  # does; this one is curlimages/curl, the image "Connecting Applications with Services" uses.
  # The service account may read the discovery paths and nothing more until a Role grants it
  # (the page's "Security considerations"): listing the Pods is refused with a 403 Status. Without
  # the token the request is anonymous, and anonymous users may not read `/api`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl run curl --image=curlimages/curl:8.18.0 --command -- sleep infinity"
    Then within 1 minute pod "curl" is Running

  Scenario: Without using a proxy: curl with the service account's token and the cluster's CA
    When I run "kubectl exec -it curl -- sh" and type:
      """
      # Point to the internal API server hostname
      APISERVER=https://kubernetes.default.svc

      # Path to ServiceAccount token
      SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount

      # Read this Pod's namespace
      NAMESPACE=$(cat ${SERVICEACCOUNT}/namespace)

      # Read the ServiceAccount bearer token
      TOKEN=$(cat ${SERVICEACCOUNT}/token)

      # Reference the internal certificate authority (CA)
      CACERT=${SERVICEACCOUNT}/ca.crt

      # Explore the API with TOKEN
      curl --cacert ${CACERT} --header "Authorization: Bearer ${TOKEN}" -X GET ${APISERVER}/api
      exit
      """
    Then the output is:
      """
      {
        "kind": "APIVersions",
        "versions": [
          "v1"
        ],
        "serverAddressByClientCIDRs": [
          {
            "clientCIDR": "0.0.0.0/0",
            "serverAddress": "172.18.0.2:6443"
          }
        ]
      }
      """

  Scenario: The default service account may not list Pods until a Role grants it
    When I run "kubectl exec -it curl -- sh" and type:
      """
      SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
      NAMESPACE=$(cat ${SERVICEACCOUNT}/namespace)
      TOKEN=$(cat ${SERVICEACCOUNT}/token)
      curl --cacert ${SERVICEACCOUNT}/ca.crt --header "Authorization: Bearer ${TOKEN}" https://kubernetes.default.svc/api/v1/namespaces/${NAMESPACE}/pods
      exit
      """
    Then the output is:
      """
      {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
        "reason": "Forbidden",
        "details": {
          "kind": "pods"
        },
        "code": 403
      }
      """
    When I run "kubectl create role pod-reader --verb=get,list --resource=pods"
    And I run "kubectl create rolebinding default-pod-reader --role=pod-reader --serviceaccount=default:default"
    And I run "kubectl exec -it curl -- sh" and type:
      """
      SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
      TOKEN=$(cat ${SERVICEACCOUNT}/token)
      curl -s --cacert ${SERVICEACCOUNT}/ca.crt --header "Authorization: Bearer ${TOKEN}" https://kubernetes.default.svc/api/v1/namespaces/default/pods | grep '"phase"'
      exit
      """
    Then the output is:
      """
              "phase": "Running",
      """

  Scenario: Without the token the request is anonymous, and anonymous users may not read the API
    When I run "kubectl exec curl -- curl -s --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt https://kubernetes.default.svc/api"
    Then the output contains:
      """
        "message": "forbidden: User \"system:anonymous\" cannot get path \"/api\"",
        "reason": "Forbidden",
      """
    When I run "kubectl exec curl -- curl -s --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt https://kubernetes.default.svc/version"
    Then the output contains:
      """
        "gitVersion": "v1.32.0",
      """

  Scenario: The API server speaks TLS only: a plain http request gets Go's 400
    # kube-apiserver's secure port answers a request that is not a TLS handshake as Go's net/http
    # server does, with `400 Bad Request` and this body, whoever sends it.
    When I run "kubectl exec curl -- curl -s -w ' %{http_code}' http://kubernetes.default.svc:443/api"
    Then the output is:
      """
      Client sent an HTTP request to an HTTPS server.
       400
      """
