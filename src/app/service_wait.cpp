#include "app/service_wait.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(100);

bool answers(const ServiceWait& wait, const ServiceTarget& target) {
  if (wait.engine_is_local) {
    auto status = wait.local_http_status(target.host_port, target.path);
    return status && *status == 200;
  }
  const std::string code = fmt::format(
      "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{}{}', timeout=3)",
      target.container_port, target.path);
  auto ran = wait.engine.exec(wait.container_id, {.cmd = {"python3", "-c", code}}, {});
  return ran && ran->exit_code == 0;
}

}  // namespace

std::string container_log_tail(core::ContainerEngine& engine, const std::string& id, size_t lines) {
  std::string text;
  core::LogOptions options;
  options.tail = std::to_string(lines);
  (void)engine.container_logs(id, options,
                              [&](core::StreamKind, std::string_view data) { text.append(data); });
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

Status wait_for_services(const ServiceWait& wait, const std::vector<ServiceTarget>& targets) {
  std::vector<bool> ready(targets.size(), false);
  const auto deadline = Clock::now() + wait.timeout;
  auto next_state_check = Clock::now();
  while (true) {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (!ready[i]) {
        ready[i] = answers(wait, targets[i]);
      }
    }
    const auto waiting = std::find(ready.begin(), ready.end(), false);
    if (waiting == ready.end()) {
      return {};
    }
    if (util::cancel_requested()) {
      return fail(ErrorCode::kCancelled, "interrupted while waiting for the services",
                  "run `deepdock up` again: it continues from here");
    }
    if (Clock::now() >= next_state_check) {
      next_state_check = Clock::now() + std::chrono::seconds(1);
      TRY_ASSIGN(const core::ContainerInfo info, wait.engine.inspect_container(wait.container_id));
      if (!info.state.running) {
        return fail(ErrorCode::kFailure,
                    fmt::format("container {} stopped while starting (exit code {}{}); its last "
                                "output:\n{}",
                                wait.container_name, info.state.exit_code,
                                info.state.oom_killed ? ", killed for lack of memory" : "",
                                container_log_tail(wait.engine, wait.container_id)),
                    "fix the cause above and run `deepdock up` again");
      }
    }
    if (Clock::now() >= deadline) {
      const ServiceTarget& late = targets[static_cast<size_t>(waiting - ready.begin())];
      return fail(
          ErrorCode::kTimeout,
          fmt::format("{} did not answer within {} s; the container's last output:\n{}", late.name,
                      wait.timeout.count(), container_log_tail(wait.engine, wait.container_id)),
          "see `deepdock logs`; `deepdock up` again waits anew");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace deepdock::app
