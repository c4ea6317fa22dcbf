#include "cli/local_adapters.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "adapters/host/local_gpu_probe.hpp"
#include "adapters/host/state_dir.hpp"
#include "adapters/http/curl_transport.hpp"

namespace deepdock::cli {

std::unique_ptr<core::GpuProbe> local_gpu_probe() {
  const char* root = std::getenv("DEEPDOCK_HOST_ROOT");  // NOLINT(concurrency-mt-unsafe)
  if (root == nullptr || std::string_view(root).empty() || std::string_view(root) == "/") {
    return std::make_unique<adapters::host::LocalGpuProbe>();
  }
  // Another root's nvidia-smi cannot run here: facts come from its sysfs and procfs alone.
  return std::make_unique<adapters::host::LocalGpuProbe>(
      root, [](const std::vector<std::string>& argv) -> Result<adapters::host::ProcessResult> {
        return fail(ErrorCode::kNotFound,
                    fmt::format("{} is not run under DEEPDOCK_HOST_ROOT", argv.front()));
      });
}

std::unique_ptr<core::StateStore> local_state_store() {
  return std::make_unique<adapters::host::StateDir>(adapters::host::StateDir::default_dir());
}

Result<int> local_http_status(uint16_t port, std::string_view path) {
  adapters::http::TransportConfig config;
  config.base_url = fmt::format("http://127.0.0.1:{}", port);
  config.connect_timeout = std::chrono::seconds(1);
  config.max_attempts = 1;
  adapters::http::CurlTransport transport(std::move(config));
  core::HttpRequest request{.method = core::HttpMethod::kGet, .target = std::string(path)};
  request.timeout = std::chrono::seconds(3);
  request.retryable = false;
  TRY_ASSIGN(const core::HttpResponse response, transport.send(request));
  return response.status;
}

std::string now_utc() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

}  // namespace deepdock::cli
