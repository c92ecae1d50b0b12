Feature: Set up Ingress on Minikube with the NGINX Ingress Controller
  # Source: https://kubernetes.io/docs/tasks/access-application-cluster/ingress-minikube/
  #
  # The cluster runs ingress-nginx as minikube's `ingress` addon does: the IngressClass `nginx`,
  # a controller answering on the node's port 80, routing by host and path to Services. Its
  # `curl --resolve
  # "hello-world.example:80:$( minikube ip )" -i http://hello-world.example` is a request step and a
  # wget from a busybox pod: an Ingress host resolves to the controller's node, as the page's
  # /etc/hosts line makes it.

  Background:
    Given a cluster with nodes:
      | name     |
      | minikube |
    When I run "kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0"
    Then the output is:
      """
      deployment.apps/web created
      """
    When I run "kubectl expose deployment web --type=NodePort --port=8080"
    Then the output is:
      """
      service/web exposed
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
      spec:
        containers:
        - name: busybox
          image: busybox:1.28
          command: ["sleep", "3600"]
      """
    And 30 seconds pass

  Scenario: The addon's IngressClass
    When I run "kubectl get ingressclass"
    Then the output is:
      """
      NAME    CONTROLLER             PARAMETERS   AGE
      nginx   k8s.io/ingress-nginx   <none>       30s
      """

  Scenario: An Ingress for hello-world.example gets the node's address and routes to web; /v2 to web2
    When I apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: example-ingress
      spec:
        ingressClassName: nginx
        rules:
          - host: hello-world.example
            http:
              paths:
                - path: /
                  pathType: Prefix
                  backend:
                    service:
                      name: web
                      port:
                        number: 8080
      """
    # "This can take a couple of minutes": the controller publishes the address at its status sync.
    Then within 2 minutes the output of "kubectl get ingress" contains:
      """
      example-ingress   nginx   hello-world.example   172.18.0.3   80
      """
    When I request "http://hello-world.example/"
    Then the response status is 200
    When I run "kubectl exec client -- wget -q -O- http://hello-world.example"
    Then the output is:
      """
      Hello, world!
      Version: 1.0.0
      Hostname: web-54668c8f8-zrr7m
      """
    When I run "kubectl create deployment web2 --image=gcr.io/google-samples/hello-app:2.0"
    Then the output is:
      """
      deployment.apps/web2 created
      """
    When I run "kubectl expose deployment web2 --port=8080 --type=NodePort"
    Then the output is:
      """
      service/web2 exposed
      """
    When I apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: example-ingress
      spec:
        ingressClassName: nginx
        rules:
          - host: hello-world.example
            http:
              paths:
                - path: /
                  pathType: Prefix
                  backend:
                    service:
                      name: web
                      port:
                        number: 8080
                - path: /v2
                  pathType: Prefix
                  backend:
                    service:
                      name: web2
                      port:
                        number: 8080
      """
    And 30 seconds pass
    And I run "kubectl exec client -- wget -q -O- http://hello-world.example/v2"
    Then the output is:
      """
      Hello, world!
      Version: 2.0.0
      Hostname: web2-6f95899bdc-b2sw8
      """
    When I run "kubectl exec client -- wget -q -O- http://hello-world.example"
    Then the output is:
      """
      Hello, world!
      Version: 1.0.0
      Hostname: web-54668c8f8-zrr7m
      """

  Scenario: A host no rule has gets ingress-nginx's 404
    When I apply the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: example-ingress
      spec:
        ingressClassName: nginx
        rules:
          - host: hello-world.example
            http:
              paths:
                - path: /
                  pathType: Prefix
                  backend:
                    service:
                      name: web
                      port:
                        number: 8080
      """
    And I request "http://172.18.0.3/"
    Then the response status is 404
