#pragma once
// HostInspector: reads the facts `deepdock doctor` judges about the machine it runs on. The
// local adapter reads sysfs, procfs, /dev, /etc and the library directories below a root
// directory, so fixture trees drive it in tests.

#include <string>

#include "core/model/host_diagnosis.hpp"

namespace deepdock::core {

class HostInspector {
 public:
  virtual ~HostInspector() = default;
  // `images_dir` is where the engine keeps images ("/var/lib/docker" when empty); its disk's
  // free space is measured. Missing files are facts too, so this cannot fail.
  virtual HostDiagnosisFacts inspect(const std::string& images_dir) = 0;
};

}  // namespace deepdock::core
