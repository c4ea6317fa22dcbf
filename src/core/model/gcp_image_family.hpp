#pragma once
// The boot image of a Google Cloud VM, from the spec's `target.gcp.image_family`: the public
// image project that publishes the family, the source image deepdock asks for, and the OS the
// bootstrap (the VM's startup script) is planned for before the VM exists. Only families the
// bootstrap supports are accepted, so a VM is never created that deepdock cannot prepare.

#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::core {

struct GcpImageFamily {
  std::string family;                              // ubuntu-2204-lts
  std::string project;                             // ubuntu-os-cloud
  std::string os_id;                               // ubuntu
  std::string os_version;                          // 22.04
  [[nodiscard]] std::string source_image() const;  // projects/P/global/images/family/F
};

// kInvalidInput, naming the families deepdock knows, for any other.
Result<GcpImageFamily> gcp_image_family(std::string_view family);

}  // namespace deepdock::core
