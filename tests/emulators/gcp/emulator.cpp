#include "emulator.hpp"

#include "google_errors.hpp"
#include "routes.hpp"

namespace deepdock::gcpemu {
namespace {

using httplib::Request;
using httplib::Response;

bool needs_token(const std::string& path) {
  return path.rfind("/compute/", 0) == 0 || path.rfind("/storage/", 0) == 0 ||
         path.rfind("/upload/storage/", 0) == 0 || path.rfind("/v1/projects/", 0) == 0;
}

}  // namespace

Emulator::Emulator(Scenario scenario, const EmulatorOptions& options)
    : scenario_(std::move(scenario)),
      tokens_(scenario_.tokens),
      faults_(scenario_.bursts),
      log_(options.log_file),
      state_(scenario_, Realizer(options.realize_command, options.unrealize_command),
             options.work_dir),
      storage_(scenario_.project, scenario_.project_number, options.cloud_build.foreign_buckets),
      builds_(scenario_.project, scenario_.project_number, options.cloud_build, storage_,
              options.build_command, options.work_dir) {
  server_.set_pre_routing_handler(
      [this](const Request& req, Response& res) { return screen(req, res); });
  // Recorded before the answer is written (not in the logger, which runs after), so a client
  // that has its answer finds its request in the log.
  server_.set_post_routing_handler(
      [this](const Request& req, Response& res) { log_.record(req, res); });
  add_compute_routes(server_, scenario_, state_);
  add_instance_routes(server_, scenario_, state_);
  add_oauth_routes(server_, scenario_, tokens_);
  add_storage_routes(server_, scenario_, storage_);
  add_cloudbuild_routes(server_, scenario_, builds_);
  server_.Get("/emulator/requests", [this](const Request&, Response& res) {
    send_json(res, {{"requests", log_.entries()}});
  });
  server_.Delete("/emulator/requests", [this](const Request&, Response& res) {
    log_.clear();
    res.status = 204;
  });
  server_.set_error_handler([](const Request& req, Response& res) {
    if (res.status == 404 && res.body.empty()) {
      send_error(res, 404, "notFound",
                 "The emulator has no route for " + req.method + " " + req.path);
    }
  });
}

Emulator::~Emulator() {
  stop();
  if (ticker_.joinable()) {
    ticker_.join();
  }
  std::lock_guard lock(jobs_mutex_);
  for (std::thread& job : jobs_) {
    job.join();
  }
}

httplib::Server::HandlerResponse Emulator::screen(const Request& req, Response& res) {
  if (needs_token(req.path)) {
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    const bool given = header.rfind(prefix, 0) == 0 && header.size() > prefix.size();
    if (!given || !tokens_.accepts(header.substr(prefix.size()))) {
      send_unauthenticated(res, given);
      return httplib::Server::HandlerResponse::Handled;
    }
  }
  if (const auto status = faults_.take(req.method, req.path)) {
    res.status = *status;
    res.set_content(fault_body(*status), "application/json; charset=UTF-8");
    if (*status == 429 || *status == 503) {
      res.set_header("Retry-After", "0");
    }
    return httplib::Server::HandlerResponse::Handled;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

int Emulator::bind(int port) {
  if (port == 0) {
    return server_.bind_to_any_port("127.0.0.1");
  }
  return server_.bind_to_port("127.0.0.1", port) ? port : -1;
}

bool Emulator::serve() {
  ticker_ = std::thread([this] { tick(); });
  const bool ok = server_.listen_after_bind();
  stopping_ = true;
  return ok;
}

void Emulator::stop() {
  stopping_ = true;
  server_.stop();
}

void Emulator::tick() {
  while (!stopping_) {
    for (RealizeJob& job : state_.advance()) {
      // Each realization runs on a thread of its own: creating a host takes seconds, and
      // other operations keep moving meanwhile.
      std::lock_guard lock(jobs_mutex_);
      jobs_.emplace_back(
          [this, job = std::move(job)] { state_.finish(job, state_.realizer().run(job)); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace deepdock::gcpemu
