#include "cli/spec_loader.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/spec/spec_parser.hpp"

namespace deepdock::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kInvalidInput, fmt::format("cannot read {} {}", what, path.string()),
                "check the path; relative paths in the spec are relative to the spec's directory");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

Result<LoadedSpec> load_spec(const std::string& file_flag) {
  LoadedSpec loaded;
  fs::path path = file_flag;
  if (path.empty()) {
    std::error_code ec;
    if (!fs::exists("deepdock.yaml", ec)) {
      loaded.spec = core::default_spec();
      loaded.origin = "default environment (no deepdock.yaml here)";
      return loaded;
    }
    path = "deepdock.yaml";
  }
  TRY_ASSIGN(const std::string text, read_file(path, "the spec"));
  TRY_ASSIGN(loaded.spec, core::parse_spec(text, path.string()));
  loaded.spec.file = path.string();
  loaded.origin = path.string();
  if (!loaded.spec.requirements.empty()) {
    const fs::path requirements = path.parent_path() / loaded.spec.requirements;
    TRY_ASSIGN(loaded.requirements_text, read_file(requirements, "the requirements file"));
  }
  return loaded;
}

}  // namespace deepdock::cli
