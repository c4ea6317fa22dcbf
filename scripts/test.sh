#!/usr/bin/env bash
# Builds deepdock with the `ci` preset (warnings as errors) and runs the whole test suite
# against the real components, which it starts first and stops, by pid, when it ends —
# also when the tests fail or the run is interrupted. Installs missing Debian packages.
# Exit status: ctest's (a failed configure or build fails the run too).
#
# Components that cannot start fail the run under CI (CI=true) or with
# DEEPDOCK_TEST_REQUIRE_COMPONENTS=1; otherwise their tests skip with a reason.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh build components browser bench

# shellcheck source=scripts/test-components.sh
source scripts/test-components.sh

# shellcheck disable=SC2317 # invoked by the EXIT trap
on_exit() {
  local status=$?
  trap - EXIT INT TERM
  dd_session_stop || true
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require_components="${DEEPDOCK_TEST_REQUIRE_COMPONENTS:-$([[ "${CI:-}" == true ]] && echo 1 || echo 0)}"
if ! dd_session_start; then
  if [[ "$require_components" == 1 ]]; then
    dd_say "a real component did not start; the tests need all of them here (logs in $dd_log_dir)"
    exit 1
  fi
  dd_say "WARNING: a real component did not start; the tests that need it will skip"
fi
dd_say "DOCKER_HOST=${DOCKER_HOST:-} DEEPDOCK_TEST_REGISTRY=${DEEPDOCK_TEST_REGISTRY:-}" \
  "DEEPDOCK_TEST_BASE_IMAGE=${DEEPDOCK_TEST_BASE_IMAGE:-}" \
  "DEEPDOCK_TEST_SSH_HOST=${DEEPDOCK_TEST_SSH_HOST:-}"

cmake --preset ci
cmake --build --preset ci

status=0
ctest --preset ci -j "${DEEPDOCK_TEST_JOBS:-2}" --output-on-failure || status=$?
if ((status != 0)); then
  dd_print_log_tails
fi
exit "$status"
