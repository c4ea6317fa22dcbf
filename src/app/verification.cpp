#include "app/verification.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "gen/framework_check.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using nlohmann::json;

// 2: the native probe's findings were added; a record of 1 is checked again.
constexpr int kRecordSchema = 2;

bool ran_on_gpu(std::string_view device) {
  const std::string lower = util::to_lower(device);
  return lower.find("gpu") != std::string::npos || lower.find("cuda") != std::string::npos;
}

}  // namespace

Verification judge_framework_check(const core::Resolution& resolution, int64_t exit_code,
                                   std::string_view stdout_text, std::string_view stderr_text) {
  Verification out;
  const std::string_view marker = gen::kFrameworkCheckMarker;
  const auto at = stdout_text.rfind(marker);
  if (at == std::string_view::npos) {
    out.problem = fmt::format("the framework check printed no result (exit code {}){}", exit_code,
                              stderr_text.empty() ? "" : ":\n" + util::last_lines(stderr_text, 8));
    return out;
  }
  std::string_view line = stdout_text.substr(at + marker.size());
  line = line.substr(0, line.find('\n'));
  const json result = json::parse(line, nullptr, false);
  if (!result.is_object()) {
    out.problem = "the framework check's result is not JSON: " + std::string(line);
    return out;
  }
  out.framework = result.value("framework", "");
  out.version = result.value("version", "");
  out.gpu_count = result.value("gpu_count", 0);
  if (const auto gpus = result.find("gpus"); gpus != result.end() && gpus->is_array()) {
    for (const auto& gpu : *gpus) {
      if (gpu.is_string()) {
        out.gpus.push_back(gpu.get<std::string>());
      }
    }
  }
  out.device = result.value("device", "");
  out.seconds = result.value("seconds", 0.0);
  out.import_seconds = result.value("import_seconds", 0.0);
  out.first_op_seconds = result.value("first_op_seconds", 0.0);
  const auto agrees = result.find("cpu_agrees");
  const bool cpu_disagrees = agrees != result.end() && agrees->is_boolean() && !agrees->get<bool>();
  const std::string error = result.value("error", "");
  const std::string framework = out.framework == "none" ? "the container" : out.framework;
  if (!error.empty()) {
    out.problem = fmt::format("{} failed in the container: {}", framework, error);
  } else if (!result.value("value_ok", false)) {
    out.problem =
        fmt::format("{} ran the test op on {} and got a wrong result", framework, out.device);
  } else if (cpu_disagrees) {
    out.problem = fmt::format(
        "{} ran the test op on {} and its result differs from the CPU's: the GPU or its "
        "libraries compute wrongly",
        framework, out.device);
  } else if (resolution.gpu && out.gpu_count == 0) {
    out.problem = fmt::format(
        "{} {} sees no GPU in the container: this is a GPU environment, and deepdock does not "
        "fall back to the CPU",
        framework, out.version);
  } else if (resolution.gpu && !ran_on_gpu(out.device)) {
    out.problem = fmt::format("{} ran the test op on {}, not on the GPU", framework, out.device);
  }
  out.passed = out.problem.empty();
  return out;
}

namespace {

json native_json(const NativeCheck& n) {
  json gpus = json::array();
  for (const ProbedGpu& gpu : n.gpus) {
    gpus.push_back({{"name", gpu.name},
                    {"uuid", gpu.uuid},
                    {"compute_capability", gpu.compute_capability},
                    {"memory_total_bytes", gpu.memory_total_bytes},
                    {"pcie_generation", gpu.pcie_generation},
                    {"pcie_width", gpu.pcie_width},
                    {"ecc", gpu.ecc},
                    {"mig", gpu.mig}});
  }
  return json{{"ran", n.ran},
              {"verdict", n.verdict},
              {"driver_version", n.driver_version},
              {"cuda_driver_version", n.cuda_driver_version},
              {"gpus", gpus},
              {"kernel_correct", n.kernel_correct},
              {"kernel_seconds", n.kernel_seconds},
              {"device_to_device_gbps", n.device_to_device_gbps},
              {"host_to_device_gbps", n.host_to_device_gbps},
              {"problems", n.problems},
              {"seconds", n.seconds}};
}

NativeCheck native_from_json(const json& n) {
  NativeCheck out;
  if (!n.is_object()) {
    return out;
  }
  out.ran = n.value("ran", false);
  out.verdict = n.value("verdict", "");
  out.driver_version = n.value("driver_version", "");
  out.cuda_driver_version = n.value("cuda_driver_version", "");
  if (const auto gpus = n.find("gpus"); gpus != n.end() && gpus->is_array()) {
    for (const json& gpu : *gpus) {
      if (!gpu.is_object()) {
        continue;
      }
      out.gpus.push_back({.name = gpu.value("name", ""),
                          .uuid = gpu.value("uuid", ""),
                          .compute_capability = gpu.value("compute_capability", ""),
                          .memory_total_bytes = gpu.value("memory_total_bytes", uint64_t{0}),
                          .pcie_generation = gpu.value("pcie_generation", -1),
                          .pcie_width = gpu.value("pcie_width", -1),
                          .ecc = gpu.value("ecc", ""),
                          .mig = gpu.value("mig", "")});
    }
  }
  out.kernel_correct = n.value("kernel_correct", false);
  out.kernel_seconds = n.value("kernel_seconds", 0.0);
  out.device_to_device_gbps = n.value("device_to_device_gbps", 0.0);
  out.host_to_device_gbps = n.value("host_to_device_gbps", 0.0);
  out.problems = n.value("problems", std::vector<std::string>{});
  out.seconds = n.value("seconds", 0.0);
  return out;
}

}  // namespace

json verification_json(const Verification& v) {
  return json{{"passed", v.passed},
              {"problem", v.problem},
              {"framework", v.framework},
              {"version", v.version},
              {"gpu_count", v.gpu_count},
              {"gpus", v.gpus},
              {"device", v.device},
              {"seconds", v.seconds},
              {"import_seconds", v.import_seconds},
              {"first_op_seconds", v.first_op_seconds},
              {"checked_at", v.checked_at},
              {"from_record", v.from_record},
              {"native", native_json(v.native)}};
}

std::string verification_to_json(const Verification& v, std::string_view started_at) {
  json record = verification_json(v);
  record["schema"] = kRecordSchema;
  record["container_started_at"] = started_at;
  return record.dump();
}

Result<Verification> verification_from_json(std::string_view text, std::string_view started_at) {
  const json record = json::parse(text, nullptr, false);
  if (!record.is_object() || record.value("schema", 0) != kRecordSchema ||
      record.value("container_started_at", "") != started_at) {
    return fail(ErrorCode::kNotFound, "no verification record for this start of the container");
  }
  Verification v;
  v.passed = true;
  v.from_record = true;
  v.checked_at = record.value("checked_at", "");
  v.framework = record.value("framework", "");
  v.version = record.value("version", "");
  v.gpu_count = record.value("gpu_count", 0);
  v.gpus = record.value("gpus", std::vector<std::string>{});
  v.device = record.value("device", "");
  v.seconds = record.value("seconds", 0.0);
  v.import_seconds = record.value("import_seconds", 0.0);
  v.first_op_seconds = record.value("first_op_seconds", 0.0);
  v.native = native_from_json(record.value("native", json::object()));
  return v;
}

}  // namespace deepdock::app
