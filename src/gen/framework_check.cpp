#include "gen/framework_check.hpp"

#include <fmt/format.h>

namespace deepdock::gen {
namespace {

// Shared prologue and epilogue; FRAMEWORK and WANT_GPU are set first. The op is the sum of
// A @ A for a 256x256 A with entries (i * 256 + j) % 7, placed on the first GPU when one is
// wanted and seen, and compared with the exact value (computed in plain Python) and, on a
// GPU, with the same product on the CPU: a broken library or device shows as a wrong
// value, not as a crash later. The import and the first op are timed apart.
constexpr const char* kScript = R"PY(
import json, sys, time
start = time.time()
N = 256
r = {"framework": FRAMEWORK, "version": "", "gpu_count": 0, "gpus": [], "device": "",
     "value_ok": False, "cpu_agrees": None, "import_seconds": 0.0, "first_op_seconds": 0.0,
     "error": ""}
def expected_sum():
    rows = [0] * N
    cols = [0] * N
    for i in range(N):
        for j in range(N):
            v = (i * N + j) % 7
            rows[i] += v
            cols[j] += v
    return float(sum(cols[k] * rows[k] for k in range(N)))
def timed_import(name):
    t = time.time()
    module = __import__(name)
    r["import_seconds"] = round(time.time() - t, 3)
    return module
def run():
    if FRAMEWORK == "tensorflow":
        import os
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        tf = timed_import("tensorflow")
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
        def product(device):
            with tf.device(device):
                a = tf.reshape(tf.cast(tf.math.floormod(tf.range(N * N), 7), tf.float32), [N, N])
                return tf.reduce_sum(tf.matmul(a, a))
        if hasattr(tf, "executing_eagerly") and tf.executing_eagerly():
            t = time.time()
            x = product(where)
            value = float(x.numpy())
            r["first_op_seconds"] = round(time.time() - t, 3)
            cpu = float(product("/CPU:0").numpy()) if where != "/CPU:0" else None
            return value, x.device, cpu
        session = getattr(tf, "Session", None) or tf.compat.v1.Session
        proto = getattr(tf, "ConfigProto", None) or tf.compat.v1.ConfigProto
        x = product(where)
        y = product("/CPU:0")
        with session(config=proto(allow_soft_placement=False)) as s:
            t = time.time()
            value = float(s.run(x))
            r["first_op_seconds"] = round(time.time() - t, 3)
            cpu = float(s.run(y)) if where != "/CPU:0" else None
            return value, where, cpu
    if FRAMEWORK == "pytorch":
        torch = timed_import("torch")
        r["version"] = torch.__version__
        n = torch.cuda.device_count() if torch.cuda.is_available() else 0
        r["gpu_count"] = n
        r["gpus"] = [torch.cuda.get_device_name(i) for i in range(n)]
        def product(device):
            a = (torch.arange(N * N, device=device) % 7).float().reshape(N, N)
            return (a @ a).sum()
        where = "cuda:0" if WANT_GPU and n else "cpu"
        t = time.time()
        x = product(where)
        value = float(x.item())
        r["first_op_seconds"] = round(time.time() - t, 3)
        cpu = float(product("cpu").item()) if where != "cpu" else None
        return value, str(x.device), cpu
    if FRAMEWORK == "jax":
        jax = timed_import("jax")
        import jax.numpy as jnp
        r["version"] = jax.__version__
        try:
            gpus = jax.devices("gpu")
        except RuntimeError:
            gpus = []
        r["gpu_count"] = len(gpus)
        r["gpus"] = [getattr(d, "device_kind", str(d)) for d in gpus]
        cpu_device = jax.devices("cpu")[0]
        device = gpus[0] if WANT_GPU and gpus else cpu_device
        product = jax.jit(lambda a: jnp.sum(a @ a))
        def on(d):
            a = jax.device_put((jnp.arange(N * N) % 7).astype(jnp.float32).reshape(N, N), d)
            return float(product(a).block_until_ready())
        t = time.time()
        value = on(device)
        r["first_op_seconds"] = round(time.time() - t, 3)
        cpu = on(cpu_device) if device != cpu_device else None
        return value, str(device), cpu
    raise ValueError("no check for framework " + FRAMEWORK)
def close(a, b):
    return abs(a - b) <= 1e-4 * max(abs(b), 1.0)
try:
    value, device, cpu = run()
    r["device"] = device
    r["value_ok"] = close(value, expected_sum())
    if cpu is not None:
        r["cpu_agrees"] = close(value, cpu)
except BaseException as e:
    lines = str(e).strip().splitlines()
    r["error"] = "%s: %s" % (type(e).__name__, lines[-1] if lines else "")
r["seconds"] = round(time.time() - start, 3)
def summary():
    if r["error"]:
        return "%s: %s" % (FRAMEWORK, r["error"])
    text = "%s %s sees %d GPU(s)" % (FRAMEWORK, r["version"], r["gpu_count"])
    if r["gpus"]:
        text += " (%s)" % ", ".join(r["gpus"])
    text += "; the test op ran on %s in %.3f s (import %.3f s), result %s" % (
        r["device"], r["first_op_seconds"], r["import_seconds"], "right" if r["value_ok"] else "WRONG")
    if r["cpu_agrees"] is not None:
        text += ", %s the CPU's" % ("same as" if r["cpu_agrees"] else "DIFFERENT from")
    return text
sys.stdout.write(MARKER + json.dumps(r) + "\n")
sys.stdout.write(SUMMARY_MARKER + summary() + "\n")
)PY";

}  // namespace

std::string framework_check_script(core::Framework framework, bool want_gpu) {
  return fmt::format(
      "FRAMEWORK = \"{}\"\nWANT_GPU = {}\nMARKER = \"{}\"\nSUMMARY_MARKER = \"{}\"{}",
      core::to_string(framework), want_gpu ? "True" : "False", kFrameworkCheckMarker,
      kFrameworkSummaryMarker, kScript);
}

}  // namespace deepdock::gen
