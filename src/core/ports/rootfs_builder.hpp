#pragma once
// RootfsBuilder: the port that makes a Debian root file system from a package mirror, for
// `base: debootstrap:<suite>` on hosts that reach a mirror but no image registry. The real
// adapter runs debootstrap (adapters/host/debootstrap_rootfs); tests use a fake.
//
// A directory build() returns belongs to the caller until it hands it to discard(); the
// builder may keep other builders out of its work area until then.

#include <filesystem>
#include <functional>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::core {

// One line of a tool's output (no trailing newline).
using RootfsLineFn = std::function<void(std::string_view line)>;

class RootfsBuilder {
 public:
  virtual ~RootfsBuilder() = default;

  // Builds a minimal root file system of Debian `suite` ("bookworm") in a fresh directory
  // and returns that directory. `progress` receives the tool's output line by line.
  // Errors: kInvalidInput (a malformed suite), kPrecondition (the tool cannot run here, with
  // the fix in the hint), kCancelled, kFailure (the tool failed; the message holds the tail
  // of its log).
  virtual Result<std::filesystem::path> build(std::string_view suite,
                                              const RootfsLineFn& progress) = 0;

  // Removes a directory that build() returned, with anything still mounted below it.
  virtual Status discard(const std::filesystem::path& dir) = 0;
};

}  // namespace deepdock::core
