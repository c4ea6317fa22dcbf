#pragma once
// What the framework check found in the container, and whether it lets `up` call the
// environment ready: the framework imported, its op gave the right value, and in a GPU
// environment it saw a GPU and ran the op there. A CPU fallback in a GPU environment is a
// failure, never a warning.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/resolution.hpp"
#include "core/ports/container_engine.hpp"
#include "util/error.hpp"

namespace deepdock::app {

struct Verification {
  bool passed = false;
  std::string framework;  // "pytorch"
  std::string version;    // as the framework reports it
  int gpu_count = 0;
  std::vector<std::string> gpus;
  std::string device;  // where the op ran: "cuda:0", "/job:localhost/.../device:GPU:0", "cpu"
  double seconds = 0;  // the check's own time in the container
  double import_seconds = 0;    // importing the framework
  double first_op_seconds = 0;  // the first op on its device (kernel loading included)
  std::string problem;          // why it did not pass; empty when it did
  std::string checked_at;       // UTC time of the check, ISO 8601
  bool from_record = false;     // not re-run: the container is unchanged since a passed check
};

// Reads the check's output (stdout, exit code, stderr for the message) and judges it.
Verification judge_framework_check(const core::Resolution& resolution, int64_t exit_code,
                                   std::string_view stdout_text, std::string_view stderr_text);

// Runs the framework check in the running container `container_id` and judges it;
// `checked_at` is stamped with `now`. A check that cannot run is a failed verification.
Verification run_framework_check(core::ContainerEngine& engine, const std::string& container_id,
                                 const core::Resolution& resolution, const std::string& now);

// Every field, as `up --json`, `verify --json` and the record show it.
nlohmann::json verification_json(const Verification& verification);

// The record kept between runs (JSON), so an unchanged container is not re-checked.
std::string verification_to_json(const Verification& verification, std::string_view started_at);
// The record's verification when it was made for a container started at `started_at`.
Result<Verification> verification_from_json(std::string_view text, std::string_view started_at);

}  // namespace deepdock::app
