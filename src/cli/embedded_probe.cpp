#include "cli/embedded_probe.hpp"

// The build passes DEEPDOCK_PROBE_PATH, the built deepdock-probe, and reassembles this file
// when the probe changes (src/cli/CMakeLists.txt). .incbin places its bytes in read-only
// data between two hidden symbols.
#ifndef DEEPDOCK_PROBE_PATH
#error "DEEPDOCK_PROBE_PATH must name the built deepdock-probe"
#endif

__asm__(
    ".section .rodata.deepdock_probe,\"a\"\n"
    ".balign 16\n"
    ".globl deepdock_probe_begin\n"
    ".hidden deepdock_probe_begin\n"
    "deepdock_probe_begin:\n"
    ".incbin \"" DEEPDOCK_PROBE_PATH
    "\"\n"
    ".globl deepdock_probe_end\n"
    ".hidden deepdock_probe_end\n"
    "deepdock_probe_end:\n"
    ".previous\n");

extern "C" {
extern const char deepdock_probe_begin[];  // NOLINT(readability-identifier-naming)
extern const char deepdock_probe_end[];    // NOLINT(readability-identifier-naming)
}

namespace deepdock::cli {

std::string_view embedded_probe() {
  return {deepdock_probe_begin, static_cast<size_t>(deepdock_probe_end - deepdock_probe_begin)};
}

}  // namespace deepdock::cli
