#pragma once
// The judging half of `deepdock doctor`: host facts, the engine's answer and the spec's
// resolution in, findings out, each with a severity, what was found and the command that
// fixes it. Pure: the CLI gathers the facts through the HostInspector and ContainerEngine
// ports and prints the findings.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/engine_info.hpp"
#include "core/model/host_diagnosis.hpp"
#include "core/ports/host_inspector.hpp"
#include "core/spec/spec.hpp"
#include "util/error.hpp"

namespace deepdock::app {

enum class Severity { kOk, kInfo, kWarning, kError };
std::string_view to_string(Severity severity);

struct Finding {
  std::string id;  // stable: "driver.nouveau", "engine.gpu-runtime", ...
  Severity severity = Severity::kOk;
  std::string title;   // one line
  std::string detail;  // what was found
  std::string fix;     // the command that fixes it; empty when nothing is to be done
};

// The environment whose driver needs are checked against this host.
struct SpecUnderTest {
  core::Spec spec;
  std::string requirements_text;
  std::string origin;  // "deepdock.yaml", "default environment"
};

struct DoctorInput {
  core::HostDiagnosisFacts host;
  Result<core::EngineInfo> engine;  // the engine's info, or why it could not be asked
  Result<SpecUnderTest> spec;       // the spec, or why it could not be loaded
};

// Disk thresholds for the engine's images.
inline constexpr uint64_t kDiskWarnBytes = 30ULL << 30U;
inline constexpr uint64_t kDiskErrorBytes = 10ULL << 30U;

// Every check, in the order of the chain: PCI, kernel module, libraries, device nodes,
// Secure Boot, engine, toolkit, cgroup driver, disk, the spec's driver needs.
std::vector<Finding> diagnose_host(const DoctorInput& input, const core::KnowledgeBase& kb);

// Inspects the host (measuring the disk of the engine's data root, or /var/lib/docker when the
// engine could not be asked) and judges it with the engine's answer and the spec.
std::vector<Finding> run_doctor(core::HostInspector& inspector, Result<core::EngineInfo> engine,
                                Result<SpecUnderTest> spec, const core::KnowledgeBase& kb);

// Whether any finding is an error (the command then exits 1).
bool has_errors(const std::vector<Finding>& findings);

}  // namespace deepdock::app
