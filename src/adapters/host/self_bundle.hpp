#pragma once
// The running deepdock as a bundle that runs on another x86_64 Linux whatever its C library:
// the executable, every shared object it has loaded, and its ELF interpreter (the dynamic
// loader), all from this machine. Started as `<dir>/lib/<interpreter> --library-path
// <dir>/lib <dir>/bin/deepdock`, it never touches the host's glibc. The bootstrap copies it
// to a host so the steps run there (app/host_agent).

#include <filesystem>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace deepdock::adapters::host {

struct BundleFile {
  std::string name;  // in the bundle: "bin/deepdock", "lib/libfmt.so.9"
  std::filesystem::path source;
  bool executable = false;
};

struct SelfBundle {
  std::vector<BundleFile> files;  // sorted by name
  std::string interpreter;        // its name in lib/: "ld-linux-x86-64.so.2"
  std::string hash;               // SHA-256 of every name and content, hex
};

// The shared objects this process has loaded (dl_iterate_phdr), without the kernel's vDSO
// and the executable itself.
std::vector<std::filesystem::path> loaded_objects();

// The bundle of `executable` with `objects` beside it; the interpreter is read from the
// executable's PT_INTERP. Symlinks are followed: the bundle holds the files' contents under
// the names the loader asked for.
Result<SelfBundle> bundle_of(const std::filesystem::path& executable,
                             const std::vector<std::filesystem::path>& objects);

// This deepdock's bundle (/proc/self/exe and what it has loaded).
Result<SelfBundle> self_bundle();

// The bundle as a gzip-compressed tar (bin/ and lib/ at its root), through libarchive.
Result<std::string> bundle_archive(const SelfBundle& bundle);

// This machine's architecture as `uname -m` prints it ("x86_64").
std::string machine_name();

}  // namespace deepdock::adapters::host
