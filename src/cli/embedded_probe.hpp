#pragma once
// The in-container probe's executable (src/probe), carried inside the deepdock binary so
// that one file is all a host, local or remote, needs: `up` and `verify` copy it into the
// container through the engine's archive endpoint.

#include <string_view>

namespace deepdock::cli {

std::string_view embedded_probe();

}  // namespace deepdock::cli
