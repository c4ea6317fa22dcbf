// The Cloud Build v1 routes (api-reference C.2), below /v1/projects/{project}/builds:
// create (answering with the Operation), get, and cancel.

#include "google_errors.hpp"
#include "routes.hpp"

namespace deepdock::gcpemu {
namespace {

using httplib::Request;
using httplib::Response;
using Json = nlohmann::json;

// Cloud Build's errors have the newer shape: code, message and status, no errors[].
void send_status(Response& res, int code, const std::string& status, const std::string& message) {
  send_json(res, {{"error", {{"code", code}, {"message", message}, {"status", status}}}}, code);
}

bool our_project(const Request& req, Response& res, const Scenario& scenario) {
  if (req.matches[1] == scenario.project) {
    return true;
  }
  send_status(res, 403, "PERMISSION_DENIED",
              "The caller does not have permission (project " + std::string(req.matches[1]) + ")");
  return false;
}

void send_no_build(Response& res, const std::string& id) {
  send_status(res, 404, "NOT_FOUND", "Build \"" + id + "\" not found");
}

}  // namespace

void add_cloudbuild_routes(httplib::Server& server, const Scenario& scenario,
                           CloudBuildState& builds) {
  server.Post(R"(/v1/projects/([^/]+)/builds)",
              [&scenario, &builds](const Request& req, Response& res) {
                if (!our_project(req, res, scenario)) {
                  return;
                }
                const Json body = Json::parse(req.body, nullptr, false);
                if (!body.is_object()) {
                  send_status(res, 400, "INVALID_ARGUMENT", "The request body is not a Build.");
                  return;
                }
                const BuildAnswer answer = builds.create(body);
                send_json(res, answer.body, answer.status);
              });

  server.Get(R"(/v1/projects/([^/]+)/builds/([^/:]+))",
             [&scenario, &builds](const Request& req, Response& res) {
               if (!our_project(req, res, scenario)) {
                 return;
               }
               if (const auto build = builds.get(req.matches[2])) {
                 send_json(res, *build);
               } else {
                 send_no_build(res, req.matches[2]);
               }
             });

  server.Post(R"(/v1/projects/([^/]+)/builds/([^/:]+):cancel)",
              [&scenario, &builds](const Request& req, Response& res) {
                if (!our_project(req, res, scenario)) {
                  return;
                }
                if (const auto build = builds.cancel(req.matches[2])) {
                  send_json(res, *build);
                } else {
                  send_no_build(res, req.matches[2]);
                }
              });
}

}  // namespace deepdock::gcpemu
