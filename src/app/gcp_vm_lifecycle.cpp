#include "app/gcp_vm_lifecycle.hpp"

#include <fmt/format.h>

#include "app/gcp_attempt.hpp"
#include "app/gcp_operation.hpp"
#include "app/gcp_vm_record.hpp"
#include "app/gcp_vm_removal.hpp"
#include "core/gcp/instance_spec.hpp"
#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2000);

struct VmRef {
  std::string project;
  std::string zone;
  std::string name;
};

// The VMs of an environment: the recorded one, or (the record lost) those labelled with it.
Result<std::vector<VmRef>> vms_of(std::string_view env_name, const std::string& project,
                                  const std::optional<GcpVmRecord>& record, GcpDeps& deps) {
  if (record) {
    return std::vector<VmRef>{{record->project, record->zone, record->name}};
  }
  std::vector<VmRef> refs;
  if (project.empty()) {
    return refs;
  }
  TRY_ASSIGN(const std::vector<core::CloudInstance> found,
             deps.compute.list_instances(project, core::gcp_vm_labels(env_name)));
  for (const core::CloudInstance& instance : found) {
    refs.push_back({project, instance.zone, instance.name});
  }
  return refs;
}

Status refuse_unmanaged(const core::CloudInstance& instance) {
  if (core::is_deepdock_managed(instance)) {
    return {};
  }
  return fail(ErrorCode::kPermissionDenied,
              fmt::format("VM {} in {} lacks the label deepdock-managed=true: deepdock did not "
                          "create it and leaves it alone",
                          instance.name, instance.zone),
              "stop or delete it yourself if it is yours");
}

Result<std::string> stop_one(GcpDeps& deps, const VmRef& vm, std::chrono::seconds timeout) {
  TRY_ASSIGN(const std::optional<core::CloudInstance> instance,
             deps.compute.get_instance(vm.project, vm.zone, vm.name));
  if (!instance) {
    return std::string("already gone");
  }
  TRY(refuse_unmanaged(*instance));
  if (instance->status == "TERMINATED" || instance->status == "STOPPED") {
    return std::string("already stopped");
  }
  const std::string what = fmt::format("stopping VM {} in {}", vm.name, vm.zone);
  deps.observer.line(what);
  TRY_ASSIGN(core::CloudOperation operation,
             deps.compute.stop_instance(vm.project, vm.zone, vm.name, deps.new_request_id()));
  if (!operation.done()) {
    TRY_ASSIGN(operation, wait_gcp_operation(deps, {.project = vm.project,
                                                    .zone = vm.zone,
                                                    .operation = operation.name,
                                                    .what = what,
                                                    .timeout = timeout}));
  }
  if (operation.error) {
    return fail(ErrorCode::kFailure,
                fmt::format("{}: Compute refused: {}", what, operation.error->message),
                "run `deepdock down` again");
  }
  const auto deadline = deps.now() + timeout;
  while (true) {
    TRY_ASSIGN(const std::optional<core::CloudInstance> now,
               deps.compute.get_instance(vm.project, vm.zone, vm.name));
    if (!now) {
      return std::string("already gone");
    }
    if (now->status == "TERMINATED" || now->status == "STOPPED") {
      return std::string("stopped");
    }
    if (deps.now() >= deadline) {
      return fail(ErrorCode::kTimeout, fmt::format("{}: still {}", what, now->status),
                  "run `deepdock down` again");
    }
    if (!deps.sleep(kPollInterval)) {
      return fail(ErrorCode::kCancelled, fmt::format("{}: interrupted", what));
    }
  }
}

}  // namespace

Result<core::CloudInstance> wait_for_running(GcpDeps& deps, const std::string& project,
                                             const std::string& zone, const std::string& name,
                                             std::chrono::seconds timeout) {
  const auto deadline = deps.now() + timeout;
  std::string last_status = "unknown";
  while (true) {
    TRY_ASSIGN(const std::optional<core::CloudInstance> instance,
               deps.compute.get_instance(project, zone, name));
    if (!instance) {
      return fail(ErrorCode::kFailure,
                  fmt::format("VM {} in {} vanished while starting", name, zone),
                  "run `deepdock up` again");
    }
    last_status = instance->status;
    if (last_status == "RUNNING" && !instance->external_ip.empty()) {
      return *instance;
    }
    if (last_status == "TERMINATED" || last_status == "STOPPED" || last_status == "SUSPENDED") {
      return fail(ErrorCode::kFailure,
                  fmt::format("VM {} in {} stopped while starting ({}{}); it is kept", name, zone,
                              last_status,
                              instance->status_message.empty()
                                  ? ""
                                  : fmt::format(": {}", instance->status_message)),
                  instance->spot ? "a Spot VM can be preempted at any time: `deepdock up` starts "
                                   "it again"
                                 : "`deepdock up` starts it again");
    }
    if (deps.now() >= deadline) {
      return fail(ErrorCode::kTimeout,
                  fmt::format("VM {} in {} not RUNNING with an external IP after {} s (status {})",
                              name, zone, timeout.count(), last_status),
                  "`deepdock up` again waits anew; `deepdock down --delete` removes the VM");
    }
    if (!deps.sleep(kPollInterval)) {
      return fail(ErrorCode::kCancelled,
                  fmt::format("interrupted while waiting for VM {} to run", name));
    }
  }
}

Result<GcpVmRemoval> stop_gcp_vm(std::string_view env_name, const std::string& project,
                                 GcpDeps& deps, std::chrono::seconds timeout) {
  TRY_ASSIGN(const std::optional<GcpVmRecord> record, read_gcp_vm_record(deps.state, env_name));
  TRY_ASSIGN(const std::vector<VmRef> vms, vms_of(env_name, project, record, deps));
  GcpVmRemoval removal{project, "", "", "none", {}};
  for (const VmRef& vm : vms) {
    TRY_ASSIGN(removal.outcome, stop_one(deps, vm, timeout));
    removal = GcpVmRemoval{vm.project, vm.zone, vm.name, removal.outcome, removal.notes};
    if (!record) {
      removal.notes.push_back(fmt::format("found VM {} by its labels (no record)", vm.name));
    }
  }
  return removal;
}

Result<GcpVmRemoval> delete_gcp_vm(std::string_view env_name, const std::string& project,
                                   GcpDeps& deps, std::chrono::seconds timeout) {
  TRY_ASSIGN(const std::optional<GcpVmRecord> record, read_gcp_vm_record(deps.state, env_name));
  TRY_ASSIGN(const std::vector<VmRef> vms, vms_of(env_name, project, record, deps));
  GcpVmRemoval removal{project, "", "", "none", {}};
  const GcpVmRequest request{.env_name = std::string(env_name), .operation_timeout = timeout};
  for (const VmRef& vm : vms) {
    deps.observer.line(fmt::format("deleting VM {} in {}", vm.name, vm.zone));
    TRY_ASSIGN(const std::optional<core::CloudInstance> before,
               deps.compute.get_instance(vm.project, vm.zone, vm.name));
    if (before) {
      TRY(refuse_unmanaged(*before));
    }
    if (record) {
      // A create whose operation is not known to be over could still make the VM.
      const bool insert_done = record->state == "created" || record->operation.empty();
      TRY_ASSIGN(const bool removed, clean_up_attempt(request, *record, insert_done, deps));
      if (!removed) {
        return fail(ErrorCode::kConflict,
                    fmt::format("VM {} in {} is still being created", vm.name, vm.zone),
                    "run `deepdock down --delete` again in a minute");
      }
    } else {
      const CancelSetAside set_aside;
      TRY(delete_vm_and_wait(deps, vm.project, vm.zone, vm.name, timeout));
    }
    removal = GcpVmRemoval{vm.project, vm.zone, vm.name, before ? "deleted" : "already gone",
                           removal.notes};
    if (!before) {
      removal.notes.push_back(
          fmt::format("VM {} was already gone; its record is removed", vm.name));
    }
  }
  return removal;
}

Result<std::vector<GcpVmListing>> find_gcp_vms(GcpDeps& deps, const std::string& project) {
  TRY_ASSIGN(const std::vector<core::CloudInstance> found,
             deps.compute.list_instances(project, {{std::string(core::kManagedLabel), "true"}}));
  std::vector<GcpVmListing> listings;
  for (const core::CloudInstance& instance : found) {
    const auto env = instance.labels.find(std::string(core::kEnvLabel));
    listings.push_back({instance, env == instance.labels.end() ? "" : env->second});
  }
  return listings;
}

}  // namespace deepdock::app
