#include "cli/gcp_vm.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <thread>

#include "app/gcp_startup_script.hpp"
#include "app/gcp_vm_record.hpp"
#include "cli/gcp_progress.hpp"
#include "cli/gcp_ssh_access.hpp"
#include "cli/host_bootstrap.hpp"
#include "cli/ssh_connection.hpp"
#include "core/gcp/accelerator_catalog.hpp"
#include "core/gcp/machine_match.hpp"
#include "core/gcp/price_table.hpp"
#include "core/model/gcp_image_family.hpp"
#include "gen/bootstrap_script.hpp"
#include "util/cancel.hpp"

namespace deepdock::cli {
namespace {

// This machine's user name: $USER, else $LOGNAME.
std::optional<std::string> login_name() {
  for (const char* name : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      return std::string(value);
    }
  }
  return std::nullopt;
}

// The GPU model the accelerator type is, as the knowledge base names it ("Tesla T4").
std::vector<std::string> planned_gpus(const core::GcpTarget& target) {
  const core::AcceleratorInfo* info = core::find_accelerator(target.accelerator);
  if (info == nullptr || target.count <= 0) {
    return {};
  }
  return std::vector<std::string>(static_cast<size_t>(target.count), std::string(info->gpu_model));
}

// The facts of the VM as planned: the resolver's view of a host that does not exist yet.
Result<core::HostFacts> planned_facts(const core::Spec& spec, const core::KnowledgeBase& kb,
                                      core::BootstrapHost* host) {
  TRY_ASSIGN(const core::GcpImageFamily family,
             core::gcp_image_family(spec.target.gcp.image_family));
  TRY_ASSIGN(*host, described_host(family.os_id + ":" + family.os_version,
                                   planned_gpus(spec.target.gcp), kb));
  return core::HostFacts{.gpus = host->gpus,
                         .driver_managed = true,
                         .os_id = host->os_id,
                         .os_version = host->os_version};
}

// The VM's startup script: the bootstrap for its OS and GPU, with the same checkpoints the
// SSH bootstrap reads afterwards.
Result<std::string> startup_script(const core::Spec& spec, const core::KnowledgeBase& kb) {
  core::BootstrapHost host;
  TRY_ASSIGN(const core::HostFacts facts, planned_facts(spec, kb, &host));
  TRY_ASSIGN(const std::string branch, driver_branch_for(facts, spec, kb, ""));
  const std::string origin =
      fmt::format("Google Cloud VM {} ({} {}{})", spec.name, host.os_id, host.os_version,
                  host.gpus.empty() ? "" : " with " + host.gpus.front().name);
  core::BootstrapOptions options = bootstrap_options_for(branch, spec);
  // The idle check runs the deepdock that `up` installs over SSH, after the script: its step
  // is left to that bootstrap.
  options.idle_stop_minutes.reset();
  TRY_ASSIGN(const auto steps, host_bootstrap_plan(host, options, origin));
  return gen::bootstrap_script(steps, origin);
}

app::GcpVmRequest vm_request(const GcpSession& session, const core::Spec& spec,
                             const core::GcpImageFamily& family) {
  app::GcpVmRequest request;
  request.env_name = spec.name;
  request.target = spec.target.gcp;
  request.target.project = session.project;
  request.preferred_region = session.region;
  request.source_image = family.source_image();
  return request;
}

// sshd answers some seconds after the VM reports RUNNING (and after a start, before the
// startup script is done): connect again until it does or two minutes pass.
Status connect_when_ready(const core::SshTarget& target, bool quiet) {
  auto ssh = ssh_executor(target);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (int attempt = 1;; ++attempt) {
    auto connected = ssh->connect();
    if (connected) {
      return {};
    }
    if (std::chrono::steady_clock::now() >= deadline ||
        connected.error().code == ErrorCode::kCancelled) {
      return connected;
    }
    if (attempt == 1 && !quiet) {
      fmt::print(stderr, "• waiting for sshd on {}\n", target.host);
    }
    if (!util::sleep_unless_cancelled(std::chrono::seconds(3))) {
      return fail(ErrorCode::kCancelled, "interrupted while waiting for the VM's sshd");
    }
  }
}

std::string price_words(std::optional<double> price, bool spot) {
  if (!price) {
    return "unknown (not in deepdock's price table)";
  }
  return fmt::format("~${:.2f}/hour{} ({})", *price, spot ? " as Spot" : "", core::kPriceNote);
}

std::optional<double> price_of(const core::CloudInstance& instance, int guest_cpus) {
  const auto estimate = core::estimate_price(instance.accelerator, instance.accelerator_count,
                                             instance.machine_type, guest_cpus);
  if (!estimate) {
    return std::nullopt;
  }
  return instance.spot ? estimate->spot_per_hour : estimate->on_demand_per_hour;
}

}  // namespace

Result<GcpVmPreview> preview_gcp_vm(GcpSession& session, const core::Spec& spec,
                                    const core::KnowledgeBase& kb) {
  TRY_ASSIGN(const core::GcpImageFamily family,
             core::gcp_image_family(spec.target.gcp.image_family));
  GcpVmPreview preview;
  core::BootstrapHost host;
  TRY_ASSIGN(preview.facts, planned_facts(spec, kb, &host));
  TRY_ASSIGN(const auto record, app::read_gcp_vm_record(*session.state, spec.name));
  if (record) {
    preview.lines.push_back(
        fmt::format("the recorded VM {} in {} (project {}): reused, or "
                    "started when it is stopped",
                    record->name, record->zone, record->project));
    return preview;
  }
  GcpProgress observer(true);
  app::GcpDeps deps = app::make_gcp_deps(*session.compute, *session.state, observer);
  TRY_ASSIGN(const app::GcpVmPlan plan, app::plan_gcp_vm(vm_request(session, spec, family), deps));
  preview.lines = app::format_gcp_vm_plan(plan);
  return preview;
}

Result<GcpVmReady> bring_up_gcp_vm(GcpSession& session, const core::Spec& spec,
                                   const std::string& origin, const core::KnowledgeBase& kb,
                                   bool quiet) {
  TRY_ASSIGN(const core::GcpImageFamily family,
             core::gcp_image_family(spec.target.gcp.image_family));
  core::StateStore& state = *session.state;
  GcpProgress observer(quiet);
  app::GcpDeps deps = app::make_gcp_deps(*session.compute, state, observer);
  app::GcpVmRequest request = vm_request(session, spec, family);

  TRY_ASSIGN(const auto record, app::read_gcp_vm_record(state, spec.name));
  if (!record) {
    // A new VM: what it is and costs, before anything is created.
    TRY_ASSIGN(const app::GcpVmPlan plan, app::plan_gcp_vm(request, deps));
    if (!quiet) {
      fmt::print(stderr, "• a new VM for {} in project {} ({}):\n", origin, session.project,
                 session.project_origin);
      for (const std::string& line : app::format_gcp_vm_plan(plan)) {
        fmt::print(stderr, "    {}\n", line);
      }
    }
  }
  TRY_ASSIGN(const GcpSshKey key, ensure_gcp_ssh_key(session.local));
  const std::string user = gcp_ssh_user(login_name());
  TRY_ASSIGN(const std::string script, startup_script(spec, kb));
  request.metadata = {{"startup-script", script},
                      {"ssh-keys", gcp_ssh_keys_metadata(user, key)},
                      {"enable-guest-attributes", "TRUE"}};

  GcpVmReady ready;
  TRY_ASSIGN(ready.vm, app::provision_gcp_vm(request, deps));
  const core::CloudInstance& vm = ready.vm.instance;
  if (ready.vm.plan) {
    ready.price_per_hour = ready.vm.plan->price_per_hour;
  }
  if (!ready.price_per_hour) {
    ready.price_per_hour = price_of(vm, core::vcpus_of_machine_type(vm.machine_type));
  }
  if (!quiet) {
    fmt::print(stderr, "• VM {} {} in {} at {}, {}\n", vm.name, ready.vm.outcome, vm.zone,
               vm.external_ip, price_words(ready.price_per_hour, vm.spot));
  }

  // A new VM's first boot runs the bootstrap: follow it to its end before logging in.
  if (ready.vm.outcome == "created") {
    TRY_ASSIGN(const app::StartupScriptResult followed,
               app::follow_startup_script(
                   deps, {.project = session.project, .zone = vm.zone, .name = vm.name},
                   [quiet](std::string_view line) {
                     if (!quiet) {
                       fmt::print(stderr, "  │ {}\n", line);
                     }
                   }));
    for (const std::string& note : followed.notes) {
      ready.vm.notes.push_back(note);
    }
  }

  TRY_ASSIGN(const auto previous, recorded_gcp_target(state, spec.name));
  ready.target.user = user;
  ready.target.host = vm.external_ip;
  const bool new_address = !previous || previous->host != vm.external_ip;
  if (previous && new_address) {
    TRY(forget_gcp_host(previous->host));
  }
  TRY(remember_gcp_host(vm.external_ip, ready.vm.outcome == "created" || new_address));
  TRY(record_gcp_target(state, spec.name, ready.target));
  TRY(connect_when_ready(ready.target, quiet));
  return ready;
}

nlohmann::json gcp_vm_json(const GcpVmReady& ready) {
  const core::CloudInstance& vm = ready.vm.instance;
  nlohmann::json attempts = nlohmann::json::array();
  for (const app::GcpAttempt& attempt : ready.vm.attempts) {
    attempts.push_back({{"zone", attempt.zone},
                        {"region", attempt.region},
                        {"outcome", attempt.outcome},
                        {"message", attempt.message},
                        {"tried", attempt.tried},
                        {"seconds", attempt.seconds}});
  }
  return {{"project", ready.vm.project},
          {"name", vm.name},
          {"zone", vm.zone},
          {"status", vm.status},
          {"outcome", ready.vm.outcome},
          {"machine_type", vm.machine_type},
          {"accelerator", vm.accelerator},
          {"accelerator_count", vm.accelerator_count},
          {"spot", vm.spot},
          {"external_ip", vm.external_ip},
          {"ssh", ready.target.url()},
          {"price_per_hour",
           ready.price_per_hour ? nlohmann::json(*ready.price_per_hour) : nlohmann::json(nullptr)},
          {"price_note", core::kPriceNote},
          {"attempts", attempts},
          {"notes", ready.vm.notes}};
}

std::string gcp_vm_text(const GcpVmReady& ready) {
  const core::CloudInstance& vm = ready.vm.instance;
  std::string text = fmt::format(
      "VM {} ({}) in {}, project {}: {}{}, {}\n", vm.name, ready.vm.outcome, vm.zone,
      ready.vm.project, vm.machine_type,
      vm.accelerator.empty() ? "" : fmt::format(" + {} x {}", vm.accelerator_count, vm.accelerator),
      price_words(ready.price_per_hour, vm.spot));
  if (ready.vm.attempts.size() > 1) {
    text += "Zones tried:\n";
    for (const std::string& row : app::format_gcp_attempts(ready.vm.attempts)) {
      text += "  " + row + "\n";
    }
  }
  for (const std::string& note : ready.vm.notes) {
    text += "Note: " + note + "\n";
  }
  text +=
      "Stop it with `deepdock down` (the disk stays; `up` starts it again) or delete it "
      "with `deepdock down --delete`.\n";
  return text;
}

}  // namespace deepdock::cli
