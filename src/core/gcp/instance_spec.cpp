#include "core/gcp/instance_spec.hpp"

#include <cctype>

#include "core/model/gcp_image_family.hpp"

namespace deepdock::core {
namespace {

constexpr size_t kMaxNameLength = 63;

// Lowercase letters, digits and `keep`; anything else becomes '-', runs collapsed.
std::string reduce(std::string_view text, std::string_view keep) {
  std::string out;
  for (const char raw : text) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || keep.find(c) != std::string_view::npos;
    const char next = allowed ? c : '-';
    if (next == '-' && !out.empty() && out.back() == '-') {
      continue;
    }
    out.push_back(next);
  }
  return out;
}

}  // namespace

std::string gcp_vm_name(std::string_view env_name) {
  std::string name = "deepdock-" + reduce(env_name, "-");
  if (name.size() > kMaxNameLength) {
    name.resize(kMaxNameLength);
  }
  while (name.back() == '-') {
    name.pop_back();
  }
  if (name == "deepdock") {
    name = "deepdock-env";
  }
  return name;
}

std::string gcp_label_value(std::string_view env_name) {
  std::string value = reduce(env_name, "-_");
  if (value.size() > kMaxNameLength) {
    value.resize(kMaxNameLength);
  }
  return value;
}

std::map<std::string, std::string> gcp_vm_labels(std::string_view env_name) {
  return {{std::string(kManagedLabel), "true"},
          {std::string(kEnvLabel), gcp_label_value(env_name)}};
}

bool is_deepdock_managed(const CloudInstance& instance) {
  const auto it = instance.labels.find(std::string(kManagedLabel));
  return it != instance.labels.end() && it->second == "true";
}

std::string gcp_source_image(std::string_view image_family) {
  if (image_family.find('/') != std::string_view::npos) {
    return std::string(image_family);
  }
  if (const auto known = gcp_image_family(image_family)) {
    return known->source_image();
  }
  // Other families of Google's public projects, by the same naming.
  if (image_family.starts_with("ubuntu-")) {
    return "projects/ubuntu-os-cloud/global/images/family/" + std::string(image_family);
  }
  if (image_family.starts_with("debian-")) {
    return "projects/debian-cloud/global/images/family/" + std::string(image_family);
  }
  return "global/images/family/" + std::string(image_family);
}

CloudInstanceSpec make_instance_spec(const InstanceSpecInput& input) {
  CloudInstanceSpec spec;
  spec.name = gcp_vm_name(input.env_name);
  spec.zone = input.zone;
  spec.machine_type = input.machine_type;
  if (!input.built_in_gpus && input.count > 0) {
    spec.accelerator = input.accelerator;
    spec.accelerator_count = input.count;
  }
  spec.source_image = input.source_image;
  spec.disk_gb = input.disk_gb;
  spec.spot = input.spot;
  spec.tags = {std::string(kVmTag)};
  spec.labels = gcp_vm_labels(input.env_name);
  spec.metadata = input.metadata;
  return spec;
}

}  // namespace deepdock::core
