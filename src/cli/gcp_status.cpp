#include "cli/gcp_status.hpp"

#include <fmt/format.h>

#include "cli/gcp_session.hpp"
#include "core/gcp/instance_spec.hpp"
#include "core/gcp/machine_match.hpp"
#include "core/gcp/price_table.hpp"

namespace deepdock::cli {
namespace {

// What a VM costs per hour while it runs; nullopt when the price table lacks it.
std::optional<double> hourly_price(const core::CloudInstance& vm) {
  const auto estimate = core::estimate_price(vm.accelerator, vm.accelerator_count, vm.machine_type,
                                             core::vcpus_of_machine_type(vm.machine_type));
  if (!estimate) {
    return std::nullopt;
  }
  return vm.spot ? estimate->spot_per_hour : estimate->on_demand_per_hour;
}

std::string gpu_words(const core::CloudInstance& vm) {
  if (vm.accelerator.empty()) {
    return "no GPU";
  }
  return fmt::format("{} x {}", vm.accelerator_count, vm.accelerator);
}

}  // namespace

Result<GcpStatus> read_gcp_status(const core::Spec& spec, const std::string& origin) {
  TRY_ASSIGN(auto session, open_gcp_session(spec, origin));
  app::GcpObserver quiet;
  app::GcpDeps deps = app::make_gcp_deps(*session->compute, *session->state, quiet);
  GcpStatus status;
  status.project = session->project;
  TRY_ASSIGN(status.vms, app::find_gcp_vms(deps, session->project));
  const std::string vm_name = core::gcp_vm_name(spec.name);
  for (const app::GcpVmListing& listing : status.vms) {
    if (listing.instance.name == vm_name && listing.instance.status == "RUNNING") {
      status.environment_vm_running = true;
    }
  }
  return status;
}

std::string gcp_status_text(const GcpStatus& status, const std::string& environment) {
  if (status.vms.empty()) {
    return fmt::format("No deepdock VMs in project {}. `deepdock up` creates one.\n",
                       status.project);
  }
  std::string text = fmt::format("Google Cloud VMs of deepdock in project {}:\n", status.project);
  for (const app::GcpVmListing& listing : status.vms) {
    const core::CloudInstance& vm = listing.instance;
    const auto price = hourly_price(vm);
    const std::string cost =
        vm.status == "RUNNING" && price ? fmt::format("~${:.2f}/h", *price) : "-";
    text +=
        fmt::format("  {:<28} {:<11} {:<16} {:<16} {:<24} {:<15} {}{}\n", vm.name, vm.status,
                    vm.zone, vm.machine_type, gpu_words(vm),
                    vm.external_ip.empty() ? "-" : vm.external_ip, cost, vm.spot ? " (Spot)" : "");
  }
  if (!status.environment_vm_running) {
    text += fmt::format("The VM of environment '{}' is not running: `deepdock up` starts it.\n",
                        environment);
  }
  return text;
}

nlohmann::json gcp_status_json(const GcpStatus& status) {
  nlohmann::json vms = nlohmann::json::array();
  for (const app::GcpVmListing& listing : status.vms) {
    const core::CloudInstance& vm = listing.instance;
    const auto price = hourly_price(vm);
    vms.push_back({{"name", vm.name},
                   {"environment", listing.env},
                   {"status", vm.status},
                   {"zone", vm.zone},
                   {"machine_type", vm.machine_type},
                   {"accelerator", vm.accelerator},
                   {"accelerator_count", vm.accelerator_count},
                   {"spot", vm.spot},
                   {"external_ip", vm.external_ip},
                   {"price_per_hour", price ? nlohmann::json(*price) : nlohmann::json(nullptr)}});
  }
  return {{"project", status.project}, {"vms", vms}, {"price_note", core::kPriceNote}};
}

}  // namespace deepdock::cli
