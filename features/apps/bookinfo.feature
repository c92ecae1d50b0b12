@epic:Apps @feature:Bookinfo
Feature: Istio's Bookinfo sample application, without Istio
  # Source: https://istio.io/latest/docs/setup/getting-started/ ("Deploy the sample application":
  # `kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml`, `kubectl get services`,
  # `kubectl get pods`, and the check that the app answers) and
  # https://istio.io/latest/docs/examples/bookinfo/. The manifest is istio/istio's
  # samples/bookinfo/platform/kube/bookinfo.yaml at the release 1.29.6 (commit 7019d6d), copied
  # verbatim in exercises/apps/bookinfo/bookinfo.yaml (exercises/apps/SOURCES); its images 1.20.3
  # run as their source (samples/bookinfo/src) does (src/images/programs/bookinfo.ts).
  Bookinfo is a small online bookstore made of four services, each in another language: the
  product page (Python) shows a book with its details (Ruby) and its reviews (Java); the reviews
  come in three versions: v1 shows no stars, v2 asks the ratings service (Node.js) and shows black
  stars, v3 red ones. The manifest creates one Service per service, a ServiceAccount each, and six
  Deployments (three for the reviews, all behind the one `reviews` Service). Istio is not needed
  to run it: without a mesh the Service spreads the product page's calls over the three reviews
  versions.

  Background:
    Given a cluster with nodes:
      | name         | cpu | memory |
      | kind-worker  | 4   | 8Gi    |
      | kind-worker2 | 4   | 8Gi    |
    When I run "kubectl apply -f https://raw.githubusercontent.com/istio/istio/1.29.6/samples/bookinfo/platform/kube/bookinfo.yaml"
    Then the output is:
      """
      service/details created
      serviceaccount/bookinfo-details created
      deployment.apps/details-v1 created
      service/ratings created
      serviceaccount/bookinfo-ratings created
      deployment.apps/ratings-v1 created
      service/reviews created
      serviceaccount/bookinfo-reviews created
      deployment.apps/reviews-v1 created
      deployment.apps/reviews-v2 created
      deployment.apps/reviews-v3 created
      service/productpage created
      serviceaccount/bookinfo-productpage created
      deployment.apps/productpage-v1 created
      """

  Scenario: The getting-started check: the product page answers with the bookstore's title
    When I run "kubectl wait --for=condition=ready pod --all --timeout=120s"
    And I run "kubectl get services"
    Then the output is:
      """
      NAME          TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)    AGE
      details       ClusterIP   10.105.253.216   <none>        9080/TCP   17s
      kubernetes    ClusterIP   10.96.0.1        <none>        443/TCP    17s
      productpage   ClusterIP   10.105.189.65    <none>        9080/TCP   17s
      ratings       ClusterIP   10.106.159.113   <none>        9080/TCP   17s
      reviews       ClusterIP   10.97.186.35     <none>        9080/TCP   17s
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME                              READY   STATUS    RESTARTS   AGE
      details-v1-bc66964b-49lq2         1/1     Running   0          17s
      productpage-v1-5779457dc7-vpfxj   1/1     Running   0          17s
      ratings-v1-6b647fdfbb-c6nqk       1/1     Running   0          17s
      reviews-v1-566b79657c-kgkzn       1/1     Running   0          17s
      reviews-v2-7cc4ff4dcf-bkzm5       1/1     Running   0          17s
      reviews-v3-7dc9dd5f85-7pjg5       1/1     Running   0          17s
      """
    # The check of Istio's getting-started page, from the ratings container (its image has curl).
    When I run:
      """
      kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"
      """
    Then the output is:
      """
      <title>Simple Bookstore App</title>
      """

  Scenario: The product page calls details and reviews, and reviews v2 and v3 call ratings
    Given I run "kubectl wait --for=condition=ready pod --all --timeout=120s"
    And 15 seconds pass
    # Each service answers JSON on port 9080, under its Service's name.
    When I run "kubectl exec deploy/ratings-v1 -- curl -sS details:9080/details/0"
    Then the output is:
      """
      {"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}
      """
    When I run "kubectl exec deploy/ratings-v1 -- curl -sS ratings:9080/ratings/0"
    Then the output is:
      """
      {"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}
      """
    # The product page's own API passes the details service's answer on.
    When I run "kubectl exec deploy/ratings-v1 -- curl -sS productpage:9080/api/v1/products/0"
    Then the output is:
      """
      {"id": 0, "author": "William Shakespeare", "year": 1595, "type": "paperback", "pages": 200, "publisher": "PublisherA", "language": "English", "ISBN-10": "1234567890", "ISBN-13": "123-1234567890"}
      """
    When I run:
      """
      kubectl exec deploy/ratings-v1 -- curl -sS productpage:9080/productpage | grep -o "Book Details\|Book Reviews\|PublisherA\|Reviews served by"
      """
    Then the output is:
      """
      Book Details
      PublisherA
      Book Reviews
      Reviews served by
      Reviews served by
      """
    # The ratings service logs each request it gets: here the reviews version that answered asked it.
    When I run "kubectl logs deploy/ratings-v1"
    Then the output is:
      """
      Server listening on: http://0.0.0.0:9080
      GET /ratings/0
      GET /ratings/0
      """

  Scenario: Too early: the pods are ready before the reviews server listens, and the page says so
    # bookinfo.yaml gives its containers no readiness probe: a pod is ready as soon as its container
    # runs. The reviews image is large and Open Liberty takes a while to start, so for a while the
    # reviews Service routes to pods that refuse the connection.
    When I run "kubectl wait --for=condition=ready pod -l app=productpage --timeout=60s"
    And I run:
      """
      kubectl exec deploy/ratings-v1 -- curl -sS productpage:9080/productpage | grep -o "Error fetching product reviews\|Sorry[^<]*"
      """
    Then the output is:
      """
      Error fetching product reviews
      Sorry, product reviews are currently unavailable for this book.
      """
