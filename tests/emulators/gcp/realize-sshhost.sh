#!/usr/bin/env bash
# A --realize-command (and --unrealize-command) for deepdock-gcp-emulator: a created
# instance becomes the SSH test host that scripts/test-components.sh starts (a container
# with sshd on a loopback port; its ssh config maps 127.0.0.1 to that port), so `deepdock up`
# with `target.kind: gcp` reaches a real host at the instance's natIP, 127.0.0.1.
#
#   up:   each "user:key" line of the ssh-keys metadata goes into that user's
#         authorized_keys in the container (the user is made, with passwordless sudo, as
#         Google's guest agent does); with DEEPDOCK_GCPEMU_RUN_STARTUP_SCRIPT=1 the
#         startup-script runs there as root in the background, its lines going to serial
#         port 1 the way google_metadata_script_runner writes them; prints 127.0.0.1.
#   down: the keys it added are taken out again.
#
# Environment from the emulator: REALIZE_ACTION, INSTANCE_NAME, ZONE, SSH_KEYS,
# STARTUP_SCRIPT_FILE, SERIAL_PORT_FILE. From the test setup: DOCKER_HOST (the test engine)
# and DEEPDOCK_TEST_SSHHOST_NAME (default deepdock-test-sshhost).
set -euo pipefail

host="${DEEPDOCK_TEST_SSHHOST_NAME:-deepdock-test-sshhost}"
state_dir="$(dirname "$SERIAL_PORT_FILE")"
added="$state_dir/added-keys"

in_host() { docker exec -i "$host" "$@"; }

# user key: adds (or with "remove", removes) one authorized key, as root in the host.
edit_key() { # add|remove user key
  in_host sh -s "$@" <<'SCRIPT'
set -eu
action="$1" user="$2" key="$3"
if ! id "$user" >/dev/null 2>&1; then
  [ "$action" = add ] || exit 0
  useradd -m -s /bin/bash "$user"
  mkdir -p /etc/sudoers.d
  printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$user" >"/etc/sudoers.d/gcp-$user"
  chmod 0440 "/etc/sudoers.d/gcp-$user"
fi
home="$(getent passwd "$user" | cut -d: -f6)"
keys="$home/.ssh/authorized_keys"
mkdir -p "$home/.ssh"
touch "$keys"
if [ "$action" = add ]; then
  grep -qxF "$key" "$keys" || printf '%s\n' "$key" >>"$keys"
else
  grep -vxF "$key" "$keys" >"$keys.new" || true
  mv "$keys.new" "$keys"
fi
chown -R "$user:" "$home/.ssh"
chmod 0700 "$home/.ssh"
chmod 0600 "$keys"
SCRIPT
}

run_startup_script() { # in the background, its output on serial port 1
  local status=0
  echo "Starting startup scripts (version emulator)."
  echo "Found startup-script in metadata."
  in_host sh -c 'cat >/tmp/gcp-startup-script && chmod 0755 /tmp/gcp-startup-script' \
    <"$STARTUP_SCRIPT_FILE"
  in_host /tmp/gcp-startup-script 2>&1 </dev/null | sed -u 's/^/startup-script: /' ||
    status=${PIPESTATUS[0]}
  if ((status == 0)); then
    echo "startup-script exit status 0"
  else
    echo "Script \"startup-script\" failed with error: exit status $status"
  fi
  echo "Finished running startup scripts."
}

case "${REALIZE_ACTION:-up}" in
  up)
    while IFS= read -r line; do
      [[ "$line" == *:* ]] || continue
      edit_key add "${line%%:*}" "${line#*:}"
      printf '%s\n' "$line" >>"$added"
    done <<<"$SSH_KEYS"
    if [[ "${DEEPDOCK_GCPEMU_RUN_STARTUP_SCRIPT:-0}" == 1 && -s "$STARTUP_SCRIPT_FILE" ]]; then
      # stdout must not stay open: the emulator reads it to the end for the address
      run_startup_script >>"$SERIAL_PORT_FILE" 2>&1 </dev/null &
    fi
    echo 127.0.0.1
    ;;
  down)
    if [[ -r "$added" ]]; then
      while IFS= read -r line; do
        edit_key remove "${line%%:*}" "${line#*:}"
      done <"$added"
      rm -f "$added"
    fi
    ;;
  *)
    echo "unknown REALIZE_ACTION '$REALIZE_ACTION'" >&2
    exit 2
    ;;
esac
