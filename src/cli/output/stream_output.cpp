#include "cli/output/stream_output.hpp"

#include <cstdio>

namespace deepdock::cli {

void write_container_output(core::StreamKind kind, std::string_view data) {
  std::FILE* out = kind == core::StreamKind::kStdout ? stdout : stderr;
  std::fwrite(data.data(), 1, data.size(), out);
  std::fflush(out);
}

}  // namespace deepdock::cli
