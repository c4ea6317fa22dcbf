#pragma once
// How integration tests find the real components that scripts/test-components.sh starts.
// Under CI=true a missing component is a failure, never a skip.

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace deepdock::testing {

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false";
}

inline std::optional<std::string> env_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

}  // namespace deepdock::testing

// Fetches a component's environment variable into `var`, or skips the test with the reason
// (fails it under CI, where every component must be running).
#define DEEPDOCK_REQUIRE_COMPONENT(var, name)                                                   \
  const std::string var = [] {                                                                  \
    auto found = ::deepdock::testing::env_value(name);                                          \
    return found ? *found : std::string();                                                      \
  }();                                                                                          \
  if (var.empty()) {                                                                            \
    if (::deepdock::testing::running_in_ci()) {                                                 \
      FAIL() << name                                                                            \
             << " is not set: run the tests through scripts/test.sh, which starts "             \
                "the engine, registry and base image";                                          \
    }                                                                                           \
    GTEST_SKIP() << name << " is not set (start components: scripts/test-components.sh start)"; \
  }
