#pragma once
// HostDiagnosisFacts as JSON and back: `deepdock doctor --facts` prints them on an SSH host
// (the deepdock the bootstrap copied there reads that host's files), and the deepdock that
// asked judges them here with the engine it reaches and the spec it has.

#include <nlohmann/json.hpp>

#include "core/model/host_diagnosis.hpp"
#include "util/error.hpp"

namespace deepdock::core {

nlohmann::json host_diagnosis_to_json(const HostDiagnosisFacts& facts);
// kInvalidInput naming the field when the JSON is not what host_diagnosis_to_json writes.
Result<HostDiagnosisFacts> host_diagnosis_from_json(const nlohmann::json& json);

}  // namespace deepdock::core
