#include "app/verification.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "gen/framework_check.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using nlohmann::json;

bool ran_on_gpu(std::string_view device) {
  const std::string lower = util::to_lower(device);
  return lower.find("gpu") != std::string::npos || lower.find("cuda") != std::string::npos;
}

// The last few lines of a program's error output, for a message.
std::string tail_lines(std::string_view text, size_t count) {
  std::vector<std::string> lines = util::split(std::string(util::trim(text)), '\n');
  if (lines.size() > count) {
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
  }
  return util::join(lines, "\n");
}

}  // namespace

Verification judge_framework_check(const core::Resolution& resolution, int64_t exit_code,
                                   std::string_view stdout_text, std::string_view stderr_text) {
  Verification out;
  const std::string_view marker = gen::kFrameworkCheckMarker;
  const auto at = stdout_text.rfind(marker);
  if (at == std::string_view::npos) {
    out.problem = fmt::format("the framework check printed no result (exit code {}){}", exit_code,
                              stderr_text.empty() ? "" : ":\n" + tail_lines(stderr_text, 8));
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

Verification run_framework_check(core::ContainerEngine& engine, const std::string& container_id,
                                 const core::Resolution& resolution, const std::string& now) {
  auto ran =
      engine.exec(container_id,
                  {.cmd = gen::framework_check_command(resolution.framework, resolution.gpu)}, {});
  Verification verification;
  if (!ran) {
    verification.problem = "the framework check could not run: " + ran.error().message;
    return verification;
  }
  verification =
      judge_framework_check(resolution, ran->exit_code, ran->stdout_text, ran->stderr_text);
  verification.checked_at = now;
  return verification;
}

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
              {"from_record", v.from_record}};
}

std::string verification_to_json(const Verification& v, std::string_view started_at) {
  json record = verification_json(v);
  record["schema"] = 1;
  record["container_started_at"] = started_at;
  return record.dump();
}

Result<Verification> verification_from_json(std::string_view text, std::string_view started_at) {
  const json record = json::parse(text, nullptr, false);
  if (!record.is_object() || record.value("schema", 0) != 1 ||
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
  return v;
}

}  // namespace deepdock::app
