#pragma once
// Engine and image descriptions in Engine API JSON, read into deepdock's values.

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/model/engine_info.hpp"
#include "core/model/image.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

// A JSON answer body; kFailure naming `action` when it is not JSON.
Result<nlohmann::json> parse_json_body(std::string_view body, std::string_view action);

// `GET /images/{name}/json`.
core::ImageInfo parse_image_inspect(const nlohmann::json& json);
// One entry of GET /images/json (no Config, OS or creation time).
core::ImageInfo parse_image_summary(const nlohmann::json& json);

// Fills the fields of `GET /version` (engine version, server API range, OS, kernel).
void read_version(const nlohmann::json& version, core::EngineInfo& info);

// Fills the fields of `GET /info` (runtimes, cgroup and storage drivers, CDI spec dirs).
void read_info(const nlohmann::json& system_info, core::EngineInfo& info);

}  // namespace deepdock::adapters::docker
