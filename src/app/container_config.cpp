#include "app/container_config.hpp"

#include <fmt/format.h>

#include "app/environment_labels.hpp"
#include "gen/start_script.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

// Raised when the container's shape changes in a way the hash inputs do not show (new
// settings in this file): containers from older deepdocks are then replaced once.
constexpr const char* kContainerSchema = "1";

// Shared memory and limits that deep-learning containers need: PyTorch's DataLoader
// workers pass tensors through /dev/shm (the engine's 64 MiB default breaks them), and
// NVIDIA's framework containers ask for a 64 MiB stack. NVIDIA also suggests unlimited
// locked memory, but raising that hard limit needs CAP_SYS_RESOURCE in the engine, which
// rootless and confined engines lack (the start then fails); single-host training runs
// without it, so it is left to the engine's default.
constexpr int64_t kShmBytes = int64_t{2} << 30U;
// How far above the asked port `up` looks for a free one.
constexpr uint16_t kPortSearchSpan = 100;
constexpr int64_t kStackBytes = int64_t{64} << 20U;

std::string mount_words(const core::Mount& mount) {
  return fmt::format("{}:{}{}", mount.source, mount.target, mount.read_only ? ":ro" : "");
}

}  // namespace

Services services_of(const EnvironmentPlan& plan) {
  Services services;
  if (!plan.context || !plan.resolution) {
    return services;
  }
  services.jupyter = plan.context->jupyter != core::JupyterMode::kNone;
  services.tensorboard = plan.context->serves_tensorboard;
  return services;
}

core::GpuRequest gpu_request_for(const EnvironmentPlan& plan, const GpuSupport& engine) {
  core::GpuRequest request;
  if (!plan.resolution || !plan.resolution->gpu) {
    return request;
  }
  const int count = plan.spec.gpu.mode == core::GpuMode::kCount ? plan.spec.gpu.count : -1;
  if (!engine.nvidia_runtime && engine.cdi) {
    request.mode = core::GpuRequest::Mode::kCdi;
    if (count < 0) {
      request.device_ids = {"nvidia.com/gpu=all"};
    } else {
      for (int i = 0; i < count; ++i) {
        request.device_ids.push_back(fmt::format("nvidia.com/gpu={}", i));
      }
    }
    return request;
  }
  request.mode = core::GpuRequest::Mode::kNvidiaDriver;
  request.count = count;
  request.capabilities = {"gpu"};
  return request;
}

Result<uint16_t> pick_host_port(uint16_t wanted, uint16_t taken, std::string_view service,
                                std::string_view spec_key,
                                const std::function<bool(uint16_t)>& port_free,
                                std::vector<std::string>& notes) {
  for (uint32_t port = wanted; port < uint32_t{wanted} + kPortSearchSpan && port <= 65535; ++port) {
    const auto candidate = static_cast<uint16_t>(port);
    if (candidate != taken && port_free(candidate)) {
      if (candidate != wanted) {
        notes.push_back(fmt::format("port {} is in use on 127.0.0.1: {} is on {} instead", wanted,
                                    service, candidate));
      }
      return candidate;
    }
  }
  return fail(ErrorCode::kPrecondition,
              fmt::format("no free port for {} on 127.0.0.1 between {} and {}", service, wanted,
                          uint32_t{wanted} + kPortSearchSpan - 1),
              fmt::format("free one, or set ports.{} in the spec to another port", spec_key));
}

std::string gpu_words(const core::GpuRequest& gpus) {
  if (gpus.mode == core::GpuRequest::Mode::kNone) {
    return "none";
  }
  if (!gpus.device_ids.empty() && gpus.mode == core::GpuRequest::Mode::kNvidiaDriver) {
    return util::join(gpus.device_ids, ",");
  }
  if (gpus.mode == core::GpuRequest::Mode::kCdi) {
    return util::join(gpus.device_ids, ",");
  }
  return gpus.count < 0 ? "all" : std::to_string(gpus.count);
}

std::optional<uint16_t> label_port(const std::map<std::string, std::string>& labels,
                                   std::string_view key) {
  const auto it = labels.find(std::string(key));
  if (it == labels.end()) {
    return std::nullopt;
  }
  try {
    const unsigned long port = std::stoul(it->second);
    if (port == 0 || port > 65535) {
      return std::nullopt;
    }
    return static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string env_value(const std::vector<std::string>& env, std::string_view key) {
  const std::string prefix = std::string(key) + "=";
  for (const auto& entry : env) {
    if (entry.starts_with(prefix)) {
      return entry.substr(prefix.size());
    }
  }
  return "";
}

std::string container_config_hash(const ContainerInputs& in) {
  const EnvironmentPlan& plan = *in.plan;
  const Services services = services_of(plan);
  util::ContentHasher hasher;
  hasher.add("schema", kContainerSchema)
      .add("image", plan.image_tag)
      .add("network", in.host_network ? "host" : "bridge")
      .add("gpu_mode", std::to_string(static_cast<int>(in.gpus.mode)))
      .add("gpus", gpu_words(in.gpus))
      .add("jupyter", services.jupyter ? std::to_string(plan.spec.ports.jupyter) : "-")
      .add("tensorboard", services.tensorboard ? std::to_string(plan.spec.ports.tensorboard) : "-")
      .add("spec_file", in.spec_file);
  for (const auto& mount : in.mounts) {
    hasher.add("mount", mount_words(mount));
  }
  return hasher.finish().substr(0, 16);
}

core::ContainerSpec container_spec(const ContainerInputs& in, const RuntimeChoices& runtime,
                                   const std::string& config_hash) {
  const EnvironmentPlan& plan = *in.plan;
  const Services services = services_of(plan);
  core::ContainerSpec spec;
  spec.name = plan.container_name;
  spec.image = plan.image_tag;
  spec.init = true;  // reaps the kernels Jupyter starts and forwards signals
  spec.shm_size_bytes = kShmBytes;
  spec.ulimits = {{"stack", kStackBytes, kStackBytes}};
  spec.gpus = in.gpus;
  spec.mounts = in.mounts;
  spec.network_mode = in.host_network ? "host" : "";
  // With host networking the services bind the host's loopback directly on the chosen
  // ports; on a bridge they listen on every interface of the container, and only
  // 127.0.0.1 of the host is published.
  spec.env.push_back(
      fmt::format("{}={}", gen::kEnvBindIp, in.host_network ? "127.0.0.1" : "0.0.0.0"));
  if (services.jupyter) {
    spec.env.push_back(fmt::format("{}={}", gen::kEnvJupyterToken, runtime.token));
    const uint16_t port = in.host_network ? runtime.jupyter_host_port : plan.spec.ports.jupyter;
    spec.env.push_back(fmt::format("{}={}", gen::kEnvJupyterPort, port));
    if (!in.host_network) {
      spec.ports.push_back({.container_port = plan.spec.ports.jupyter,
                            .host_ip = "127.0.0.1",
                            .host_port = runtime.jupyter_host_port});
    }
  }
  if (services.tensorboard) {
    const uint16_t port =
        in.host_network ? runtime.tensorboard_host_port : plan.spec.ports.tensorboard;
    spec.env.push_back(fmt::format("{}={}", gen::kEnvTensorboardPort, port));
    if (!in.host_network) {
      spec.ports.push_back({.container_port = plan.spec.ports.tensorboard,
                            .host_ip = "127.0.0.1",
                            .host_port = runtime.tensorboard_host_port});
    }
  }
  spec.labels = {
      {labels::kManaged, "true"},
      {labels::kEnvironment, plan.spec.name},
      {labels::kConfig, config_hash},
      {labels::kSpecFile, in.spec_file},
      {labels::kImageTag, plan.image_tag},
      {labels::kGpus, gpu_words(in.gpus)},
      {labels::kGpuMode, in.gpus.mode == core::GpuRequest::Mode::kNone  ? "none"
                         : in.gpus.mode == core::GpuRequest::Mode::kCdi ? "cdi"
                                                                        : "nvidia"},
      {labels::kNetwork, in.host_network ? "host" : "bridge"},
      {labels::kDeepdockVersion, in.deepdock_version},
  };
  if (services.jupyter) {
    spec.labels[labels::kJupyterPort] = std::to_string(runtime.jupyter_host_port);
  }
  if (services.tensorboard) {
    spec.labels[labels::kTensorboardPort] = std::to_string(runtime.tensorboard_host_port);
  }
  return spec;
}

}  // namespace deepdock::app
