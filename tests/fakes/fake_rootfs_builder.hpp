#pragma once
// FakeRootfsBuilder: a RootfsBuilder for app-layer tests. build() makes a real, empty
// directory in a temporary place (so callers can check it is discarded), says a scripted
// line of progress, and records every call; either call can be told to fail.

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/rootfs_builder.hpp"

namespace deepdock::testing {

class FakeRootfsBuilder : public core::RootfsBuilder {
 public:
  std::vector<std::string> calls;            // "build:<suite>", "discard:<dir>"
  std::vector<std::filesystem::path> built;  // every directory build() returned
  std::optional<Error> build_failure;
  std::optional<Error> discard_failure;
  std::vector<std::string> progress_lines = {"I: Retrieving InRelease",
                                             "I: Base system installed successfully."};

  ~FakeRootfsBuilder() override {
    std::error_code ignored;
    for (const auto& dir : built) {
      std::filesystem::remove_all(dir, ignored);
    }
  }

  Result<std::filesystem::path> build(std::string_view suite,
                                      const core::RootfsLineFn& progress) override {
    calls.push_back("build:" + std::string(suite));
    if (build_failure) {
      return tl::unexpected(*build_failure);
    }
    for (const auto& line : progress_lines) {
      if (progress) {
        progress(line);
      }
    }
    std::string pattern =
        (std::filesystem::temp_directory_path() / "deepdock-fake-rootfs.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return fail(ErrorCode::kFailure, "mkdtemp failed");
    }
    built.emplace_back(pattern);
    return built.back();
  }

  Status discard(const std::filesystem::path& dir) override {
    calls.push_back("discard:" + dir.string());
    if (discard_failure) {
      return tl::unexpected(*discard_failure);
    }
    std::error_code error;
    std::filesystem::remove_all(dir, error);
    return {};
  }
};

}  // namespace deepdock::testing
