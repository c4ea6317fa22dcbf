#pragma once
// FakeGpuProbe: answers with the host facts it was given.

#include <utility>

#include "core/ports/gpu_probe.hpp"

namespace deepdock::testing {

class FakeGpuProbe : public core::GpuProbe {
 public:
  explicit FakeGpuProbe(core::HostFacts facts) : facts_(std::move(facts)) {}
  Result<core::HostFacts> probe() override { return facts_; }

 private:
  core::HostFacts facts_;
};

}  // namespace deepdock::testing
