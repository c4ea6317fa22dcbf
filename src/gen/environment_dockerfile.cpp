#include "gen/environment_dockerfile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "gen/start_script.hpp"
#include "util/strings.hpp"

namespace deepdock::gen {
namespace {

using core::BaseKind;
using core::Framework;
using core::JupyterMode;

// The generated files' folder, in the build context and in the image.
constexpr const char* kContextDir = "deepdock/";
constexpr const char* kImageDir = "/opt/deepdock/";
constexpr const char* kJupyterConfigDir = "/opt/deepdock/jupyter";
constexpr const char* kJupyterDataDir = "/opt/deepdock/share/jupyter";
constexpr const char* kHealthcheckPath = "/opt/deepdock/jupyter_healthcheck.py";
constexpr const char* kRequirementsPath = "/opt/deepdock/requirements.txt";
// A debootstrap image has no ENV at all, so PATH is written out rather than extended.
constexpr const char* kVenvPath =
    "/opt/deepdock/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
// Creates the user only where the base has no uid 1000 (Ubuntu 24.04 images have `ubuntu`).
// A fixed literal of ours: no spec value reaches this shell.
constexpr const char* kCreateUserScript =
    "set -e; "
    "getent group 1000 >/dev/null || groupadd --gid 1000 deep; "
    "getent passwd 1000 >/dev/null || useradd --uid 1000 --gid 1000 --create-home "
    "--home-dir /home/deep --shell /bin/bash deep";

bool is_debootstrap(const core::Resolution& resolution) {
  return resolution.base_kind == BaseKind::kDebootstrap;
}

// The distribution name of a pip requirement ("jupyterlab>=4; python_version>'3.8'" ->
// "jupyterlab"), lowercased, for "does the spec already ask for X".
std::string requirement_name(std::string_view requirement) {
  const auto end = requirement.find_first_of("<>=!~[;@ \t");
  return util::to_lower(util::trim(requirement.substr(0, end)));
}

bool spec_pip_has(const core::Spec& spec, std::string_view name) {
  return std::any_of(spec.pip.begin(), spec.pip.end(),
                     [&](const std::string& entry) { return requirement_name(entry) == name; });
}

// Appends apt packages, one entry per package name: a later pinned "name=version" replaces
// an earlier unpinned "name" (the user's pin wins); exact repeats are dropped.
void add_apt_packages(std::vector<std::string>& packages, const std::vector<std::string>& more) {
  for (const auto& entry : more) {
    const std::string name = entry.substr(0, entry.find('='));
    const auto same = std::find_if(packages.begin(), packages.end(), [&](const std::string& p) {
      return p.substr(0, p.find('=')) == name;
    });
    if (same == packages.end()) {
      packages.push_back(entry);
    } else if (entry.find('=') != std::string::npos) {
      *same = entry;
    }
  }
}

// What the generator decided before emitting anything.
struct Choices {
  JupyterMode jupyter = JupyterMode::kNone;
  bool tensorboard = false;  // the image has TensorBoard to start
  std::vector<std::string> apt;
  std::vector<std::string> tooling_pip;  // Jupyter / TensorBoard where the base may lack them
  std::vector<std::string> notes;
};

Choices decide(const core::Spec& spec, const core::Resolution& resolution) {
  Choices choices;
  choices.jupyter = spec.jupyter;
  const bool wants_tensorboard_from_pip = spec.tensorboard &&
                                          resolution.framework != Framework::kTensorflow &&
                                          !spec_pip_has(spec, "tensorboard");
  choices.tensorboard = spec.tensorboard;
  add_apt_packages(choices.apt, resolution.apt_packages);
  if (is_debootstrap(resolution)) {
    // Only the distribution's packages: the mirror may be all this host reaches.
    add_apt_packages(choices.apt, {"python3", "python3-venv"});
    if (spec.jupyter == JupyterMode::kLab && !spec_pip_has(spec, "jupyterlab")) {
      choices.jupyter = JupyterMode::kNotebook;
      choices.notes.emplace_back(
          "Debian packages Jupyter Notebook but not JupyterLab: using Jupyter Notebook (add "
          "jupyterlab to pip for JupyterLab from PyPI)");
    }
    if (choices.jupyter == JupyterMode::kNotebook) {
      add_apt_packages(choices.apt, {"jupyter-notebook"});
    }
    if (wants_tensorboard_from_pip) {
      choices.tensorboard = false;
      choices.notes.emplace_back(
          "Debian does not package TensorBoard: it will not start (add tensorboard to pip for "
          "TensorBoard from PyPI)");
    }
  } else {
    // pip leaves a package that is already there alone, without asking the index: on an
    // image that ships Jupyter (the -jupyter tags) this costs nothing.
    if (spec.jupyter == JupyterMode::kLab && !spec_pip_has(spec, "jupyterlab")) {
      choices.tooling_pip.emplace_back("jupyterlab");
    } else if (spec.jupyter == JupyterMode::kNotebook && !spec_pip_has(spec, "notebook")) {
      choices.tooling_pip.emplace_back("notebook");
    }
    if (wants_tensorboard_from_pip) {
      choices.tooling_pip.emplace_back("tensorboard");
    }
  }
  add_apt_packages(choices.apt, spec.apt);
  return choices;
}

Run apt_install(const std::vector<std::string>& packages) {
  std::vector<std::string> install = {"apt-get", "install", "-y", "--no-install-recommends"};
  install.insert(install.end(), packages.begin(), packages.end());
  return Run{{{"apt-get", "update"},
              std::move(install),
              {"apt-get", "clean"},
              {"find", "/var/lib/apt/lists", "-mindepth", "1", "-delete"}},
             {"DEBIAN_FRONTEND=noninteractive"}};
}

// The non-root user, its workspace, and on debootstrap bases the venv: pip on Debian 12
// refuses the system Python (PEP 668), and --system-site-packages keeps apt's packages
// (python3-torch) importable. The venv belongs to the user, so `pip install` works from a
// notebook too. Always created on debootstrap bases, so every such image looks the same.
Run user_and_workspace(const core::Resolution& resolution) {
  Run run{{{"sh", "-c", kCreateUserScript},
           {"mkdir", "-p", std::string(kWorkspaceDir) + "/logs"},
           {"chown", kImageUser, kWorkspaceDir, std::string(kWorkspaceDir) + "/logs"}},
          {}};
  if (is_debootstrap(resolution)) {
    run.commands.push_back({"python3", "-m", "venv", "--system-site-packages", kVenvDir});
    run.commands.push_back({"chown", "-R", kImageUser, kVenvDir});
  }
  return run;
}

Run pip_install(const core::Resolution& resolution, std::vector<std::string> args) {
  std::vector<std::string> command = {"python3", "-m", "pip", "install", "--no-cache-dir"};
  command.insert(command.end(), std::make_move_iterator(args.begin()),
                 std::make_move_iterator(args.end()));
  std::vector<std::string> env = {"PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_ROOT_USER_ACTION=ignore"};
  if (!is_debootstrap(resolution)) {
    // The image's Python is the environment's: a base marked externally managed (PEP 668,
    // Ubuntu 24.04) would otherwise refuse. Older pips ignore the variable.
    env.emplace_back("PIP_BREAK_SYSTEM_PACKAGES=1");
  }
  return Run{{std::move(command)}, std::move(env)};
}

std::map<std::string, std::string> resolution_labels(const core::Spec& spec,
                                                     const core::Resolution& resolution,
                                                     JupyterMode jupyter) {
  return {
      {"deepdock.base", resolution.base_image},
      {"deepdock.cuda", resolution.cuda},
      {"deepdock.cudnn", resolution.cudnn},
      {"deepdock.framework", std::string(core::to_string(resolution.framework))},
      {"deepdock.framework_version", resolution.framework_version},
      {"deepdock.generator", "deepdock"},
      {"deepdock.gpu", resolution.gpu ? "true" : "false"},
      {"deepdock.jupyter", std::string(core::to_string(jupyter))},
      {"deepdock.min_driver", resolution.min_driver},
      {"deepdock.python", resolution.python},
      {"deepdock.spec.name", spec.name},
  };
}

std::string framework_module(Framework framework) {
  switch (framework) {
    case Framework::kTensorflow:
      return "tensorflow";
    case Framework::kPytorch:
      return "torch";
    case Framework::kJax:
      return "jax";
    case Framework::kNone:
      break;
  }
  return "sys";
}

Healthcheck healthcheck(const core::Resolution& resolution, JupyterMode jupyter) {
  if (jupyter != JupyterMode::kNone) {
    return Healthcheck{{"python3", kHealthcheckPath}, 15, 5, 60, 3};
  }
  // No server to ask: the framework imports. Importing is slow and heavy, so check rarely.
  return Healthcheck{
      {"python3", "-c", "import " + framework_module(resolution.framework)}, 60, 60, 30, 3};
}

// The generated files, by their path in the build context (copied to /opt/deepdock/).
std::map<std::string, std::string> context_files(const core::Resolution& resolution,
                                                 JupyterMode jupyter) {
  const std::string dir = kContextDir;
  std::map<std::string, std::string> files = {{dir + "start.sh", start_script()}};
  if (jupyter == JupyterMode::kNone) {
    return files;
  }
  files[dir + "jupyter_healthcheck.py"] = jupyter_healthcheck_script();
  files[dir + "jupyter/jupyter_server_config.json"] = jupyter_server_config();
  if (jupyter == JupyterMode::kNotebook) {
    files[dir + "jupyter/jupyter_notebook_config.json"] = jupyter_notebook_config();
  }
  if (is_debootstrap(resolution)) {
    files[dir + "share/jupyter/kernels/python3/kernel.json"] =
        python_kernel_spec(std::string(kVenvDir) + "/bin/python3");
  }
  return files;
}

// Settings the start script and health check read; `deepdock up` may override them.
std::map<std::string, std::string> runtime_env(const core::Spec& spec,
                                               const core::Resolution& resolution,
                                               JupyterMode jupyter) {
  std::map<std::string, std::string> env = {{kEnvJupyter, std::string(core::to_string(jupyter))},
                                            {kEnvTensorboard, spec.tensorboard ? "true" : "false"}};
  if (jupyter != JupyterMode::kNone) {
    env[kEnvJupyterPort] = std::to_string(spec.ports.jupyter);
    env["JUPYTER_CONFIG_PATH"] = kJupyterConfigDir;
    if (is_debootstrap(resolution)) {
      // Searched before Debian's /usr/share/jupyter: our python3 kernel is the venv's.
      env["JUPYTER_PATH"] = kJupyterDataDir;
    }
  }
  if (spec.tensorboard) {
    env[kEnvTensorboardPort] = std::to_string(spec.ports.tensorboard);
  }
  return env;
}

}  // namespace

GeneratedContext generate_environment(const core::Spec& spec, const core::Resolution& resolution,
                                      const GenOptions& options) {
  Choices choices = decide(spec, resolution);
  const bool jupyter = choices.jupyter != JupyterMode::kNone;
  GeneratedContext out;
  Dockerfile& file = out.dockerfile;

  std::string header =
      fmt::format("Generated by deepdock for '{}': edit deepdock.yaml, not this file.", spec.name);
  for (const auto& note : choices.notes) {
    header += "\nNote: " + note + ".";
  }
  file.add(Comment{header});
  file.add(
      From{is_debootstrap(resolution) ? options.debootstrap_image : resolution.base_image, ""});

  if (!choices.apt.empty()) {
    file.add(apt_install(choices.apt));
  }
  file.add(user_and_workspace(resolution));
  if (is_debootstrap(resolution)) {
    file.add(Env{{{"PATH", kVenvPath}, {"VIRTUAL_ENV", kVenvDir}}});
  }
  if (!resolution.pip_packages.empty()) {
    std::vector<std::string> args;
    if (!resolution.pip_index_url.empty()) {
      // The resolver's index holds the framework's builds for this CUDA (and their
      // dependencies, as the PyTorch index does); everything else uses the default index.
      args = {"--index-url", resolution.pip_index_url};
    }
    args.insert(args.end(), resolution.pip_packages.begin(), resolution.pip_packages.end());
    file.add(pip_install(resolution, std::move(args)));
  }
  if (!choices.tooling_pip.empty()) {
    file.add(pip_install(resolution, choices.tooling_pip));
  }
  if (!options.requirements_name.empty()) {
    file.add(Copy{{options.requirements_name}, kRequirementsPath, ""});
    file.add(pip_install(resolution, {"-r", kRequirementsPath}));
  }
  if (!spec.pip.empty()) {
    file.add(pip_install(resolution, spec.pip));
  }

  // Project files last: they change most often, and copying them is cheap.
  out.files = context_files(resolution, choices.jupyter);
  file.add(Copy{{kContextDir}, kImageDir, ""});

  out.labels = resolution_labels(spec, resolution, choices.jupyter);
  file.add(Label{out.labels});
  file.add(Env{runtime_env(spec, resolution, choices.jupyter)});
  file.add(User{kImageUser});
  file.add(Workdir{kWorkspaceDir});
  if (jupyter) {
    file.add(Expose{spec.ports.jupyter});
  }
  if (spec.tensorboard) {
    file.add(Expose{spec.ports.tensorboard});
  }
  if (choices.jupyter != JupyterMode::kNone || resolution.framework != Framework::kNone) {
    // With neither a server nor a framework there is nothing to check (and the base may
    // have no Python): the container's state is its health.
    file.add(healthcheck(resolution, choices.jupyter));
  }
  file.add(Cmd{{"/bin/sh", kStartScript}});
  out.jupyter = choices.jupyter;
  out.serves_tensorboard = choices.tensorboard;
  out.notes = std::move(choices.notes);
  return out;
}

}  // namespace deepdock::gen
