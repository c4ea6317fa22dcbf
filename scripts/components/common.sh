# Sourced by scripts/test-components.sh: paths, pids, ownership, locking, spawning.
# Variables are shared between these files (defined in common.sh).
# shellcheck shell=bash disable=SC2034,SC2154

dd_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dd_run_dir="${DEEPDOCK_TEST_RUN_DIR:-/run/deepdock-test}"
dd_data_dir="${DEEPDOCK_TEST_DATA_DIR:-/var/lib/deepdock-test}"
dd_cache_dir="${DEEPDOCK_TEST_CACHE_DIR:-/var/cache/deepdock-test}"
dd_log_dir="${DEEPDOCK_TEST_LOG_DIR:-$dd_repo_root/build/test-components}"
dd_base_image="${DEEPDOCK_TEST_BASE_IMAGE:-deepdock-test/bookworm:minbase}"
dd_engine_timeout="${DEEPDOCK_TEST_ENGINE_TIMEOUT:-90}"
dd_suite=bookworm

dd_socket="$dd_run_dir/docker.sock"
dd_engine_pidfile="$dd_run_dir/dockerd.pid"
dd_engine_owner="$dd_run_dir/dockerd.owner"
dd_exec_root="$dd_run_dir/exec"
dd_data_root="$dd_data_dir/docker"
dd_registry_pidfile="$dd_run_dir/registry.pid"
dd_registry_owner="$dd_run_dir/registry.owner"
dd_registry_portfile="$dd_run_dir/registry.port"
dd_registry_storagefile="$dd_run_dir/registry.storage"
dd_rootfs_tar="$dd_cache_dir/$dd_suite-minbase.tar"

# What this shell started; a session stops exactly these (scripts/test.sh).
dd_started_engine_pid=""
dd_started_registry_pid=""
dd_image_workdir=""
dd_started_sshhost=""

dd_say() { printf 'test-components: %s\n' "$*" >&2; }

dd_tail_log() { # file [lines]
  [[ -s "$1" ]] || return 0
  printf -- '--- last %s lines of %s ---\n' "${2:-30}" "$1" >&2
  tail -n "${2:-30}" "$1" >&2
  printf -- '--- end of %s ---\n' "$1" >&2
}

dd_pid_alive() { [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null; }

# True when pid is alive, runs program `name`, and its command line contains `needle`:
# a pid file's number may since have been reused by an unrelated process.
dd_pid_is() { # pid name needle
  dd_pid_alive "$1" || return 1
  [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == "$2" ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$3"
}

dd_read_pid() { [[ -r "$1" ]] && tr -dc '0-9' <"$1"; true; }

# Ownership files hold "<pid> <owner>": owner "-" for a persistent start (`start`,
# scripts/up.sh), else the pid of the test session that must stop it.
dd_owner_of() { # owner_file component_pid -> owner, or nothing if it does not match
  local pid owner
  [[ -r "$1" ]] || return 0
  read -r pid owner <"$1" || true
  [[ "$pid" == "$2" ]] && printf '%s' "$owner"
  true
}

dd_owner_is_orphan() { [[ "$1" != "-" ]] && ! dd_pid_alive "$1"; }

# Stops pid with TERM, then KILL after `grace` seconds; returns once it is gone.
dd_stop_pid() { # pid grace_seconds
  local pid="$1" grace="$2" waited=0
  dd_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while dd_pid_alive "$pid" && ((waited < grace * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if dd_pid_alive "$pid"; then
    dd_say "pid $pid did not stop in ${grace}s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    while dd_pid_alive "$pid"; do sleep 0.1; done
  fi
}

dd_lock_held=false
dd_lock_fd=""

dd_with_lock() { # command... ; serialises start/stop between concurrent invocations
  local fd status=0
  # Re-entrant: a trap that runs while this shell holds the lock must not wait for itself.
  if $dd_lock_held; then
    "$@" || status=$?
    return "$status"
  fi
  mkdir -p "$dd_run_dir"
  exec {fd}>"$dd_run_dir/lock"
  dd_lock_fd="$fd"
  if ! flock -w 900 "$fd"; then
    dd_say "timed out waiting for $dd_run_dir/lock"
    exec {fd}>&-
    return 1
  fi
  dd_lock_held=true
  "$@" || status=$?
  dd_lock_held=false
dd_lock_fd=""
  exec {fd}>&-
  return "$status"
}

# Starts a daemon in a session of its own, detached from the terminal and the lock: Ctrl-C
# in the terminal reaches the tests, not the daemon, which the session's trap then stops in
# order. The subshell execs setsid, which does not fork (a background job of a script is
# no process-group leader), so $! is the daemon's pid.
dd_spawn() { # log command...
  local log="$1"
  shift
  (
    [[ -z "$dd_lock_fd" ]] || exec {dd_lock_fd}>&-
    exec setsid "$@" </dev/null >>"$log" 2>&1
  ) &
}

dd_free_port() {
  local port
  if port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null)" && [[ "$port" =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$port"
    return 0
  fi
  for _ in {1..100}; do # no python3: a random high port that refuses connections
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  return 1
}

