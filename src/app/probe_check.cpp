#include "app/probe_check.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/spec/spec.hpp"
#include "gen/framework_check.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using nlohmann::json;

// The probe report's schema this judge reads (probe::kReportSchema).
constexpr int kProbeReportSchema = 1;

std::string problem_text(const json& problem) {
  std::string text =
      fmt::format("{}: {}", problem.value("severity", "error"), problem.value("what", ""));
  if (const std::string fix = problem.value("fix", ""); !fix.empty()) {
    text += fmt::format(" (fix: {})", fix);
  }
  return text;
}

NativeCheck read_native(const json& report) {
  NativeCheck native;
  native.ran = true;
  native.verdict = report.value("verdict", "");
  native.seconds = report.value("seconds", 0.0);
  const json nvml = report.value("nvml", json::object());
  native.driver_version = nvml.value("driver_version", "");
  native.cuda_driver_version = nvml.value("cuda_driver_version", "");
  for (const json& gpu : nvml.value("gpus", json::array())) {
    const json pcie = gpu.value("pcie", json::object());
    native.gpus.push_back({.name = gpu.value("name", ""),
                           .uuid = gpu.value("uuid", ""),
                           .compute_capability = gpu.value("compute_capability", ""),
                           .memory_total_bytes = gpu.value("memory_total_bytes", uint64_t{0}),
                           .pcie_generation = pcie.value("generation", -1),
                           .pcie_width = pcie.value("width", -1),
                           .ecc = gpu.value("ecc", ""),
                           .mig = gpu.value("mig", "")});
  }
  const json cuda = report.value("cuda", json::object());
  const json kernel = cuda.value("kernel", json::object());
  native.kernel_correct = kernel.value("correct", false);
  native.kernel_seconds = kernel.value("seconds", 0.0);
  const json bandwidth = cuda.value("bandwidth", json::object());
  native.device_to_device_gbps = bandwidth.value("device_to_device_gbps", 0.0);
  native.host_to_device_gbps = bandwidth.value("host_to_device_gbps", 0.0);
  for (const json& problem : report.value("problems", json::array())) {
    native.problems.push_back(problem_text(problem));
  }
  return native;
}

// The probe's first error, with its fix: the diagnosis `up` fails with.
std::string native_diagnosis(const json& report) {
  for (const json& problem : report.value("problems", json::array())) {
    if (problem.value("severity", "") == "error") {
      std::string text = problem.value("what", "");
      if (const std::string fix = problem.value("fix", ""); !fix.empty()) {
        text += "\n  fix: " + fix;
      }
      return text;
    }
  }
  return fmt::format("the probe's verdict is {}", report.value("verdict", "unknown"));
}

// `framework: none` has no framework check: the probe's own kernel is the op.
Verification judge_without_framework(const core::Resolution& resolution,
                                     const NativeCheck& native) {
  Verification out;
  out.framework = "none";
  out.gpu_count = static_cast<int>(native.gpus.size());
  for (const ProbedGpu& gpu : native.gpus) {
    out.gpus.push_back(gpu.name);
  }
  out.device = native.verdict == "gpu-ready" ? "gpu" : "cpu";
  out.first_op_seconds = native.kernel_seconds;
  out.seconds = native.seconds;
  out.passed = !resolution.gpu || native.verdict == "gpu-ready";
  return out;
}

}  // namespace

Verification judge_probe_report(const core::Resolution& resolution, int64_t exit_code,
                                std::string_view stdout_text, std::string_view stderr_text) {
  const json report = json::parse(util::trim(stdout_text), nullptr, false);
  if (!report.is_object() || report.value("schema", 0) != kProbeReportSchema) {
    Verification out;
    out.problem = fmt::format(
        "the probe printed no report (exit code {}){}", exit_code,
        stderr_text.empty() && stdout_text.empty()
            ? ""
            : ":\n" + util::last_lines(stderr_text.empty() ? stdout_text : stderr_text, 8));
    return out;
  }
  const NativeCheck native = read_native(report);
  const json framework = report.value("framework", json());
  Verification out;
  if (framework.is_object()) {
    const std::string result = framework.value("result", "");
    out =
        judge_framework_check(resolution, framework.value("exit_code", 0),
                              result.empty() ? std::string() : gen::kFrameworkCheckMarker + result,
                              framework.value("error_tail", ""));
  } else {
    out = judge_without_framework(resolution, native);
  }
  out.native = native;
  if (resolution.gpu && native.verdict != "gpu-ready") {
    // The chain below the framework is broken: that, not the framework, is the cause.
    out.passed = false;
    out.problem = native_diagnosis(report);
  } else if (resolution.gpu && !out.passed && framework.is_object()) {
    out.problem = fmt::format(
        "{}\n(the driver and the GPU work: the probe ran a kernel on it, so the framework's "
        "build does not fit this driver or GPU)",
        out.problem);
  }
  return out;
}

Verification run_probe_check(core::ContainerEngine& engine, const std::string& container_id,
                             const core::Resolution& resolution, std::string_view probe_binary,
                             const std::string& now) {
  Verification failed;
  failed.checked_at = now;
  if (auto put = engine.put_file(container_id, kProbePath, probe_binary, 0755); !put) {
    failed.problem = "could not copy the probe into the container: " + put.error().message;
    return failed;
  }
  std::vector<std::string> command{kProbePath, "--json"};
  if (resolution.gpu) {
    command.emplace_back("--expect-gpu");
  }
  if (resolution.framework != core::Framework::kNone) {
    const std::string script = gen::framework_check_script(resolution.framework, resolution.gpu);
    if (auto put = engine.put_file(container_id, kFrameworkCheckPath, script, 0644); !put) {
      failed.problem =
          "could not copy the framework check into the container: " + put.error().message;
      return failed;
    }
    command.insert(command.end(), {"--framework-check", kFrameworkCheckPath});
  }
  auto ran = engine.exec(container_id, {.cmd = command}, {});
  if (!ran) {
    failed.problem = "the probe could not run in the container: " + ran.error().message;
    return failed;
  }
  Verification verification =
      judge_probe_report(resolution, ran->exit_code, ran->stdout_text, ran->stderr_text);
  verification.checked_at = now;
  return verification;
}

}  // namespace deepdock::app
