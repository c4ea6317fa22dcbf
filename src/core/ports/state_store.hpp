#pragma once
// StateStore: small records deepdock keeps between runs on the machine it runs on (the
// verification of a container, by container ID). Losing one costs a re-check, never
// correctness. The local adapter keeps files under the XDG state directory.

#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::core {

class StateStore {
 public:
  virtual ~StateStore() = default;
  // Keys are made of [A-Za-z0-9._-]; nullopt when there is no record.
  virtual Result<std::optional<std::string>> read(std::string_view key) = 0;
  // Replaces the record atomically: a reader sees the old or the new one, never a part.
  virtual Status write(std::string_view key, std::string_view value) = 0;
  // Removing a missing record is not an error.
  virtual Status remove(std::string_view key) = 0;
};

}  // namespace deepdock::core
