Feature: Pull an Image from a Private Registry
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
  #
  # The page's registry is your.private.registry.example.com, its user janedoe; the scenario
  # declares the page's image private there. exercises/docs/pods/private-reg-pod.yaml is the
  # page's file verbatim, my-private-reg-pod.yaml the copy the page has you edit (its
  # <your-private-image> replaced with the page's example image). private-reg/config.json is the
  # `~/.docker/config.json` the page shows, private-reg/myregistrykey.yaml its Secret example.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And the image "your.private.registry.example.com/janedoe/jdoe-private" is private

  Scenario: A Secret from the credentials on the command line, inspected
    When I run "kubectl create secret docker-registry regcred --docker-server=your.private.registry.example.com --docker-username=janedoe --docker-password=xxxxxxxxxxx --docker-email=jdoe@example.com"
    Then the output is:
      """
      secret/regcred created
      """
    When I run "kubectl get secret regcred --output=yaml"
    Then the output contains:
      """
      apiVersion: v1
      data:
        .dockerconfigjson: eyJhdXRocyI6eyJ5b3VyLnByaXZhdGUucmVnaXN0cnkuZXhhbXBsZS5jb20iOnsidXNlcm5hbWUiOiJqYW5lZG9lIiwicGFzc3dvcmQiOiJ4eHh4eHh4eHh4eCIsImVtYWlsIjoiamRvZUBleGFtcGxlLmNvbSIsImF1dGgiOiJhbUZ1WldSdlpUcDRlSGg0ZUhoNGVIaDRlQT09In19fQ==
      kind: Secret
      metadata:
      """
    And the output contains:
      """
        name: regcred
      """
    And the output contains:
      """
      type: kubernetes.io/dockerconfigjson
      """
    When I run:
      """
      kubectl get secret regcred --output="jsonpath={.data.\.dockerconfigjson}" | base64 --decode
      """
    Then the output is:
      """
      {"auths":{"your.private.registry.example.com":{"username":"janedoe","password":"xxxxxxxxxxx","email":"jdoe@example.com","auth":"amFuZWRvZTp4eHh4eHh4eHh4eA=="}}}
      """
    # The auth field: username and password joined with a colon.
    When I run:
      """
      echo "amFuZWRvZTp4eHh4eHh4eHh4eA==" | base64 --decode
      """
    Then the output is:
      """
      janedoe:xxxxxxxxxxx
      """

  Scenario: A Pod that uses the Secret pulls the private image and runs
    When I run "kubectl create secret docker-registry regcred --docker-server=your.private.registry.example.com --docker-username=janedoe --docker-password=xxxxxxxxxxx --docker-email=jdoe@example.com"
    And I run "kubectl apply -f exercises/docs/pods/my-private-reg-pod.yaml"
    Then the output is:
      """
      pod/private-reg created
      """
    When 10 seconds pass
    And I run "kubectl get pod private-reg"
    Then the output is:
      """
      NAME          READY   STATUS    RESTARTS   AGE
      private-reg   1/1     Running   0          10s
      """

  Scenario: Without the Secret the private image cannot be pulled
    When I run "kubectl apply -f exercises/docs/pods/my-private-reg-pod.yaml"
    And 10 seconds pass
    And I run "kubectl get pod private-reg"
    Then the output contains:
      """
      private-reg   0/1     ErrImagePull   0          10s
      """
    And the events of pod "private-reg" contain:
      """
      Warning FailedToRetrieveImagePullSecret Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.
      Warning Failed Failed to pull image "your.private.registry.example.com/janedoe/jdoe-private:v1": rpc error: code = Unknown desc = failed to pull and unpack image "your.private.registry.example.com/janedoe/jdoe-private:v1": failed to resolve reference "your.private.registry.example.com/janedoe/jdoe-private:v1": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized
      """

  Scenario: The downloaded file, not yet edited, names no image the runtime can parse
    When I run "kubectl create secret docker-registry regcred --docker-server=your.private.registry.example.com --docker-username=janedoe --docker-password=xxxxxxxxxxx --docker-email=jdoe@example.com"
    And I run "kubectl apply -f exercises/docs/pods/private-reg-pod.yaml"
    And 10 seconds pass
    And I run "kubectl get pod private-reg"
    Then the output is:
      """
      NAME          READY   STATUS             RESTARTS   AGE
      private-reg   0/1     InvalidImageName   0          10s
      """
    And the events of pod "private-reg" contain:
      """
      Warning InspectFailed Failed to apply default image tag "<your-private-image>": couldn't parse image name "<your-private-image>": invalid reference format
      Warning Failed Error: InvalidImageName
      """

  Scenario: A Secret from an existing Docker config file
    When I run "kubectl create secret generic regcred --from-file=.dockerconfigjson=exercises/docs/pods/private-reg/config.json --type=kubernetes.io/dockerconfigjson"
    Then the output is:
      """
      secret/regcred created
      """
    When I run "kubectl get secret regcred"
    Then the output is:
      """
      NAME      TYPE                             DATA   AGE
      regcred   kubernetes.io/dockerconfigjson   1      0s
      """

  Scenario: A .dockerconfigjson that is not a Docker config file is refused
    When I run "kubectl create namespace awesomeapps"
    And I try to run "kubectl apply -f exercises/docs/pods/private-reg/myregistrykey.yaml"
    Then the command fails with:
      """
      The Secret "myregistrykey" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'R' looking for beginning of value
      """
