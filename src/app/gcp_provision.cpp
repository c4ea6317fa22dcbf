#include "app/gcp_provision.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "app/gcp_attempt.hpp"
#include "app/gcp_operation.hpp"
#include "app/gcp_vm_lifecycle.hpp"
#include "app/gcp_vm_record.hpp"
#include "app/gcp_vm_removal.hpp"
#include "core/gcp/failure_class.hpp"
#include "core/gcp/instance_spec.hpp"
#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2000);

double seconds_since(GcpDeps& deps, GcpClock::time_point start) {
  return std::chrono::duration<double>(deps.now() - start).count();
}

// What differs between the recorded VM and the spec, as notes.
void note_differences(const GcpVmRequest& request, const core::CloudInstance& instance,
                      std::vector<std::string>& notes) {
  const core::GcpTarget& target = request.target;
  if (!target.machine_type.empty() && instance.machine_type != target.machine_type) {
    notes.push_back(fmt::format(
        "VM {} is a {}, the spec asks for {}: `deepdock down --delete` and `up` recreate it",
        instance.name, instance.machine_type, target.machine_type));
  }
  if (!instance.accelerator.empty() && instance.accelerator != target.accelerator) {
    notes.push_back(fmt::format(
        "VM {} has {}, the spec asks for {}: `deepdock down --delete` and `up` recreate it",
        instance.name, instance.accelerator, target.accelerator));
  }
}

// Starts a stopped VM; a zone out of capacity keeps it (stopped) and says so.
Status start_recorded(const GcpVmRequest& request, const GcpVmRecord& record, GcpDeps& deps) {
  deps.observer.line(fmt::format("starting VM {} in {}", record.name, record.zone));
  TRY_ASSIGN(
      core::CloudOperation operation,
      deps.compute.start_instance(record.project, record.zone, record.name, deps.new_request_id()));
  if (!operation.done()) {
    TRY_ASSIGN(operation,
               wait_gcp_operation(deps, {.project = record.project,
                                         .zone = record.zone,
                                         .operation = operation.name,
                                         .what = fmt::format("starting VM {}", record.name),
                                         .timeout = request.operation_timeout}));
  }
  if (operation.error) {
    const core::FailureClass failure =
        core::classify_failure(*operation.error, record.project, core::region_of_zone(record.zone));
    return fail(failure.outcome == "stocked out" ? ErrorCode::kUnavailable : ErrorCode::kFailure,
                fmt::format("VM {} in {} could not start ({}): {}; the VM is kept, stopped",
                            record.name, record.zone, failure.outcome, operation.error->message),
                failure.outcome == "stocked out"
                    ? std::string("run `deepdock up` again later, or `deepdock down --delete` "
                                  "and `up` to create it in another zone")
                    : failure.hint);
  }
  return {};
}

// The recorded VM, made to run; nullopt when it no longer exists (the record removed).
Result<std::optional<GcpVmResult>> reuse_recorded(const GcpVmRequest& request,
                                                  const GcpVmRecord& record, GcpDeps& deps) {
  TRY_ASSIGN(std::optional<core::CloudInstance> instance,
             deps.compute.get_instance(record.project, record.zone, record.name));
  if (!instance) {
    // Gone; a create still under way would show up once its operation ends.
    TRY_ASSIGN(const bool removed,
               clean_up_attempt(request, record,
                                record.state == "created" || record.operation.empty(), deps));
    if (!removed) {
      return fail(
          ErrorCode::kConflict,
          fmt::format("VM {} in {} is still being created or deleted", record.name, record.zone),
          "run `deepdock up` again in a minute");
    }
    return std::optional<GcpVmResult>{};
  }
  if (!core::is_deepdock_managed(*instance)) {
    return fail(
        ErrorCode::kPermissionDenied,
        fmt::format("VM {} in {} lacks the label deepdock-managed=true", record.name, record.zone),
        "deepdock uses only VMs it created: rename the environment (name:)");
  }
  GcpVmResult result;
  result.project = record.project;
  result.outcome = "reused";
  note_differences(request, *instance, result.notes);
  const auto deadline = deps.now() + request.operation_timeout;
  while (instance->status == "STOPPING" || instance->status == "SUSPENDING") {
    if (deps.now() >= deadline || !deps.sleep(kPollInterval)) {
      return fail(util::cancel_requested() ? ErrorCode::kCancelled : ErrorCode::kTimeout,
                  fmt::format("VM {} is still {}", record.name, instance->status),
                  "run `deepdock up` again once it has stopped");
    }
    TRY_ASSIGN(instance, deps.compute.get_instance(record.project, record.zone, record.name));
    if (!instance) {
      return fail(ErrorCode::kConflict, fmt::format("VM {} vanished while stopping", record.name),
                  "run `deepdock up` again");
    }
  }
  const std::string& status = instance->status;
  if (status == "TERMINATED" || status == "STOPPED" || status == "SUSPENDED") {
    TRY(start_recorded(request, record, deps));
    result.outcome = "started";
  } else if (status != "RUNNING" && status != "PROVISIONING" && status != "STAGING") {
    return fail(ErrorCode::kConflict, fmt::format("VM {} is {}", record.name, status),
                "run `deepdock up` again shortly");
  }
  TRY_ASSIGN(result.instance, wait_for_running(deps, record.project, record.zone, record.name,
                                               request.running_timeout));
  if (record.state != "created") {
    GcpVmRecord created = record;
    created.state = "created";
    TRY(write_gcp_vm_record(deps.state, request.env_name, created));
  }
  return std::optional{std::move(result)};
}

Error exhausted(const GcpVmPlan& plan, const std::vector<GcpAttempt>& attempts) {
  std::set<std::string> outcomes;
  std::string hint;
  for (const GcpAttempt& attempt : attempts) {
    if (attempt.tried) {
      outcomes.insert(attempt.outcome);
      if (!attempt.hint.empty()) {
        hint = attempt.hint;
      }
    }
  }
  ErrorCode code = ErrorCode::kFailure;
  if (outcomes.contains("permission")) {
    code = ErrorCode::kPermissionDenied;
  } else if (outcomes.contains("regional quota") || outcomes.contains("global GPU quota") ||
             outcomes.contains("global quota")) {
    code = ErrorCode::kPrecondition;
  } else if (std::all_of(outcomes.begin(), outcomes.end(), [](const std::string& outcome) {
               return outcome == "stocked out" || outcome == "busy";
             })) {
    code = ErrorCode::kUnavailable;
    hint =
        "GPU stockouts pass: run `deepdock up` again later, list more zones in "
        "target.gcp.zones, or try another accelerator";
  }
  std::string message =
      fmt::format("could not create a VM with {} x {} in project {}; attempts:", plan.count,
                  plan.accelerator, plan.project);
  for (const std::string& row : format_gcp_attempts(attempts)) {
    message += "\n  " + row;
  }
  return Error{code, message, hint};
}

}  // namespace

std::vector<std::string> format_gcp_attempts(const std::vector<GcpAttempt>& attempts) {
  size_t zone_width = 4;
  size_t region_width = 6;
  size_t outcome_width = 7;
  for (const GcpAttempt& attempt : attempts) {
    zone_width = std::max(zone_width, attempt.zone.size());
    region_width = std::max(region_width, attempt.region.size());
    outcome_width = std::max(outcome_width, attempt.outcome.size());
  }
  std::vector<std::string> rows;
  rows.reserve(attempts.size());
  for (const GcpAttempt& attempt : attempts) {
    rows.push_back(fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>6}  {}", attempt.zone, zone_width,
                               attempt.region, region_width, attempt.outcome, outcome_width,
                               attempt.tried ? fmt::format("{:.1f}s", attempt.seconds) : "-",
                               attempt.message));
  }
  return rows;
}

Result<GcpVmResult> provision_gcp_vm(const GcpVmRequest& request, GcpDeps& deps) {
  TRY_ASSIGN(const std::optional<GcpVmRecord> record,
             read_gcp_vm_record(deps.state, request.env_name));
  std::vector<std::string> notes;
  if (record) {
    if (!record->project.empty() && record->project != request.target.project) {
      return fail(ErrorCode::kConflict,
                  fmt::format("this environment's VM {} is in project {}, the spec names {}",
                              record->name, record->project, request.target.project),
                  "run `deepdock down --delete` with the old project first, or restore it");
    }
    TRY_ASSIGN(std::optional<GcpVmResult> reused, reuse_recorded(request, *record, deps));
    if (reused) {
      return std::move(*reused);
    }
    notes.push_back(
        fmt::format("the recorded VM {} in {} no longer exists", record->name, record->zone));
  }

  TRY_ASSIGN(GcpVmPlan plan, plan_gcp_vm(request, deps));
  std::vector<GcpAttempt> attempts = plan.skipped;
  std::set<std::string> blocked_regions;
  for (const core::ZoneCandidate& zone : plan.candidates) {
    if (blocked_regions.contains(zone.region)) {
      attempts.push_back({zone.zone, zone.region, "skipped",
                          fmt::format("region {} ruled out above", zone.region), "", 0, false});
      continue;
    }
    if (util::cancel_requested()) {
      return fail(ErrorCode::kCancelled, "interrupted before creating the VM",
                  "run `deepdock up` again");
    }
    deps.observer.line(fmt::format("trying {} ({})...", zone.zone, zone.region));
    const auto start = deps.now();
    TRY_ASSIGN(const ZoneAttemptResult tried, try_zone(request, plan, zone, deps));
    GcpAttempt attempt{zone.zone, zone.region, "created", "", "", seconds_since(deps, start)};
    if (tried.kind == ZoneAttemptResult::Kind::kLost) {
      attempt.outcome = "error";
      attempt.message = tried.message;
    } else if (tried.kind == ZoneAttemptResult::Kind::kRefused) {
      attempt.outcome = tried.failure_class.outcome;
      attempt.message = tried.failure.message;
      attempt.hint = tried.failure_class.hint;
    }
    attempts.push_back(attempt);
    deps.observer.attempt_finished(attempt);
    if (tried.kind == ZoneAttemptResult::Kind::kCreated) {
      auto running = wait_for_running(deps, plan.project, zone.zone,
                                      core::gcp_vm_name(request.env_name), request.running_timeout);
      if (!running) {
        if (running.error().code == ErrorCode::kCancelled) {
          const auto recorded = read_gcp_vm_record(deps.state, request.env_name);
          if (recorded && *recorded) {
            (void)clean_up_attempt(request, **recorded, true, deps);
          }
        }
        return fail(running.error());
      }
      GcpVmResult result{plan.project,        std::move(*running), "created",
                         std::move(attempts), std::move(plan),     std::move(notes)};
      return result;
    }
    if (tried.kind == ZoneAttemptResult::Kind::kRefused) {
      if (tried.failure_class.scope == core::BlockScope::kEverything) {
        break;
      }
      if (tried.failure_class.scope == core::BlockScope::kRegion) {
        blocked_regions.insert(zone.region);
      }
    }
  }
  return fail(exhausted(plan, attempts));
}

}  // namespace deepdock::app
