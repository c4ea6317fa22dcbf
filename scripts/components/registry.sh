# Sourced by scripts/test-components.sh: Debian's docker-registry on a free loopback port.
# Variables are shared between these files (defined in common.sh).
# shellcheck shell=bash disable=SC2034,SC2154


dd_registry_port() { dd_read_pid "$dd_registry_portfile"; }

dd_registry_ready() { # port
  [[ -n "$1" ]] &&
    [[ "$(curl -sS --noproxy '*' --max-time 5 -o /dev/null -w '%{http_code}' \
      "http://127.0.0.1:$1/v2/" 2>/dev/null)" == 200 ]]
}

dd_registry_pid() {
  local pid
  pid="$(dd_read_pid "$dd_registry_pidfile")"
  if [[ -n "$pid" ]] && dd_pid_is "$pid" docker-registry "$dd_run_dir/registry.yml"; then
    printf '%s' "$pid"
  fi
  true
}

dd_registry_clean() { # removes state and temporary storage; the process must be gone
  local storage
  storage="$(cat "$dd_registry_storagefile" 2>/dev/null || true)"
  if [[ "$storage" == */deepdock-test-registry.* && -d "$storage" ]]; then
    rm -rf --one-file-system "$storage"
  fi
  rm -f "$dd_registry_pidfile" "$dd_registry_owner" "$dd_registry_portfile" \
    "$dd_registry_storagefile"
}

dd_registry_stop() { # pid
  [[ -n "$1" ]] || return 0
  if dd_pid_is "$1" docker-registry "$dd_run_dir/registry.yml"; then
    dd_say "stopping docker-registry pid $1"
    dd_stop_pid "$1" 10
  fi
  dd_registry_clean
}

dd_registry_start() { # owner
  local owner="$1" pid port storage current_owner log="$dd_log_dir/registry.log" attempt deadline
  pid="$(dd_registry_pid)"
  port="$(dd_registry_port)"
  if [[ -n "$pid" ]] && dd_registry_ready "$port"; then
    current_owner="$(dd_owner_of "$dd_registry_owner" "$pid")"
    if [[ -z "$current_owner" ]] || dd_owner_is_orphan "$current_owner"; then
      # left by an interrupted test run: start afresh with empty storage
      dd_say "docker-registry pid $pid was left by an interrupted run; starting a fresh one"
      dd_registry_stop "$pid"
    else
      dd_say "reusing docker-registry pid $pid on 127.0.0.1:$port"
      return 0
    fi
  elif [[ -n "$pid" ]]; then
    dd_registry_stop "$pid"
  else
    dd_registry_clean
  fi

  mkdir -p "$dd_run_dir" "$dd_log_dir"
  for attempt in 1 2 3 4 5; do
    port="$(dd_free_port)" || { dd_say "found no free loopback port"; return 1; }
    storage="$(mktemp -d "${TMPDIR:-/tmp}/deepdock-test-registry.XXXXXX")"
    printf '%s\n' "$storage" >"$dd_registry_storagefile"
    cat >"$dd_run_dir/registry.yml" <<EOF
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
EOF
    printf '\n=== %s: starting docker-registry on 127.0.0.1:%s ===\n' "$(date -Is)" "$port" >>"$log"
    dd_spawn "$log" /usr/bin/docker-registry serve "$dd_run_dir/registry.yml"
    pid=$!
    printf '%s\n' "$pid" >"$dd_registry_pidfile"
    printf '%s\n' "$port" >"$dd_registry_portfile"
    printf '%s %s\n' "$pid" "$owner" >"$dd_registry_owner"
    [[ "$owner" == "-" ]] || dd_started_registry_pid="$pid"
    deadline=$((SECONDS + 30))
    while ((SECONDS < deadline)) && dd_pid_alive "$pid" && ! dd_registry_ready "$port"; do
      sleep 0.2
    done
    if dd_registry_ready "$port"; then
      dd_say "started docker-registry pid $pid on 127.0.0.1:$port (storage $storage, log $log)"
      return 0
    fi
    dd_registry_stop "$pid"
    dd_started_registry_pid=""
    if tail -n 5 "$log" | grep -q 'address already in use'; then
      dd_say "port $port was taken meanwhile (attempt $attempt); picking another"
      continue
    fi
    break
  done
  dd_say "docker-registry did not answer GET /v2/ with 200"
  dd_tail_log "$log"
  return 1
}

