#pragma once
// Containers in Engine API JSON: the create body from a ContainerSpec, and inspect/list
// answers back into deepdock's values.

#include <nlohmann/json.hpp>

#include "core/model/container.hpp"

namespace deepdock::adapters::docker {

// The body of `POST /containers/create`. podman's compat API only honours CDI device
// requests, so on podman GPUs are also passed as CDI names in HostConfig.Devices.
nlohmann::json container_create_body(const core::ContainerSpec& spec, bool is_podman);

// The CDI device names a GPU request stands for ("nvidia.com/gpu=all", "nvidia.com/gpu=0").
std::vector<std::string> cdi_device_names(const core::GpuRequest& gpus);

// `GET /containers/{id}/json`.
core::ContainerInfo parse_container_inspect(const nlohmann::json& json);

// One element of `GET /containers/json`.
core::ContainerSummary parse_container_summary(const nlohmann::json& json);

}  // namespace deepdock::adapters::docker
