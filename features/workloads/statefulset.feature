@epic:Workloads @feature:StatefulSet
Feature: StatefulSets — stable names, stable storage, ordered rollout
  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/
  A StatefulSet runs pods named `<set>-0`, `<set>-1`, … created one after the other, each once the
  previous one is Running and Ready, and removed in reverse order. Each pod keeps its hostname and
  a DNS name under the governing headless Service (`web-0.nginx`), and its own PersistentVolumeClaim
  from the volumeClaimTemplates (`www-web-0`), which outlives the pod. A template change rolls out
  from the highest ordinal down (RollingUpdate, optionally from a `partition` on), or waits for
  pods to be deleted (OnDelete). Where the tutorial patches the StatefulSet with `kubectl patch`,
  the scenarios apply the changed manifest, which gives the same object.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: nginx
        labels:
          app: nginx
      spec:
        ports:
        - port: 80
          name: web
        clusterIP: None
        selector:
          app: nginx
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 2
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.21
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#ordered-pod-creation
  Scenario: Pods are created in order, each once its predecessor is Running and Ready
    When 1 second passes
    And I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      NAME    READY   STATUS              RESTARTS   AGE
      web-0   0/1     ContainerCreating   0          1s
      """
    When 1 minute passes
    And I run "kubectl get service nginx"
    Then the output is:
      """
      NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
      nginx   ClusterIP   None         <none>        80/TCP    61s
      """
    When I run "kubectl get statefulset web"
    Then the output is:
      """
      NAME   READY   AGE
      web    2/2     61s
      """
    When I run "kubectl get events --field-selector involvedObject.kind=StatefulSet -o custom-columns=REASON:.reason,MESSAGE:.message"
    Then the output is:
      """
      REASON             MESSAGE
      SuccessfulCreate   create Claim www-web-0 Pod web-0 in StatefulSet web success
      SuccessfulCreate   create Pod web-0 in StatefulSet web successful
      SuccessfulCreate   create Claim www-web-1 Pod web-1 in StatefulSet web success
      SuccessfulCreate   create Pod web-1 in StatefulSet web successful
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#using-stable-network-identities
  Scenario: Stable hostnames and DNS names under the headless Service
    When 1 minute passes
    And I run "kubectl exec web-0 -- sh -c hostname"
    Then the output is:
      """
      web-0
      """
    When I run "kubectl exec web-1 -- sh -c hostname"
    Then the output is:
      """
      web-1
      """
    # The tutorial runs `kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm`
    # and types `nslookup web-0.nginx` in its shell; a scenario has no terminal, so the lookup is
    # the container's command after `--` (kubectl prints its output and deletes the pod).
    When I run "kubectl run -i --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-0.nginx"
    Then the output contains:
      """
      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      Name:      web-0.nginx
      """
    And the output contains:
      """
      pod "dns-test" deleted
      """
    # The address is web-0's pod IP, which depends on the node the scheduler picked (the page
    # notes that the IPs will differ): the scenario checks the name the address resolves back to.
    And the output contains:
      """
      web-0.nginx.default.svc.cluster.local
      """
    When I run "kubectl run -i --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-1.nginx.default.svc.cluster.local"
    Then the output contains:
      """
      Name:      web-1.nginx.default.svc.cluster.local
      """
    And the output contains:
      """
       web-1.nginx.default.svc.cluster.local
      """
    When I run "kubectl delete pod -l app=nginx"
    Then the output is:
      """
      pod "web-0" deleted
      pod "web-1" deleted
      """
    When 1 minute passes
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,HOSTNAME:.spec.hostname,SUBDOMAIN:.spec.subdomain"
    Then the output is:
      """
      NAME    HOSTNAME   SUBDOMAIN
      web-0   web-0      nginx
      web-1   web-1      nginx
      """
    When I run "kubectl run -i --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-0.nginx"
    Then the output contains:
      """
      Name:      web-0.nginx
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#writing-to-stable-storage
  Scenario: Each pod writes to its own claim, and finds it again after being deleted
    When 1 minute passes
    Then statefulset "web" has 2 ready replicas
    And persistentvolumeclaim "www-web-0" is bound
    And persistentvolumeclaim "www-web-1" is bound
    And I run "kubectl get pvc -l app=nginx -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,CAPACITY:.status.capacity.storage,MODES:.status.accessModes[0],CLASS:.spec.storageClassName"
    Then the output is:
      """
      NAME        STATUS   CAPACITY   MODES           CLASS
      www-web-0   Bound    1Gi        ReadWriteOnce   standard
      www-web-1   Bound    1Gi        ReadWriteOnce   standard
      """
    When I run "kubectl exec web-0 -- sh -c 'echo $(hostname) > /usr/share/nginx/html/index.html'"
    And I run "kubectl exec web-1 -- sh -c 'echo $(hostname) > /usr/share/nginx/html/index.html'"
    And I run "kubectl exec web-0 -- curl -s localhost"
    Then the output is:
      """
      web-0
      """
    When I run "kubectl exec web-1 -- curl -s localhost"
    Then the output is:
      """
      web-1
      """
    When I run "kubectl delete pod -l app=nginx" and 1 minute passes
    And I run "kubectl exec web-0 -- curl -s localhost"
    Then the output is:
      """
      web-0
      """
    When I run "kubectl exec web-1 -- curl -s localhost"
    Then the output is:
      """
      web-1
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#scaling-a-statefulset
  Scenario: Scaling up creates pods in order; scaling down removes the highest ordinals and keeps their claims
    When 1 minute passes
    And I run "kubectl scale sts web --replicas=5"
    Then the output is:
      """
      statefulset.apps/web scaled
      """
    When 1 minute passes
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,STATUS:.status.phase"
    Then the output is:
      """
      NAME    STATUS
      web-0   Running
      web-1   Running
      web-2   Running
      web-3   Running
      web-4   Running
      """
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 3
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.21
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """
    And 1 minute passes
    And I run "kubectl get pods -l app=nginx -o name"
    Then the output is:
      """
      pod/web-0
      pod/web-1
      pod/web-2
      """
    When I run "kubectl get pvc -l app=nginx -o name"
    Then the output is:
      """
      persistentvolumeclaim/www-web-0
      persistentvolumeclaim/www-web-1
      persistentvolumeclaim/www-web-2
      persistentvolumeclaim/www-web-3
      persistentvolumeclaim/www-web-4
      """
    When I run "kubectl get events --field-selector involvedObject.kind=StatefulSet,reason=SuccessfulDelete -o custom-columns=MESSAGE:.message"
    Then the output is:
      """
      MESSAGE
      delete Pod web-4 in StatefulSet web successful
      delete Pod web-3 in StatefulSet web successful
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#rolling-update
  Scenario: A rolling update replaces the pods from the highest ordinal down; rollout status, history and undo
    When 1 minute passes
    And I run "kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.24"
    And I run "kubectl rollout status sts/web"
    Then the output contains:
      """
      partitioned roll out complete: 2 new pods have been updated...
      """
    When I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NAME    IMAGE
      web-0   registry.k8s.io/nginx-slim:0.24
      web-1   registry.k8s.io/nginx-slim:0.24
      """
    When I run "kubectl get events --field-selector involvedObject.kind=StatefulSet,reason=SuccessfulDelete -o custom-columns=MESSAGE:.message"
    Then the output is:
      """
      MESSAGE
      delete Pod web-1 in StatefulSet web successful
      delete Pod web-0 in StatefulSet web successful
      """
    When I run "kubectl rollout history sts/web"
    Then the output is:
      """
      statefulset.apps/web
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>
      """
    When I run "kubectl rollout undo sts/web"
    Then the output is:
      """
      statefulset.apps/web rolled back
      """
    When I run "kubectl rollout status sts/web"
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NAME    IMAGE
      web-0   registry.k8s.io/nginx-slim:0.21
      web-1   registry.k8s.io/nginx-slim:0.21
      """
    And statefulset "web" matches:
      """yaml
      status:
        replicas: 2
        readyReplicas: 2
        currentReplicas: 2
        updatedReplicas: 2
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#staging-an-update
  Scenario: A partition stages an update; lowering it rolls out a canary, then the rest
    When I run "kubectl scale sts web --replicas=3" and 2 minutes pass
    And I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 3
        updateStrategy:
          type: RollingUpdate
          rollingUpdate:
            partition: 3
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.24
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """
    And 1 minute passes
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NAME    IMAGE
      web-0   registry.k8s.io/nginx-slim:0.21
      web-1   registry.k8s.io/nginx-slim:0.21
      web-2   registry.k8s.io/nginx-slim:0.21
      """
    When I run "kubectl rollout status sts/web"
    Then the output is:
      """
      partitioned roll out complete: 0 new pods have been updated...
      """
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 3
        updateStrategy:
          type: RollingUpdate
          rollingUpdate:
            partition: 2
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.24
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """
    And 1 minute passes
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NAME    IMAGE
      web-0   registry.k8s.io/nginx-slim:0.21
      web-1   registry.k8s.io/nginx-slim:0.21
      web-2   registry.k8s.io/nginx-slim:0.24
      """
    # The canary survives deletion at the update revision; ordinals below the partition come back at the current one.
    When I run "kubectl delete pod web-1" and 1 minute passes
    And I run "kubectl get pod web-1 -o jsonpath={.spec.containers[0].image}"
    Then the output is:
      """
      registry.k8s.io/nginx-slim:0.21
      """
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 3
        updateStrategy:
          type: RollingUpdate
          rollingUpdate:
            partition: 0
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.24
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """
    And I run "kubectl rollout status sts/web"
    Then the output contains:
      """
      partitioned roll out complete: 3 new pods have been updated...
      """
    When I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NAME    IMAGE
      web-0   registry.k8s.io/nginx-slim:0.24
      web-1   registry.k8s.io/nginx-slim:0.24
      web-2   registry.k8s.io/nginx-slim:0.24
      """

  # Source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/#deleting-statefulsets
  Scenario: Non-cascading deletion leaves the pods; a new StatefulSet adopts them
    When 1 minute passes
    And I run "kubectl delete statefulset web --cascade=orphan"
    Then the output is:
      """
      statefulset.apps "web" deleted
      """
    When 5 seconds pass
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,OWNER:.metadata.ownerReferences"
    Then the output is:
      """
      NAME    OWNER
      web-0   <none>
      web-1   <none>
      """
    When I run "kubectl delete pod web-0" and 10 seconds pass
    And I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 2
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.21
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """
    And 1 minute passes
    And I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,OWNER:.metadata.ownerReferences[0].name"
    Then the output is:
      """
      NAME    OWNER
      web-0   web
      web-1   web
      """
    When I run "kubectl delete statefulset web" and 1 minute passes
    And I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      """
    When I run "kubectl get pvc -l app=nginx -o name"
    Then the output is:
      """
      persistentvolumeclaim/www-web-0
      persistentvolumeclaim/www-web-1
      """

  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention
  Scenario: persistentVolumeClaimRetentionPolicy whenScaled Delete removes the claims of removed pods
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: web
      spec:
        serviceName: "nginx"
        replicas: 2
        persistentVolumeClaimRetentionPolicy:
          whenDeleted: Retain
          whenScaled: Delete
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: registry.k8s.io/nginx-slim:0.21
              ports:
              - containerPort: 80
                name: web
              volumeMounts:
              - name: www
                mountPath: /usr/share/nginx/html
        volumeClaimTemplates:
        - metadata:
            name: www
          spec:
            accessModes: [ "ReadWriteOnce" ]
            resources:
              requests:
                storage: 1Gi
      """
    And 1 minute passes
    And I run "kubectl scale sts web --replicas=1" and 1 minute passes
    And I run "kubectl get pvc -l app=nginx -o name"
    Then the output is:
      """
      persistentvolumeclaim/www-web-0
      """
