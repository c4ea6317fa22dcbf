#include "cli/spec_mounts.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "util/strings.hpp"

namespace deepdock::cli {

namespace fs = std::filesystem;

Result<std::vector<core::Mount>> spec_mounts(const core::Spec& spec) {
  std::vector<core::Mount> mounts;
  std::error_code ec;
  const fs::path base =
      spec.file.empty() ? fs::current_path(ec) : fs::absolute(spec.file, ec).parent_path();
  for (const auto& entry : spec.mounts) {
    const std::vector<std::string> parts = util::split(entry, ':');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty() ||
        (parts.size() == 3 && parts[2] != "ro" && parts[2] != "rw")) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("mounts: '{}' is not host:container[:ro]", entry),
                  "write e.g. ./work:/workspace or ./data:/data:ro");
    }
    core::Mount mount;
    mount.type = core::Mount::Type::kBind;
    mount.source = fs::weakly_canonical(base / parts[0], ec).string();
    if (ec) {
      mount.source = (base / parts[0]).lexically_normal().string();
    }
    mount.target = parts[1];
    mount.read_only = parts.size() == 3 && parts[2] == "ro";
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

Status create_mount_sources(const std::vector<core::Mount>& mounts) {
  for (const auto& mount : mounts) {
    std::error_code ec;
    if (fs::exists(mount.source, ec)) {
      continue;
    }
    fs::create_directories(mount.source, ec);
    if (ec) {
      return fail(ErrorCode::kPrecondition,
                  fmt::format("cannot create the mount source {}: {}", mount.source, ec.message()),
                  "create it yourself, or change `mounts` in the spec");
    }
  }
  return {};
}

}  // namespace deepdock::cli
