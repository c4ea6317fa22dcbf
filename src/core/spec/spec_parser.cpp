#include "core/spec/spec_parser.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "core/spec/spec_reader.hpp"
#include "core/spec/spec_sections.hpp"
#include "core/spec/spec_values.hpp"
#include "core/spec/spec_yaml.hpp"

namespace deepdock::core {
namespace {

using spec_reader::assign;
using spec_reader::Entry;
using spec_reader::Reader;
using spec_sections::kAllPaths;

// A spec is a page of YAML; refusing megabytes keeps a bad file from costing real time.
constexpr size_t kMaxSpecBytes = size_t{1} << 20;
constexpr int kMaxGpus = 16;

constexpr std::array<std::pair<std::string_view, Framework>, 4> kFrameworks = {{
    {"tensorflow", Framework::kTensorflow},
    {"pytorch", Framework::kPytorch},
    {"jax", Framework::kJax},
    {"none", Framework::kNone},
}};
constexpr std::array<std::pair<std::string_view, GpuMode>, 3> kGpuModes = {{
    {"auto", GpuMode::kAuto},
    {"required", GpuMode::kRequired},
    {"none", GpuMode::kNone},
}};
constexpr std::array<std::pair<std::string_view, JupyterMode>, 3> kJupyterModes = {{
    {"lab", JupyterMode::kLab},
    {"notebook", JupyterMode::kNotebook},
    {"none", JupyterMode::kNone},
}};
constexpr std::array<std::pair<std::string_view, NetworkMode>, 2> kNetworkModes = {{
    {"bridge", NetworkMode::kBridge},
    {"host", NetworkMode::kHost},
}};
constexpr std::array<std::pair<std::string_view, BuildMode>, 2> kBuildModes = {{
    {"local", BuildMode::kLocal},
    {"cloudbuild", BuildMode::kCloudbuild},
}};

// auto | required | none | a count 1-16.
void read_gpu(Reader& reader, const Entry& entry, GpuSetting& gpu) {
  const std::optional<std::string> text = reader.text(entry);
  if (!text) {
    return;
  }
  for (const auto& [name, mode] : kGpuModes) {
    if (name == *text) {
      gpu = GpuSetting{mode, 0};
      return;
    }
  }
  const bool digits = !text->empty() && std::all_of(text->begin(), text->end(),
                                                    [](char ch) { return ch >= '0' && ch <= '9'; });
  if (digits && std::all_of(text->begin(), text->end(), [](char ch) { return ch == '0'; })) {
    reader.problem(entry.location, entry.path, "gpu: 0 is not a count 1-16",
                   "write gpu: none to run without a GPU");
    return;
  }
  if (digits) {
    if (const std::optional<int> count = reader.integer(entry, 1, kMaxGpus)) {
      gpu = GpuSetting{GpuMode::kCount, *count};
    }
    return;
  }
  const std::array<std::string_view, 3> names = {"auto", "required", "none"};
  reader.not_one_of(entry, *text, names, ", or a count 1-16");
}

// "" (the newest release that fits) | latest | major.minor[.patch].
void read_version(Reader& reader, const Entry& entry, std::string& version) {
  const std::optional<std::string> text = reader.text(entry);
  if (!text || text->empty() || *text == "latest") {
    return;
  }
  assign(reader.checked_text(entry, spec_values::check_version), version);
}

void read_list(Reader& reader, const Entry& entry, Reader::Check check,
               std::vector<std::string>& list) {
  const auto items = reader.text_list(entry);
  if (!items) {
    return;
  }
  const size_t before = reader.problems.size();
  std::vector<std::string> result;
  for (const spec_reader::Item& item : *items) {
    reader.check_item(entry, item, check);
    result.push_back(item.text);
  }
  if (reader.problems.size() == before) {
    list = std::move(result);
  }
}

void read_mounts(Reader& reader, const Entry& entry, std::vector<std::string>& mounts) {
  const auto items = reader.text_list(entry);
  if (!items) {
    return;
  }
  const size_t before = reader.problems.size();
  std::set<std::string, std::less<>> targets;
  std::vector<std::string> result;
  for (const spec_reader::Item& item : *items) {
    reader.check_item(entry, item, spec_values::check_mount);
    const std::string container = spec_values::mount_container_path(item.text);
    if (!container.empty() && !targets.insert(container).second) {
      reader.problem(item.location, entry.path,
                     fmt::format("mounts: two mounts share the container path {}",
                                 spec_reader::shown(container)));
    }
    result.push_back(item.text);
  }
  if (reader.problems.size() == before) {
    mounts = std::move(result);
  }
}

void read_top_level(Reader& reader, const Entry& entry, Spec& spec) {
  const std::string& key = entry.path;
  if (key == "name") {
    assign(reader.checked_text(entry, spec_values::check_name), spec.name);
  } else if (key == "framework") {
    assign(reader.choice<Framework>(entry, kFrameworks), spec.framework);
  } else if (key == "version") {
    read_version(reader, entry, spec.version);
  } else if (key == "gpu") {
    read_gpu(reader, entry, spec.gpu);
  } else if (key == "python") {
    assign(reader.checked_text(entry, spec_values::check_python), spec.python);
  } else if (key == "base") {
    assign(reader.checked_text(entry, spec_values::check_base), spec.base);
  } else if (key == "apt") {
    read_list(reader, entry, spec_values::check_apt_package, spec.apt);
  } else if (key == "pip") {
    read_list(reader, entry, spec_values::check_pip_requirement, spec.pip);
  } else if (key == "requirements") {
    assign(reader.checked_text(entry, spec_values::check_relative_path), spec.requirements);
  } else if (key == "jupyter") {
    assign(reader.choice<JupyterMode>(entry, kJupyterModes), spec.jupyter);
  } else if (key == "tensorboard") {
    assign(reader.boolean(entry), spec.tensorboard);
  } else if (key == "ports") {
    spec_sections::read_ports(reader, entry, spec.ports);
  } else if (key == "mounts") {
    read_mounts(reader, entry, spec.mounts);
  } else if (key == "network") {
    assign(reader.choice<NetworkMode>(entry, kNetworkModes), spec.network);
  } else if (key == "target") {
    spec_sections::read_target(reader, entry, spec.target);
  } else if (key == "build") {
    assign(reader.choice<BuildMode>(entry, kBuildModes), spec.build);
  } else if (key == "registry") {
    assign(reader.checked_text(entry, spec_values::check_registry), spec.registry);
  }
}

SourceLocation where(const Reader& reader, const std::string& path) {
  const auto found = reader.locations.find(path);
  return found == reader.locations.end() ? SourceLocation{} : found->second;
}

// Rules between keys, checked once each key is read. A key whose own value was rejected is
// not reported again here.
void check_combinations(Reader& reader, const Spec& spec) {
  if (spec.target.kind == TargetKind::kSsh && spec.target.host.empty() &&
      !reader.failed("target.host")) {
    reader.problem(where(reader, "target.kind"), "target.host",
                   "target.host is required when target.kind is ssh",
                   "add host: ssh://[user@]host[:port] under target");
  }
  if (spec.build == BuildMode::kCloudbuild) {
    if (spec.registry.empty() && !reader.failed("registry")) {
      reader.problem(where(reader, "build"), "build",
                     "build: cloudbuild needs a registry to push the image to",
                     "add registry: REGION-docker.pkg.dev/PROJECT/REPOSITORY");
    }
    if (spec.target.kind != TargetKind::kGcp && !reader.failed("target.kind") &&
        !reader.failed("target")) {
      reader.problem(where(reader, "build"), "build",
                     fmt::format("build: cloudbuild runs only with target.kind gcp, not {}",
                                 to_string(spec.target.kind)),
                     "use build: local, or target: {kind: gcp}");
    }
  }
  if (spec.framework == Framework::kNone && !spec.version.empty()) {
    reader.problem(where(reader, "version"), "version",
                   "version: a version needs a framework, and framework is none",
                   "remove version, or set framework");
  }
  const bool ports_set =
      reader.locations.contains("ports.jupyter") || reader.locations.contains("ports.tensorboard");
  if (ports_set && spec.ports.jupyter == spec.ports.tensorboard) {
    reader.problem(
        where(reader, reader.locations.contains("ports.tensorboard") ? "ports.tensorboard"
                                                                     : "ports.jupyter"),
        "ports",
        fmt::format("ports: jupyter and tensorboard both use port {}", spec.ports.jupyter));
  }
}

void read_document(Reader& reader, const YAML::Node& root, Spec& spec) {
  if (root.IsNull()) {
    return;  // only comments, or "---": the default environment
  }
  if (!root.IsMap()) {
    const SourceLocation at = spec_reader::location_of(root);
    reader.problem(at.line == 0 ? SourceLocation{1, 1} : at, "",
                   "the spec must be a map of keys (name: ..., framework: ...), not " +
                       std::string(root.IsSequence() ? "a list" : "a single value"));
    return;
  }
  for (const Entry& entry : reader.entries(root, "", {1, 1}, spec_sections::kTopKeys, kAllPaths)) {
    read_top_level(reader, entry, spec);
  }
  check_combinations(reader, spec);
}

void read_text(Reader& reader, std::string_view yaml_text, Spec& spec) {
  if (yaml_text.size() > kMaxSpecBytes) {
    reader.problem({}, "",
                   fmt::format("the file is {} bytes; a spec is at most {} bytes", yaml_text.size(),
                               kMaxSpecBytes));
    return;
  }
  spec_yaml::LoadedDocument document = spec_yaml::load_one_document(yaml_text);
  if (document.problem) {
    reader.problems.push_back(std::move(*document.problem));
    return;
  }
  try {
    read_document(reader, document.root, spec);
  } catch (const std::exception& error) {
    // Reading a loaded tree does not throw; should yaml-cpp disagree, say so rather than crash.
    reader.problems.clear();
    reader.problem({}, "", fmt::format("cannot read the spec: {}", error.what()));
  }
}

}  // namespace

SpecParseOutcome parse_spec_collect(std::string_view yaml_text, std::string_view file_name) {
  Reader reader;
  Spec spec = default_spec();
  read_text(reader, yaml_text, spec);
  SpecParseOutcome outcome;
  if (reader.problems.empty()) {
    spec.file = std::string(file_name);
    spec.locations = std::move(reader.locations);
    outcome.spec = std::move(spec);
    return outcome;
  }
  std::stable_sort(reader.problems.begin(), reader.problems.end(),
                   [](const SpecProblem& a, const SpecProblem& b) {
                     return std::pair(a.location.line, a.location.column) <
                            std::pair(b.location.line, b.location.column);
                   });
  outcome.problems = std::move(reader.problems);
  return outcome;
}

Result<Spec> parse_spec(std::string_view yaml_text, std::string_view file_name) {
  SpecParseOutcome outcome = parse_spec_collect(yaml_text, file_name);
  if (!outcome.problems.empty()) {
    return fail(problems_to_error(std::move(outcome.problems), file_name));
  }
  return std::move(*outcome.spec);
}

Spec default_spec() {
  return Spec{};
}

std::vector<std::string> spec_keys() {
  return {kAllPaths.begin(), kAllPaths.end()};
}

}  // namespace deepdock::core
