#pragma once
// What deepdock asks Compute to create for an environment: a VM named after the
// environment with a prefix so it cannot clash with the user's own VMs, labelled so that
// deepdock finds it again and never touches a VM it did not make, tagged "deepdock" for
// firewall rules, with the GPU as guestAccelerators only where the machine type does not
// carry it.

#include <map>
#include <string>
#include <string_view>

#include "core/ports/cloud_compute.hpp"

namespace deepdock::core {

inline constexpr std::string_view kManagedLabel = "deepdock-managed";
inline constexpr std::string_view kEnvLabel = "deepdock-env";
inline constexpr std::string_view kVmTag = "deepdock";

// "deepdock-<name>" reduced to [a-z]([-a-z0-9]{0,61}[a-z0-9])?: lowercased, other
// characters turned into '-', runs of '-' collapsed, at most 63 characters.
std::string gcp_vm_name(std::string_view env_name);

// A label value (lowercase letters, digits, '_' and '-', at most 63 characters).
std::string gcp_label_value(std::string_view env_name);

// {deepdock-managed: true, deepdock-env: <label-safe name>}.
std::map<std::string, std::string> gcp_vm_labels(std::string_view env_name);

// Whether an instance carries deepdock-managed=true.
bool is_deepdock_managed(const CloudInstance& instance);

// "ubuntu-2204-lts" -> "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts";
// debian-* from debian-cloud; anything else is taken as the project's own family
// ("global/images/family/<family>"); a value with '/' is taken as is.
std::string gcp_source_image(std::string_view image_family);

struct InstanceSpecInput {
  std::string env_name;
  std::string zone;
  std::string machine_type;
  bool built_in_gpus = false;
  std::string accelerator;
  int count = 0;
  std::string source_image;
  int disk_gb = 100;
  bool spot = false;
  std::map<std::string, std::string> metadata;
};

CloudInstanceSpec make_instance_spec(const InstanceSpecInput& input);

}  // namespace deepdock::core
