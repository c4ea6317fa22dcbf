#pragma once
// FakeHostInspector: answers with the host facts it was given and records where it was asked
// to measure the images' disk.

#include <string>
#include <utility>
#include <vector>

#include "core/ports/host_inspector.hpp"

namespace deepdock::testing {

class FakeHostInspector : public core::HostInspector {
 public:
  explicit FakeHostInspector(core::HostDiagnosisFacts facts) : facts_(std::move(facts)) {}
  core::HostDiagnosisFacts inspect(const std::string& images_dir) override {
    images_dirs.push_back(images_dir);
    core::HostDiagnosisFacts facts = facts_;
    facts.images_disk.path = images_dir.empty() ? "/var/lib/docker" : images_dir;
    return facts;
  }

  std::vector<std::string> images_dirs;  // every inspect() call's argument

 private:
  core::HostDiagnosisFacts facts_;
};

}  // namespace deepdock::testing
