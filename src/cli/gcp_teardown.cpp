#include "cli/gcp_teardown.hpp"

#include <fmt/format.h>

#include "app/gcp_vm_record.hpp"
#include "cli/engine_factory.hpp"
#include "cli/gcp_progress.hpp"
#include "cli/gcp_session.hpp"
#include "cli/gcp_ssh_access.hpp"

namespace deepdock::cli {
namespace {

// The environment's containers on its VM, when the VM runs and answers; what could not be
// done becomes a note (a stopped VM keeps its containers on its disk for the next `up`).
Result<app::DownResult> remove_containers_on_vm(GcpSession& session, const std::string& name,
                                                const app::DownOptions& options) {
  app::DownResult result;
  TRY_ASSIGN(const auto record, app::read_gcp_vm_record(*session.state, name));
  TRY_ASSIGN(const auto target, recorded_gcp_target(*session.state, name));
  if (!record || !target) {
    return result;
  }
  TRY_ASSIGN(const auto instance,
             session.compute->get_instance(record->project, record->zone, record->name));
  if (!instance || instance->status != "RUNNING") {
    return result;
  }
  auto engine = connect_engine(*target);
  if (!engine) {
    result.notes.push_back(
        fmt::format("the containers on VM {} were not removed ({}); they go "
                    "with the VM's disk",
                    record->name, engine.error().message));
    return result;
  }
  return app::down_environment(**engine, *session.state, name, options);
}

}  // namespace

Result<GcpTeardown> take_down_gcp_environment(const core::Spec& spec, const std::string& origin,
                                              const std::string& name,
                                              const app::DownOptions& options, bool delete_vm,
                                              bool quiet) {
  TRY_ASSIGN(auto session, open_gcp_session(spec, origin));
  GcpProgress observer(quiet);
  app::GcpDeps deps = app::make_gcp_deps(*session->compute, *session->state, observer);
  GcpTeardown teardown;
  if (!delete_vm) {
    TRY_ASSIGN(teardown.containers, remove_containers_on_vm(*session, name, options));
  }
  TRY_ASSIGN(const auto target, recorded_gcp_target(*session->state, name));
  if (delete_vm) {
    TRY_ASSIGN(teardown.vm, app::delete_gcp_vm(name, session->project, deps));
    if (target) {
      TRY(forget_gcp_host(target->host));
    }
    TRY(forget_gcp_target(*session->state, name));
  } else {
    TRY_ASSIGN(teardown.vm, app::stop_gcp_vm(name, session->project, deps));
  }
  return teardown;
}

}  // namespace deepdock::cli
