#pragma once
// FakeStateStore: the StateStore in a map.

#include <map>
#include <mutex>
#include <string>

#include "core/ports/state_store.hpp"

namespace deepdock::testing {

class FakeStateStore : public core::StateStore {
 public:
  std::map<std::string, std::string> records;

  Result<std::optional<std::string>> read(std::string_view key) override {
    const std::lock_guard lock(mutex_);
    const auto it = records.find(std::string(key));
    return it == records.end() ? std::optional<std::string>{} : std::optional{it->second};
  }
  Status write(std::string_view key, std::string_view value) override {
    const std::lock_guard lock(mutex_);
    records[std::string(key)] = std::string(value);
    return {};
  }
  Status remove(std::string_view key) override {
    const std::lock_guard lock(mutex_);
    records.erase(std::string(key));
    return {};
  }

 private:
  std::mutex mutex_;
};

}  // namespace deepdock::testing
