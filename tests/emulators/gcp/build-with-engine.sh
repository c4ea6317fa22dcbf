#!/usr/bin/env bash
# A --build-command for deepdock-gcp-emulator: the docker step of a Cloud Build made real on
# the test engine. It builds the unpacked source as `gcr.io/cloud-builders/docker build -t
# IMAGE .` would, then pushes IMAGE as Cloud Build does with images[]; `docker push` prints
# the "digest: sha256:..." line the emulator reads into results.images.
#
# Environment from the emulator: CONTEXT_DIR, IMAGE, BUILD_ID, PROJECT, LOG_FILE. From the
# test setup (scripts/test-components.sh env): DOCKER_HOST, the test engine. In tests IMAGE
# names the test registry (DEEPDOCK_TEST_REGISTRY, 127.0.0.1:PORT), which the engine
# reaches over plain HTTP as it does any loopback registry. The engine has no bridge
# network, so RUN steps use the host's; a failed step leaves no container behind.
set -euo pipefail

: "${CONTEXT_DIR:?the emulator sets CONTEXT_DIR}" "${IMAGE:?the emulator sets IMAGE}"
echo "Building $IMAGE for build ${BUILD_ID:-?} of ${PROJECT:-?}"
# The classic builder: the test engine (Debian's 20.10) has no BuildKit frontend to offer.
DOCKER_BUILDKIT=0 docker build --force-rm --network host -t "$IMAGE" "$CONTEXT_DIR"
docker push "$IMAGE"
