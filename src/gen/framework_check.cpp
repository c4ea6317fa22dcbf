#include "gen/framework_check.hpp"

#include <fmt/format.h>

namespace deepdock::gen {
namespace {

// Shared prologue and epilogue; FRAMEWORK and WANT_GPU are set first. The op is a 256x256
// product of ones summed: 256^3 = 2^24, exact in float32, so a wrong device or a broken
// library shows as a wrong value rather than rounding.
constexpr const char* kScript = R"PY(
import json, sys, time
start = time.time()
r = {"framework": FRAMEWORK, "version": "", "gpu_count": 0, "gpus": [], "device": "",
     "value_ok": False, "error": ""}
def run():
    if FRAMEWORK == "tensorflow":
        import os
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf
        r["version"] = tf.__version__
        config = getattr(tf, "config", None)
        if config is not None and hasattr(config, "list_physical_devices"):
            gpus = [d.name for d in config.list_physical_devices("GPU")]
        else:
            from tensorflow.python.client import device_lib
            gpus = [d.name for d in device_lib.list_local_devices() if d.device_type == "GPU"]
        r["gpu_count"] = len(gpus)
        r["gpus"] = gpus
        where = "/GPU:0" if WANT_GPU and gpus else "/CPU:0"
        eager = hasattr(tf, "executing_eagerly") and tf.executing_eagerly()
        with tf.device(where):
            x = tf.reduce_sum(tf.matmul(tf.ones([256, 256]), tf.ones([256, 256])))
        if eager:
            return float(x.numpy()), x.device
        session = getattr(tf, "Session", None) or tf.compat.v1.Session
        proto = getattr(tf, "ConfigProto", None) or tf.compat.v1.ConfigProto
        with session(config=proto(allow_soft_placement=False)) as s:
            return float(s.run(x)), where
    if FRAMEWORK == "pytorch":
        import torch
        r["version"] = torch.__version__
        n = torch.cuda.device_count() if torch.cuda.is_available() else 0
        r["gpu_count"] = n
        r["gpus"] = [torch.cuda.get_device_name(i) for i in range(n)]
        a = torch.ones(256, 256, device="cuda:0" if WANT_GPU and n else "cpu")
        x = (a @ a).sum()
        return float(x.item()), str(x.device)
    if FRAMEWORK == "jax":
        import jax
        import jax.numpy as jnp
        r["version"] = jax.__version__
        try:
            gpus = jax.devices("gpu")
        except RuntimeError:
            gpus = []
        r["gpu_count"] = len(gpus)
        r["gpus"] = [getattr(d, "device_kind", str(d)) for d in gpus]
        device = gpus[0] if WANT_GPU and gpus else jax.devices("cpu")[0]
        a = jax.device_put(jnp.ones((256, 256)), device)
        x = jnp.sum(a @ a)
        x.block_until_ready()
        return float(x), str(device)
    import platform
    r["version"] = platform.python_version()
    return float(sum(256 * 256 for _ in range(256))), "cpu"
try:
    value, device = run()
    r["device"] = device
    r["value_ok"] = abs(value - 16777216.0) < 0.5
except BaseException as e:
    lines = str(e).strip().splitlines()
    r["error"] = "%s: %s" % (type(e).__name__, lines[-1] if lines else "")
r["seconds"] = round(time.time() - start, 3)
sys.stdout.write(MARKER + json.dumps(r) + "\n")
)PY";

std::string framework_name(core::Framework framework) {
  switch (framework) {
    case core::Framework::kTensorflow:
      return "tensorflow";
    case core::Framework::kPytorch:
      return "pytorch";
    case core::Framework::kJax:
      return "jax";
    case core::Framework::kNone:
      break;
  }
  return "none";
}

// `framework: none`: no Python needed. With a GPU wanted, nvidia-smi (mounted by the
// NVIDIA container toolkit) must list one.
constexpr const char* kShellCheck = R"SH(
count=0; gpus=""
if [ "$WANT_GPU" = 1 ]; then
  if command -v nvidia-smi >/dev/null 2>&1; then
    list=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null)
    count=$(printf '%s
' "$list" | grep -c .)
    gpus=$(printf '%s
' "$list" | sed 's/["\]//g; s/.*/"&"/' | paste -sd, -)
  fi
fi
device=cpu; [ "$count" -gt 0 ] && device=gpu
printf '%s{"framework": "none", "version": "%s", "gpu_count": %d, "gpus": [%s], "device": "%s", "value_ok": true, "error": ""}
'   "$MARKER" "$(uname -r)" "$count" "$gpus" "$device"
)SH";

}  // namespace

std::vector<std::string> framework_check_command(core::Framework framework, bool want_gpu) {
  if (framework == core::Framework::kNone) {
    return {"sh", "-c",
            fmt::format("WANT_GPU={}; MARKER='{}'{}", want_gpu ? 1 : 0, kFrameworkCheckMarker,
                        kShellCheck)};
  }
  return {"python3", "-c", framework_check_script(framework, want_gpu)};
}

std::string framework_check_script(core::Framework framework, bool want_gpu) {
  return fmt::format("FRAMEWORK = \"{}\"\nWANT_GPU = {}\nMARKER = \"{}\"{}",
                     framework_name(framework), want_gpu ? "True" : "False", kFrameworkCheckMarker,
                     kScript);
}

}  // namespace deepdock::gen
