#include "core/model/gcp_image_family.hpp"

#include <fmt/format.h>

#include <array>

namespace deepdock::core {
namespace {

struct KnownFamily {
  std::string_view family;
  std::string_view project;
  std::string_view os_id;
  std::string_view os_version;
};

// Google's public families for the OS releases the bootstrap supports (x86-64 images).
constexpr std::array kKnown{
    KnownFamily{"ubuntu-2204-lts", "ubuntu-os-cloud", "ubuntu", "22.04"},
    KnownFamily{"ubuntu-2404-lts-amd64", "ubuntu-os-cloud", "ubuntu", "24.04"},
    KnownFamily{"ubuntu-2004-lts", "ubuntu-os-cloud", "ubuntu", "20.04"},
    KnownFamily{"debian-12", "debian-cloud", "debian", "12"},
    KnownFamily{"debian-11", "debian-cloud", "debian", "11"},
};

}  // namespace

std::string GcpImageFamily::source_image() const {
  return fmt::format("projects/{}/global/images/family/{}", project, family);
}

Result<GcpImageFamily> gcp_image_family(std::string_view family) {
  std::string names;
  for (const KnownFamily& known : kKnown) {
    if (known.family == family) {
      return GcpImageFamily{std::string(known.family), std::string(known.project),
                            std::string(known.os_id), std::string(known.os_version)};
    }
    names += names.empty() ? "" : ", ";
    names += known.family;
  }
  return fail(ErrorCode::kInvalidInput,
              fmt::format("target.gcp.image_family '{}' is not one deepdock can bootstrap", family),
              fmt::format("use one of {} (the VM's startup script installs the driver, Docker "
                          "and the container toolkit on these)",
                          names));
}

}  // namespace deepdock::core
