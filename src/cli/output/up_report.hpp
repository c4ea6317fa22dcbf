#pragma once
// How `up` reads: steps as they happen on stderr (with pull and build progress), then the
// summary on stdout (text, or one JSON document with --json).

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/up_environment.hpp"
#include "cli/output/progress.hpp"

namespace deepdock::cli {

class UpProgressPrinter final : public app::UpObserver {
 public:
  // quiet: nothing at all; verbose_build: the engine's build output line by line.
  UpProgressPrinter(std::FILE* out, bool quiet);
  void step_started(const app::StepRecord& step) override;
  void step_finished(const app::StepRecord& step) override;
  void progress(const core::ProgressEvent& event) override;
  void line(std::string_view text) override;

 private:
  std::FILE* out_;
  bool quiet_;
  std::optional<ProgressRenderer> renderer_;
};

std::string up_summary_text(const app::UpPreparation& prepared, const app::UpResult& result);
nlohmann::json up_summary_json(const app::UpPreparation& prepared, const app::UpResult& result);

// `up --dry-run`: the plan's steps, each with whether it has work to do.
std::string up_dry_run_text(const app::UpPreparation& prepared);
nlohmann::json up_dry_run_json(const app::UpPreparation& prepared);

}  // namespace deepdock::cli
