#!/usr/bin/env bash
# Rebuilds exercises/apps/envoy-gateway/{install,quickstart}.yaml, Envoy Gateway's release assets,
# from a clone of envoyproxy/gateway at a tag, without helm (this machine has none):
#   scripts/envoy-gateway-release.sh <git dir of envoyproxy/gateway> v1.3.3
#
# The release workflow (.github/workflows/release.yaml) runs
#   IMAGE_PULL_POLICY=IfNotPresent make generate-artifacts IMAGE=envoyproxy/gateway TAG=<tag>
# whose tools/make/kube.mk `generate-manifests` is
#   helm template --set createNamespace=true eg charts/gateway-helm --include-crds --namespace envoy-gateway-system
# over values.yaml = values.tmpl.yaml with GatewayImage=envoyproxy/gateway:<tag> and
# GatewayImagePullPolicy=IfNotPresent, and copies examples/kubernetes/quickstart.yaml.
#
# The tag's test/helm/gateway-helm/default-config.out.yaml is the same chart rendered by
# `make helm-generate` (CI checks it is current) with the release name `gateway-helm`, the image
# docker.io/envoyproxy/gateway-dev:latest (pull policy Always) and no Namespace. This script turns it
# into the release's rendering: helm's `--include-crds` blocks first (helm's template.go prints each
# file of crds/ as "---\n# Source: <chart>/<file>\n<data>\n", in the loader's lexical order), the
# Namespace template (createNamespace=true; helm trims a document's space), then the test output with
# the release name `eg` (eg.fullname is "<release>-<chart>" unless the release name contains the
# chart's: `eg-gateway-helm-…`; the instance label `eg`) and the release image and pull policy.
set -euo pipefail
git_dir=$1 tag=$2
out=$(cd "$(dirname "$0")/.." && pwd)/exercises/apps/envoy-gateway
mkdir -p "$out"
G() { git --git-dir="$git_dir" "$@"; }
{
  for f in $(G ls-tree -r --name-only "$tag" charts/gateway-helm/crds | LC_ALL=C sort); do
    printf -- '---\n# Source: gateway-helm/%s\n' "${f#charts/gateway-helm/}"
    G show "$tag:$f"
    printf '\n'
  done
  printf -- "---\n# Source: gateway-helm/templates/namespace.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: 'envoy-gateway-system'\n"
  G show "$tag:test/helm/gateway-helm/default-config.out.yaml" | sed -E \
    -e 's#^(    |      |        )app\.kubernetes\.io/instance: gateway-helm$#\1app.kubernetes.io/instance: eg#' \
    -e "s#(serviceAccountName: |name: '?)gateway-helm-(envoy-gateway-role|envoy-gateway-rolebinding|infra-manager|leader-election-role|leader-election-rolebinding|certgen)#\1eg-gateway-helm-\2#" \
    -e 's#docker\.io/envoyproxy/gateway-dev:latest#envoyproxy/gateway:'"$tag"'#' \
    -e 's#imagePullPolicy: Always$#imagePullPolicy: IfNotPresent#'
} >"$out/install.yaml"
G show "$tag:examples/kubernetes/quickstart.yaml" >"$out/quickstart.yaml"
