#!/usr/bin/env bash
# The real components the integration tests run against (design.md, "Real components in
# tests"): Debian's dockerd on a private socket, Debian's docker-registry on a free loopback
# port, a debootstrapped Debian bookworm base image imported into that engine, and an SSH
# test host (a container of that image running sshd on a loopback port, without Docker).
#
# usage: scripts/test-components.sh start [engine|registry|image|sshhost]...   (no name: all)
#        scripts/test-components.sh stop     # stops, by pid, what these scripts started
#        scripts/test-components.sh env      # prints the exports for a shell: eval "$(… env)"
#        scripts/test-components.sh status
#
# A component that already answers is reused. A dockerd these scripts did not start (no
# owner file beside its pid file) is never stopped. scripts/test.sh sources this file,
# starts the components for one run and stops what that run started when it ends.
#
# Paths, overridable for a second, independent instance:
#   DEEPDOCK_TEST_RUN_DIR    /run/deepdock-test        socket, pid files, exec root, state
#   DEEPDOCK_TEST_DATA_DIR   /var/lib/deepdock-test    engine data root (survives runs)
#   DEEPDOCK_TEST_CACHE_DIR  /var/cache/deepdock-test  the debootstrap tarball
#   DEEPDOCK_TEST_LOG_DIR    build/test-components     component logs
#   DEEPDOCK_TEST_BASE_IMAGE deepdock-test/bookworm:minbase
#   DEEPDOCK_TEST_MIRROR     the Debian mirror of the apt sources, else deb.debian.org
#   DEEPDOCK_TEST_ENGINE_TIMEOUT  seconds to wait for /_ping (90)

# The pieces live in scripts/components/: common.sh, engine.sh, registry.sh, image.sh,
# sshhost.sh.

dd_components_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/components"
# shellcheck source=scripts/components/common.sh
source "$dd_components_dir/common.sh"
# shellcheck source=scripts/components/engine.sh
source "$dd_components_dir/engine.sh"
# shellcheck source=scripts/components/registry.sh
source "$dd_components_dir/registry.sh"
# shellcheck source=scripts/components/image.sh
source "$dd_components_dir/image.sh"
# shellcheck source=scripts/components/sshhost.sh
source "$dd_components_dir/sshhost.sh"


dd_exports() { # prints the exports of the components that answer
  local port
  dd_engine_ping && printf 'export DOCKER_HOST=%q\n' "unix://$dd_socket"
  port="$(dd_registry_port)"
  if [[ -n "$(dd_registry_pid)" ]] && dd_registry_ready "$port"; then
    printf 'export DEEPDOCK_TEST_REGISTRY=%q\n' "127.0.0.1:$port"
  fi
  dd_engine_ping && dd_image_present && printf 'export DEEPDOCK_TEST_BASE_IMAGE=%q\n' "$dd_base_image"
  port="$(dd_sshhost_port)"
  if dd_engine_ping && dd_sshhost_running && dd_sshhost_ready "$port"; then
    printf 'export DEEPDOCK_TEST_SSH_HOST=%q\n' "ssh://whale@127.0.0.1:$port"
    printf 'export DEEPDOCK_TEST_SSH_CONFIG=%q\n' "$dd_ssh_dir/config"
  fi
  true
}

dd_start_locked() { # owner component...
  local owner="$1" failed=0 component
  shift
  for component in "$@"; do
    case "$component" in
      engine) dd_engine_start "$owner" || failed=1 ;;
      registry) dd_registry_start "$owner" || failed=1 ;;
      image) dd_image_ensure || failed=1 ;;
      sshhost) dd_sshhost_start "$owner" || failed=1 ;;
      *) dd_say "unknown component '$component' (engine, registry, image, sshhost)"; return 2 ;;
    esac
  done
  return "$failed"
}

# Starts the components for this shell's test session and exports their variables.
# Returns non-zero when one could not start; the others still run.
dd_session_start() {
  local status=0
  dd_with_lock dd_start_locked "$$" engine registry image sshhost || status=$?
  # Only what answers is exported; a test whose component is missing skips with a reason.
  unset DOCKER_HOST DEEPDOCK_TEST_REGISTRY DEEPDOCK_TEST_BASE_IMAGE DEEPDOCK_TEST_SSH_HOST \
    DEEPDOCK_TEST_SSH_CONFIG
  eval "$(dd_exports)"
  return "$status"
}

dd_session_stop_locked() {
  if [[ -n "$dd_image_workdir" ]]; then
    dd_remove_tree "$dd_image_workdir"
    dd_image_workdir=""
  fi
  rm -f "$dd_rootfs_tar.partial"
  if [[ -n "$dd_started_sshhost" ]] && dd_engine_ping; then
    dd_sshhost_stop
    dd_started_sshhost=""
  fi
  dd_registry_stop "$dd_started_registry_pid"
  dd_started_registry_pid=""
  dd_engine_stop "$dd_started_engine_pid"
  dd_started_engine_pid=""
}

# Stops, by pid, what dd_session_start started in this shell; nothing else.
dd_session_stop() {
  dd_with_lock dd_session_stop_locked
}

dd_print_log_tails() {
  local log
  for log in "$dd_log_dir"/dockerd.log "$dd_log_dir"/registry.log; do
    dd_tail_log "$log" 20
  done
}

dd_stop_owned_locked() { # stops what `start` started, and what interrupted sessions left
  local pid owner
  if dd_engine_ping && dd_docker inspect "$dd_sshhost_name" >/dev/null 2>&1; then
    owner="$(cat "$dd_sshhost_owner" 2>/dev/null || true)"
    if [[ -n "$owner" && "$owner" != "-" ]] && dd_pid_alive "$owner"; then
      dd_say "the SSH test host belongs to the running test session $owner; left running"
    else
      dd_sshhost_stop
    fi
  fi
  pid="$(dd_registry_pid)"
  if [[ -n "$pid" ]]; then
    owner="$(dd_owner_of "$dd_registry_owner" "$pid")"
    if [[ -n "$owner" && "$owner" != "-" ]] && dd_pid_alive "$owner"; then
      dd_say "docker-registry pid $pid belongs to the running test session $owner; left running"
    else
      dd_registry_stop "$pid"
    fi
  else
    dd_registry_clean
  fi
  pid="$(dd_engine_pid)"
  if [[ -z "$pid" ]]; then
    dd_engine_ping || dd_engine_clean_stale
    return 0
  fi
  owner="$(dd_owner_of "$dd_engine_owner" "$pid")"
  if [[ -z "$owner" ]]; then
    dd_say "dockerd pid $pid was not started by these scripts; left running"
  elif [[ "$owner" != "-" ]] && dd_pid_alive "$owner"; then
    dd_say "dockerd pid $pid belongs to the running test session $owner; left running"
  else
    dd_engine_stop "$pid"
  fi
}

dd_status() {
  local pid port
  pid="$(dd_engine_pid)"
  if dd_engine_ping; then
    local note=""
    if [[ -z "$pid" ]]; then
      note=" (dockerd pid unknown, not started by these scripts)"
    elif [[ -z "$(dd_owner_of "$dd_engine_owner" "$pid")" ]]; then
      note=" (dockerd pid $pid, not started by these scripts)"
    else
      note=" (dockerd pid $pid)"
    fi
    printf 'engine    up    %s%s\n' "unix://$dd_socket" "$note"
  else
    printf 'engine    down  %s\n' "unix://$dd_socket"
  fi
  pid="$(dd_registry_pid)"
  port="$(dd_registry_port)"
  if [[ -n "$pid" ]] && dd_registry_ready "$port"; then
    printf 'registry  up    127.0.0.1:%s (pid %s)\n' "$port" "$pid"
  else
    printf 'registry  down\n'
  fi
  if dd_engine_ping && dd_image_present; then
    printf 'image     up    %s\n' "$dd_base_image"
  elif [[ -s "$dd_rootfs_tar" ]]; then
    printf 'image     down  %s (cached in %s)\n' "$dd_base_image" "$dd_rootfs_tar"
  else
    printf 'image     down  %s\n' "$dd_base_image"
  fi
  port="$(dd_sshhost_port)"
  if dd_engine_ping && dd_sshhost_running && dd_sshhost_ready "$port"; then
    printf 'sshhost   up    ssh://whale@127.0.0.1:%s (container %s)\n' "$port" "$dd_sshhost_name"
  else
    printf 'sshhost   down\n'
  fi
}

dd_main() {
  local command="${1:-}"
  shift || true
  case "$command" in
    start)
      (($#)) || set -- engine registry image sshhost
      dd_with_lock dd_start_locked - "$@" || {
        dd_say "some components did not start (logs in $dd_log_dir)"
        return 1
      }
      dd_say "started; for a shell: eval \"\$($0 env)\""
      dd_exports
      ;;
    stop) dd_with_lock dd_stop_owned_locked ;;
    env) dd_exports ;;
    status) dd_status ;;
    *)
      sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
      return 2
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  dd_main "$@"
fi
