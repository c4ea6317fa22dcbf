#pragma once
// The environment's build context: a Dockerfile (as an instruction model) and the files it
// copies, generated from the spec and the resolver's answer. Pure: values in, values out.
//
// Layer order, for the engine's layer cache (the heaviest and steadiest first):
//   FROM the resolved image (or the debootstrap base the app layer imported)
//   1. system packages (apt), one RUN, lists removed
//   2. the non-root user (uid 1000), /workspace, and on debootstrap bases the venv
//   3. the framework's pip packages (pinned, with the resolver's index)
//   4. Jupyter / TensorBoard from pip, on bases that may lack them
//   5. COPY requirements, pip install -r
//   6. the spec's pip packages
//   7. COPY the generated files (start script, health check, Jupyter config)
//   8. LABELs recording the resolution, ENV of the runtime settings, USER, WORKDIR,
//      EXPOSE, HEALTHCHECK, CMD: metadata only, so a changed label or port rebuilds
//      nothing heavy.

#include <map>
#include <string>
#include <vector>

#include "core/model/resolution.hpp"
#include "core/spec/spec.hpp"
#include "gen/dockerfile.hpp"

namespace deepdock::gen {

struct GenOptions {
  // The engine image that stands for "debootstrap:<suite>" (the app layer builds or
  // imports it), e.g. "deepdock/bookworm:minbase".
  std::string debootstrap_image;
  // File name of the requirements inside the build context ("requirements.txt"); empty
  // when the spec has none. The caller puts the file into the context.
  std::string requirements_name;
};

struct GeneratedContext {
  Dockerfile dockerfile;
  // Extra files for the build context (path in the context -> content).
  std::map<std::string, std::string> files;
  // The labels recorded (also emitted as LABEL).
  std::map<std::string, std::string> labels;
  // What the image serves, after the generator's choices: the Jupyter it runs (a debootstrap
  // base turns lab into notebook) and whether TensorBoard is there to start.
  core::JupyterMode jupyter = core::JupyterMode::kNone;
  bool serves_tensorboard = false;
  // Choices the generator made that the user should hear about ("Debian packages no
  // JupyterLab: using Jupyter Notebook"); also written as comments in the Dockerfile.
  std::vector<std::string> notes;
};

GeneratedContext generate_environment(const core::Spec& spec, const core::Resolution& resolution,
                                      const GenOptions& options);

// Where things live inside the image, for the app layer and tests.
inline constexpr const char* kImageUser = "1000:1000";  // numeric: a base may own uid 1000
inline constexpr const char* kWorkspaceDir = "/workspace";
inline constexpr const char* kVenvDir = "/opt/deepdock/venv";
inline constexpr const char* kStartScript = "/opt/deepdock/start.sh";

}  // namespace deepdock::gen
