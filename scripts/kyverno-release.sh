#!/usr/bin/env bash
# Rebuilds exercises/apps/kyverno/install.yaml, Kyverno's release asset
# (https://github.com/kyverno/kyverno/releases/download/<tag>/install.yaml), from a clone of
# kyverno/kyverno at a tag, without helm (this machine has none):
#   scripts/kyverno-release.sh <git dir of kyverno/kyverno> v1.14.5
#
# The release workflow runs `make codegen-manifest-release VERSION=<tag>`:
#   helm template kyverno --kube-version $(KUBE_VERSION) --namespace kyverno --skip-tests ./charts/kyverno \
#     --set templating.enabled=true --set templating.version=<tag> \
#     --set admissionController.container.image.tag=<tag> --set admissionController.initContainer.image.tag=<tag> \
#     --set cleanupController.image.tag=<tag> --set reportsController.image.tag=<tag> | sed -e '/^#.*/d'
# (the background controller's tag is left to the chart's default, .Chart.AppVersion = <tag>).
# The tag's config/install-latest-testing.yaml is the same command (`make codegen-manifest-install-latest`,
# which CI checks is current) with `latest` for the version and every image tag; this script puts
# the tag back in those two places only (the `app.kubernetes.io/version` labels the templating
# writes and the five `image:` lines); the CRDs' own `latest` words are left as they are.
set -euo pipefail
git_dir=$1 tag=$2
out=$(cd "$(dirname "$0")/.." && pwd)/exercises/apps/kyverno
mkdir -p "$out"
git --git-dir="$git_dir" show "$tag:config/install-latest-testing.yaml" | sed -E \
  -e 's#^( +app\.kubernetes\.io/version: )latest$#\1'"$tag"'#' \
  -e 's#^(          image: "reg\.kyverno\.io/kyverno/[a-z-]+:)latest"$#\1'"$tag"'"#' \
  >"$out/install.yaml"
