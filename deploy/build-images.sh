#!/usr/bin/env bash
# Builds the container image of every CloudNexus service (JVM mode, Quarkus fast-jar).
#
#   deploy/build-images.sh                 # tag = the project version (pom.xml), e.g. 0.1.0-SNAPSHOT
#   CN_IMAGE_TAG=0.1.0 deploy/build-images.sh
#   CN_IMAGE_REPO=registry.example.com/cloudnexus CN_IMAGE_TAG=0.1.0 CN_PUSH=1 deploy/build-images.sh
#   CN_SKIP_MAVEN=1 deploy/build-images.sh # reuse the jars already in <module>/target/quarkus-app
#
# Images: $CN_IMAGE_REPO/<module>:$CN_IMAGE_TAG (CN_IMAGE_REPO defaults to "cloudnexus", the names
# docker-compose.yml and deploy/k8s/base use). Needs Docker (or CN_DOCKER=podman).
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(api-gateway compute-service cluster-service billing-service webhook-service)
DOCKER="${CN_DOCKER:-docker}"
REPO="${CN_IMAGE_REPO:-cloudnexus}"
if [ -z "${CN_IMAGE_TAG:-}" ]; then
  # the first <version> after the parent's artifactId is the project version
  CN_IMAGE_TAG="$(sed -n '/<artifactId>cloudnexus-parent<\/artifactId>/,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
fi
case "$CN_IMAGE_TAG" in
  ""|latest) echo "refusing image tag '${CN_IMAGE_TAG}': pin a version" >&2; exit 1 ;;
esac

if [ "${CN_SKIP_MAVEN:-0}" != 1 ]; then
  modules="$(IFS=,; echo "${SERVICES[*]}")"
  echo "[images] ./mvnw -B -DskipTests package -pl $modules -am"
  ./mvnw -B -q -DskipTests package -pl "$modules" -am
fi

for svc in "${SERVICES[@]}"; do
  [ -f "$svc/target/quarkus-app/quarkus-run.jar" ] || { echo "missing $svc/target/quarkus-app (run without CN_SKIP_MAVEN)" >&2; exit 1; }
  image="$REPO/$svc:$CN_IMAGE_TAG"
  echo "[images] $DOCKER build -t $image"
  "$DOCKER" build -f "$svc/src/main/docker/Dockerfile.jvm" -t "$image" "$svc"
  if [ "${CN_PUSH:-0}" = 1 ]; then "$DOCKER" push "$image"; fi
done
echo "[images] built ${#SERVICES[@]} images tagged $CN_IMAGE_TAG"
