#include "cli/environment_name.hpp"

#include "cli/spec_loader.hpp"

namespace deepdock::cli {

Result<std::string> environment_name(const GlobalOptions& global, const std::string& name_flag) {
  if (!name_flag.empty()) {
    return name_flag;
  }
  TRY_ASSIGN(const LoadedSpec loaded, load_spec(global.spec_file));
  return loaded.spec.name;
}

}  // namespace deepdock::cli
