#pragma once
// StateDir: the StateStore as files in one directory, by default
// $DEEPDOCK_STATE_DIR, else $XDG_STATE_HOME/deepdock, else ~/.local/state/deepdock. Files
// are mode 0600 in a 0700 directory and replaced by rename, so an interrupted write leaves
// the old record (or, after a crash of the machine, possibly none: records are a cache).

#include <filesystem>

#include "core/ports/state_store.hpp"

namespace deepdock::adapters::host {

class StateDir final : public core::StateStore {
 public:
  explicit StateDir(std::filesystem::path dir);
  // The directory from the environment, as above.
  static std::filesystem::path default_dir();

  Result<std::optional<std::string>> read(std::string_view key) override;
  Status write(std::string_view key, std::string_view value) override;
  Status remove(std::string_view key) override;

 private:
  Result<std::filesystem::path> path_of(std::string_view key) const;

  std::filesystem::path dir_;
};

}  // namespace deepdock::adapters::host
