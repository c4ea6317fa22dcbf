# Sourced by scripts/test-components.sh: Debian's dockerd on a private socket.
# Variables are shared between these files (defined in common.sh).
# shellcheck shell=bash disable=SC2034,SC2154


dd_engine_ping() {
  [[ -S "$dd_socket" ]] &&
    [[ "$(curl -fsS --noproxy '*' --max-time 5 --unix-socket "$dd_socket" \
      http://localhost/_ping 2>/dev/null)" == OK ]]
}

dd_engine_pid() { # the live dockerd of our pid file, or nothing
  local pid
  pid="$(dd_read_pid "$dd_engine_pidfile")"
  if [[ -n "$pid" ]] && dd_pid_is "$pid" dockerd "$dd_engine_pidfile"; then printf '%s' "$pid"; fi
  true
}

dd_containerd_pidfile() { printf '%s' "$dd_exec_root/containerd/containerd.pid"; }

# After an unclean stop: a pid file naming a dead or unrelated process makes dockerd
# refuse to start (or reuse a containerd that is not there); an orphaned managed
# containerd of ours keeps its socket. Removes only what is provably stale.
dd_engine_clean_stale() {
  local pid containerd_pidfile
  pid="$(dd_read_pid "$dd_engine_pidfile")"
  if [[ -n "$pid" ]] && ! dd_pid_is "$pid" dockerd "$dd_engine_pidfile"; then
    dd_say "removing stale $dd_engine_pidfile (pid $pid is not our dockerd)"
    rm -f "$dd_engine_pidfile"
  elif [[ -z "$pid" ]]; then
    rm -f "$dd_engine_pidfile"
  fi
  containerd_pidfile="$(dd_containerd_pidfile)"
  pid="$(dd_read_pid "$containerd_pidfile")"
  if [[ -n "$pid" ]] && dd_pid_is "$pid" containerd "$dd_exec_root/containerd/"; then
    dd_say "stopping containerd pid $pid left by a dockerd that is gone"
    dd_stop_pid "$pid" 20
  fi
  if [[ -e "$containerd_pidfile" || -e "$dd_exec_root/containerd/containerd.sock" ]]; then
    dd_say "removing stale containerd pid file and sockets in $dd_exec_root/containerd"
    rm -f "$containerd_pidfile" "$dd_exec_root"/containerd/containerd*.sock*
  fi
  rm -f "$dd_socket" "$dd_engine_owner"
}

dd_engine_wait_ready() { # pid -> 0 when /_ping answers, 1 if dockerd died or timed out
  local pid="$1" deadline=$((SECONDS + dd_engine_timeout))
  while ((SECONDS < deadline)); do
    dd_engine_ping && return 0
    dd_pid_alive "$pid" || return 1
    sleep 0.2
  done
  dd_engine_ping
}

dd_engine_start() { # owner: "-" (persistent) or a session pid
  local owner="$1" pid current_owner log="$dd_log_dir/dockerd.log"
  pid="$(dd_engine_pid)"
  if dd_engine_ping; then
    current_owner="$(dd_owner_of "$dd_engine_owner" "$pid")"
    if [[ -n "$current_owner" ]] && dd_owner_is_orphan "$current_owner"; then
      dd_say "adopting dockerd pid $pid left by an interrupted test run"
      printf '%s %s\n' "$pid" "$owner" >"$dd_engine_owner"
      [[ "$owner" == "-" ]] || dd_started_engine_pid="$pid"
    elif [[ -z "$current_owner" ]]; then
      dd_say "reusing the engine already answering on $dd_socket${pid:+ (dockerd pid $pid)}; it will not be stopped"
    else
      dd_say "reusing the engine on $dd_socket (dockerd pid $pid)"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then # starting, or hung: give it the usual time, never kill it
    dd_say "dockerd pid $pid exists but $dd_socket does not answer yet; waiting"
    dd_engine_wait_ready "$pid" && return 0
    dd_say "dockerd pid $pid does not answer on $dd_socket after ${dd_engine_timeout}s;" \
      "stop it (kill $pid) and run this again"
    dd_tail_log "$log"
    return 1
  fi

  dd_engine_clean_stale
  mkdir -p "$dd_run_dir" "$dd_exec_root" "$dd_data_root" "$dd_log_dir" || return 1
  printf '\n=== %s: starting dockerd ===\n' "$(date -Is)" >>"$log"
  dd_spawn "$log" /usr/sbin/dockerd \
    --host "unix://$dd_socket" \
    --data-root "$dd_data_root" \
    --exec-root "$dd_exec_root" \
    --pidfile "$dd_engine_pidfile" \
    --bridge=none --iptables=false
  pid=$!
  printf '%s %s\n' "$pid" "$owner" >"$dd_engine_owner"
  [[ "$owner" == "-" ]] || dd_started_engine_pid="$pid"
  dd_say "started dockerd pid $pid on $dd_socket (data root $dd_data_root, log $log)"
  if ! dd_engine_wait_ready "$pid"; then
    if dd_pid_alive "$pid"; then
      dd_say "dockerd pid $pid did not answer /_ping on $dd_socket within ${dd_engine_timeout}s; stopping it"
      dd_stop_pid "$pid" 20
    else
      dd_say "dockerd pid $pid exited before answering /_ping on $dd_socket"
    fi
    rm -f "$dd_engine_owner"
    dd_started_engine_pid=""
    dd_tail_log "$log"
    return 1
  fi
  dd_say "engine ready: $(curl -fsS --noproxy '*' --unix-socket "$dd_socket" http://localhost/version |
    sed -n 's/.*"Version":"\([^"]*\)".*"ApiVersion":"\([^"]*\)".*/dockerd \1, API \2/p')"
}

dd_engine_stop() { # pid
  local pid="$1" containerd_pid
  [[ -n "$pid" ]] || return 0
  containerd_pid="$(dd_read_pid "$(dd_containerd_pidfile)")"
  if dd_pid_is "$pid" dockerd "$dd_engine_pidfile"; then
    dd_say "stopping dockerd pid $pid"
    dd_stop_pid "$pid" 30
  fi
  # dockerd stops its managed containerd when it shuts down cleanly, not after a KILL.
  if [[ -n "$containerd_pid" ]] && dd_pid_is "$containerd_pid" containerd "$dd_exec_root/containerd/"; then
    dd_say "stopping containerd pid $containerd_pid"
    dd_stop_pid "$containerd_pid" 20
  fi
  rm -f "$dd_engine_owner"
  [[ -n "$(dd_engine_pid)" ]] || rm -f "$dd_engine_pidfile"
}

