#!/usr/bin/env bash
# bench/gcp: Google Cloud against the emulator (tests/emulators/gcp), in one run:
#   up:     `deepdock up --ship` with `target.kind: gcp` from nothing to a verified
#           environment, the spec naming three zones of which the first two are stocked out
#           (scenario e2e-up.yaml); the VM is realized as the SSH test host. Printed step by
#           step: each zone attempt, the startup script, then the SSH host's steps. Beside
#           it, what the tutorials do: `gcloud compute instances create` tried zone after
#           zone until one works (the same three zones, the same emulator), timed to the
#           VM's creation only (it does not bootstrap, build or verify anything). Each run
#           starts from an empty host: the image is shipped to it again.
#   status: `deepdock status` for the environment (its VMs in the project, and the
#           containers on its VM over the shared SSH connection) beside `gcloud compute
#           instances list`, both against the same emulator, with hyperfine.
# Usage: bash bench/gcp/run.sh [up-runs] [status-runs]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
runs_up=${1:-2}
runs_status=${2:-10}
cmake --preset dev >/dev/null
cmake --build --preset dev --target deepdock-gcp-emulator >/dev/null
emulator=$root/build/dev/tests/emulators/gcp/deepdock-gcp-emulator
bash scripts/test-components.sh start >/dev/null 2>&1
eval "$(bash scripts/test-components.sh env)"
work=$(mktemp -d)
emu_pid=
cleanup() {
  "$bin" -f "$work/deepdock.yaml" down --delete >/dev/null 2>&1 || true
  [[ -n "$emu_pid" ]] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
realize=$root/tests/emulators/gcp/realize-sshhost.sh
"$emulator" --scenario tests/emulators/gcp/scenarios/e2e-up.yaml --port 0 \
  --port-file "$work/port" --log "$work/requests.jsonl" --work-dir "$work/emu" \
  --realize-command "$realize" --unrealize-command "$realize" 2>"$work/emulator.err" &
emu_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$work/port")"

# What deepdock and gcloud both read: one gcloud configuration pointing at the emulator.
export CLOUDSDK_CONFIG=$work/gcloud
mkdir -p "$CLOUDSDK_CONFIG/configurations"
printf default >"$CLOUDSDK_CONFIG/active_config" # gcloud reads the name verbatim: no newline
printf '[core]\nproject = deepdock-test\n[compute]\nregion = us-west1\n[api_endpoint_overrides]\ncompute = %s/compute/v1/\n' \
  "$url" >"$CLOUDSDK_CONFIG/configurations/config_default"
printf '{"type": "authorized_user", "client_id": "bench", "client_secret": "bench", "refresh_token": "e2e-refresh-token"}\n' \
  >"$work/adc.json"
export GOOGLE_APPLICATION_CREDENTIALS=$work/adc.json DEEPDOCK_GCP_OAUTH_ENDPOINT=$url/token
export NO_GCE_CHECK=True DEEPDOCK_STATE_DIR=$work/state DEEPDOCK_SSH_CONFIG=$DEEPDOCK_TEST_SSH_CONFIG
export CLOUDSDK_CORE_DISABLE_PROMPTS=1 CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true
export CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=true
echo test-token >"$work/token"
export CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=$work/token
ssh -F "$DEEPDOCK_SSH_CONFIG" -o BatchMode=yes whale@127.0.0.1 \
  "sudo mkdir -p /etc/docker && echo '{\"bridge\": \"none\", \"iptables\": false}' | sudo tee /etc/docker/daemon.json >/dev/null"

sed -e 's/^name: offline-pytorch/name: bench-gcp/' -e 's/^gpu: auto.*/gpu: none/' \
  examples/offline-pytorch.yaml >"$work/deepdock.yaml"
cat >>"$work/deepdock.yaml" <<SPEC
target:
  kind: gcp
  gcp: {zones: [us-central1-a, us-central1-b, us-west1-b], accelerator: nvidia-tesla-t4, count: 1}
SPEC
# The image is made and cached here once, so that each run measures the cloud path.
"$bin" -f "$work/deepdock.yaml" --json up --ship >/dev/null 2>"$work/warmup.err" ||
  { cat "$work/warmup.err" >&2; exit 1; }
"$bin" -f "$work/deepdock.yaml" down --images >/dev/null
"$bin" -f "$work/deepdock.yaml" down --delete >/dev/null

now() { date +%s%N; }
for ((i = 1; i <= runs_up; i++)); do
  # The tutorials' way to the VM: gcloud, one zone after the other (deleted again at once:
  # us-west1 has quota for one T4, which deepdock's VM needs next).
  start=$(now)
  for zone in us-central1-a us-central1-b us-west1-b; do
    if gcloud compute instances create "manual-$i" --zone "$zone" --machine-type n1-standard-4 \
      --accelerator type=nvidia-tesla-t4,count=1 --maintenance-policy TERMINATE \
      --image-family ubuntu-2204-lts --image-project ubuntu-os-cloud >/dev/null 2>&1; then
      break
    fi
  done
  echo "$((($(now) - start) / 1000000))" >"$work/gcloud-$i.ms"
  gcloud compute instances describe "manual-$i" --zone us-west1-b --format='value(status)' |
    grep -qx RUNNING || { echo "bench/gcp: gcloud did not create manual-$i" >&2; exit 1; }
  gcloud compute instances delete "manual-$i" --zone us-west1-b --quiet >/dev/null 2>&1
  start=$(now)
  "$bin" -f "$work/deepdock.yaml" --json up --ship >"$work/up-$i.json" 2>"$work/up-$i.err" ||
    { cat "$work/up-$i.err" >&2; exit 1; }
  echo "$((($(now) - start) / 1000000))" >"$work/up-$i.ms"
  echo "bench/gcp: up run $i: deepdock $(cat "$work/up-$i.ms") ms, gcloud create loop $(cat "$work/gcloud-$i.ms") ms" >&2
  if ((i < runs_up)); then
    # The realized VM is a container that outlives the VM: empty it, as a new VM's disk is.
    "$bin" -f "$work/deepdock.yaml" down --images >/dev/null
    "$bin" -f "$work/deepdock.yaml" down --delete >/dev/null
  fi
done

hyperfine --warmup 2 --runs "$runs_status" -N --export-json "$work/status.json" \
  "$bin -f $work/deepdock.yaml status" \
  "gcloud compute instances list" >&2

python3 - "$work" "$runs_up" <<'PY'
import json, sys, pathlib
work, runs = pathlib.Path(sys.argv[1]), int(sys.argv[2])
mean = lambda v: sum(v) / len(v)
ups = [json.loads((work / f"up-{i}.json").read_text()) for i in range(1, runs + 1)]
up_s = [int((work / f"up-{i}.ms").read_text()) / 1000 for i in range(1, runs + 1)]
gc_s = [int((work / f"gcloud-{i}.ms").read_text()) / 1000 for i in range(1, runs + 1)]
print("bench/gcp: the emulator, zones us-central1-a and -b stocked out, us-west1-b has room")
print(f"  up to a verified environment    mean {mean(up_s):7.2f} s  ({runs} runs: {', '.join(f'{x:.2f}' for x in up_s)})")
last = ups[-1]
vm_attempts = [a for a in last["vm"]["attempts"] if a["tried"]]
vm_phase = sum(a["seconds"] for a in vm_attempts)
print("  step by step (last run):")
for a in vm_attempts:
    print(f"    zone {a['zone']:<16} {a['outcome']:<14} {a['seconds']:6.2f} s")
for step in last.get("steps", []):
    print(f"    {step['id']:<21} {step.get('outcome', ''):<14.14} {step.get('seconds', 0):6.2f} s")
steps_s = sum(s.get("seconds", 0) for s in last.get("steps", []))
print(f"    (the rest: plan and quota reads, the serial console, SSH and the bootstrap check: "
      f"{up_s[-1] - vm_phase - steps_s:.2f} s)")
print(f"  gcloud create, zone by zone     mean {mean(gc_s):7.2f} s  (to a created VM only)")
print(f"  VM created: deepdock's attempts {vm_phase:7.2f} s  ratio deepdock/gcloud {vm_phase / mean(gc_s):.3f}")
status = json.loads((work / "status.json").read_text())["results"]
dd, gc = status[0]["mean"] * 1000, status[1]["mean"] * 1000
print(f"  deepdock status                 mean {dd:8.1f} ms  (VMs, then the containers over SSH)")
print(f"  gcloud compute instances list   mean {gc:8.1f} ms")
print(f"  ratio deepdock/gcloud           {dd / gc:.3f}")
PY
