#include "cli/output/up_report.hpp"

#include <fmt/format.h>

#include "app/environments.hpp"
#include "cli/output/probe_text.hpp"
#include "cli/output/terminal.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {
namespace {

using nlohmann::json;

std::string gpu_text(const app::UpPreparation& prepared, const app::UpResult& result) {
  if (result.gpus.mode == core::GpuRequest::Mode::kNone) {
    return "none: CPU environment";
  }
  std::vector<std::string> names;
  for (const auto& gpu : prepared.plan.host.gpus) {
    names.push_back(gpu.name);
  }
  const std::string via = result.gpus.mode == core::GpuRequest::Mode::kCdi
                              ? "CDI " + util::join(result.gpus.device_ids, ",")
                              : "the nvidia device driver";
  const std::string which = result.gpus.count < 0 ? "all" : fmt::format("{} of", result.gpus.count);
  return fmt::format("{} {} ({}), through {}", which, names.size(), util::join(names, ", "), via);
}

std::string framework_text(const core::Resolution& resolution, const app::Verification& check) {
  if (resolution.framework == core::Framework::kNone) {
    return fmt::format("none (Python {} where the base image has it)", resolution.python);
  }
  // Debian's packages carry Debian's version; the check says which one it is.
  const std::string version =
      resolution.framework_version == "debian"
          ? fmt::format("{} (Debian's package)", check.version.empty() ? "?" : check.version)
          : resolution.framework_version;
  std::string text = fmt::format("{} {}, Python {}", core::to_string(resolution.framework), version,
                                 resolution.python);
  if (resolution.gpu) {
    text += fmt::format(", CUDA {}, cuDNN {}", resolution.cuda, resolution.cudnn);
  }
  return text;
}

std::string check_text(const app::Verification& v) {
  if (v.framework == "none") {
    return v.device == "gpu" ? std::string("no framework; the probe's kernel ran on the GPU")
                             : std::string("no framework; the container runs commands");
  }
  const std::string& what = v.framework;
  if (v.from_record) {
    return fmt::format("{} {} ran its test op on {} (checked {}; container unchanged since)", what,
                       v.version, v.device, v.checked_at);
  }
  return fmt::format("{} {} ran its test op on {} (import {:.1f} s, first op {:.2f} s)", what,
                     v.version, v.device, v.import_seconds, v.first_op_seconds);
}

}  // namespace

UpProgressPrinter::UpProgressPrinter(std::FILE* out, bool quiet) : out_(out), quiet_(quiet) {}

void UpProgressPrinter::step_started(const app::StepRecord& step) {
  if (!quiet_) {
    fmt::print(out_, "• {}\n", step.title);
    std::fflush(out_);
  }
}

void UpProgressPrinter::step_finished(const app::StepRecord& step) {
  if (renderer_) {
    renderer_->finish();
    renderer_.reset();
  }
  if (!quiet_) {
    fmt::print(out_, "  {} ({:.2f} s)\n", step.outcome, step.seconds);
    std::fflush(out_);
  }
}

void UpProgressPrinter::progress(const core::ProgressEvent& event) {
  if (quiet_) {
    return;
  }
  if (!event.stream.empty()) {
    // Build output: the engine's own lines, indented under the step.
    for (const auto& piece : util::split(event.stream, '\n')) {
      if (!util::trim(piece).empty()) {
        fmt::print(out_, "  │ {}\n", piece);
      }
    }
    return;
  }
  if (!renderer_) {
    renderer_.emplace(ProgressRenderer::for_stream(out_));
  }
  renderer_->on_event(event);
}

void UpProgressPrinter::line(std::string_view text) {
  if (!quiet_) {
    fmt::print(out_, "  │ {}\n", text);
  }
}

std::string up_summary_text(const app::UpPreparation& prepared, const app::UpResult& result) {
  const core::Resolution& resolution = *prepared.plan.resolution;
  std::string out = fmt::format("Environment '{}' is up and verified ({:.1f} s).\n\n",
                                prepared.plan.spec.name, result.total_seconds);
  const std::string url = app::jupyter_url(result.jupyter_mode, result.jupyter_port, result.token);
  if (!url.empty()) {
    out += fmt::format("  Jupyter      {}\n", url);
  }
  if (result.tensorboard_port) {
    out += fmt::format("  TensorBoard  http://127.0.0.1:{}/\n", *result.tensorboard_port);
  }
  out += fmt::format("  GPUs         {}\n", gpu_text(prepared, result));
  out += fmt::format("  Framework    {}\n", framework_text(resolution, result.verification));
  out += fmt::format("  Check        {}\n", check_text(result.verification));
  out += probe_lines(result.verification.native);
  out += fmt::format("  Image        {}\n", result.image_tag);
  out += fmt::format("  Container    {} ({})\n", result.container_name,
                     result.container_id.substr(0, 12));
  out += "\n  Steps\n";
  for (const auto& step : result.steps) {
    out += fmt::format("    {:>7.2f} s  {:<12} {}\n", step.seconds, step.id, step.outcome);
  }
  std::vector<std::string> notes = result.notes;
  notes.insert(notes.end(), prepared.plan.context->notes.begin(),
               prepared.plan.context->notes.end());
  for (const auto& warning : resolution.warnings) {
    notes.push_back(warning);
  }
  if (!notes.empty()) {
    out += "\n  Notes\n";
    for (const auto& note : notes) {
      out += fmt::format("    - {}\n", note);
    }
  }
  const std::string file = prepared.plan.spec.file.empty() ? "" : " -f " + prepared.plan.spec.file;
  out += fmt::format(
      "\n  `deepdock shell{0}` opens a terminal in it; `deepdock down{0}` removes it.\n", file);
  return out;
}

json up_summary_json(const app::UpPreparation& prepared, const app::UpResult& result) {
  const core::Resolution& resolution = *prepared.plan.resolution;
  json steps = json::array();
  for (const auto& step : result.steps) {
    steps.push_back({{"id", step.id},
                     {"title", step.title},
                     {"outcome", step.outcome},
                     {"seconds", step.seconds}});
  }
  const app::Verification& v = result.verification;
  json out = {
      {"environment", prepared.plan.spec.name},
      {"ready", true},
      {"container", {{"id", result.container_id}, {"name", result.container_name}}},
      {"image", result.image_tag},
      {"framework",
       {{"name", core::to_string(resolution.framework)},
        {"version", resolution.framework_version},
        {"python", resolution.python},
        {"cuda", resolution.cuda},
        {"cudnn", resolution.cudnn}}},
      {"gpu",
       {{"environment", resolution.gpu},
        {"mode", result.gpus.mode == core::GpuRequest::Mode::kNone  ? "none"
                 : result.gpus.mode == core::GpuRequest::Mode::kCdi ? "cdi"
                                                                    : "nvidia"},
        {"count", result.gpus.count},
        {"device_ids", result.gpus.device_ids}}},
      {"verification", app::verification_json(v)},
      {"steps", steps},
      {"notes", result.notes},
      {"warnings", resolution.warnings},
      {"total_seconds", result.total_seconds},
  };
  out["jupyter"] =
      result.jupyter_port
          ? json{{"port", *result.jupyter_port},
                 {"mode", result.jupyter_mode},
                 {"token", result.token},
                 {"url", app::jupyter_url(result.jupyter_mode, result.jupyter_port, result.token)}}
          : json(nullptr);
  out["tensorboard"] =
      result.tensorboard_port
          ? json{{"port", *result.tensorboard_port},
                 {"url", fmt::format("http://127.0.0.1:{}/", *result.tensorboard_port)}}
          : json(nullptr);
  return out;
}

namespace {

std::string step_state(const app::UpPreparation& prepared, const core::PlanStep& step) {
  if (step.id == "probe") {
    return "done";
  }
  if (step.id == "base-image") {
    return prepared.image_present ? "not needed (the image exists)" : "made if missing";
  }
  if (step.id == "build-image") {
    return prepared.image_present ? "up to date" : "to build";
  }
  if (step.id == "ship-image" || step.id == "push-image" || step.id == "pull-image") {
    return prepared.image_present ? "the host has it" : "to do";
  }
  if (step.id == "container") {
    return prepared.container_state;
  }
  if (step.id == "verify" || step.id == "await") {
    return "always";
  }
  return "to do";
}

}  // namespace

std::string up_dry_run_text(const app::UpPreparation& prepared) {
  std::string out = fmt::format("deepdock up would take these steps for '{}' (nothing changed):\n",
                                prepared.plan.spec.name);
  int index = 1;
  for (const auto& step : prepared.plan.steps) {
    out += fmt::format("  {}. {}  [{}]\n     {}\n", index++, step.title, step_state(prepared, step),
                       step.detail);
  }
  return out;
}

json up_dry_run_json(const app::UpPreparation& prepared) {
  json steps = json::array();
  for (const auto& step : prepared.plan.steps) {
    steps.push_back({{"id", step.id},
                     {"title", step.title},
                     {"detail", step.detail},
                     {"inputs_hash", step.inputs_hash},
                     {"state", step_state(prepared, step)}});
  }
  return {{"environment", prepared.plan.spec.name},
          {"dry_run", true},
          {"image", prepared.plan.image_tag},
          {"image_present", prepared.image_present},
          {"container_state", prepared.container_state},
          {"steps", steps}};
}

}  // namespace deepdock::cli
