#include <regex>

#include "compute_list.hpp"
#include "google_errors.hpp"
#include "routes.hpp"

namespace deepdock::gcpemu {
namespace {

using httplib::Request;
using httplib::Response;

// Google waits up to about 2 minutes in zoneOperations.wait; tests need not wait as long.
constexpr std::chrono::seconds kWaitDeadline{30};

bool json_body(const Request& req, Response& res, nlohmann::json& body) {
  body = nlohmann::json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_error(res, 400, "parseError", "Parse Error");
    return false;
  }
  return true;
}

// A requestId must be a UUID, and not the zero one (api-reference A.0).
bool request_id_valid(const Request& req, Response& res) {
  if (!req.has_param("requestId")) {
    return true;
  }
  const std::string id = req.get_param_value("requestId");
  static const std::regex uuid(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  if (std::regex_match(id, uuid) && id != "00000000-0000-0000-0000-000000000000") {
    return true;
  }
  send_error(res, 400, "invalid",
             "Invalid value for field 'requestId': '" + id + "'. Must be a valid UUID.");
  return false;
}

}  // namespace

std::string base_url(const Request& req) {
  return "http://" + req.get_header_value("Host") + "/compute/v1/";
}

bool known_project(const Request& req, Response& res, const Scenario& scenario) {
  if (req.matches[1] == scenario.project) {
    return true;
  }
  send_not_found(res, "projects/" + req.matches[1].str());
  return false;
}

void send_reply(Response& res, const Reply& reply) {
  send_json(res, reply.body, reply.status);
}

void add_instance_routes(httplib::Server& server, const Scenario& s, ComputeState& state) {
  const std::string zone = "/compute/v1/projects/([^/]+)/zones/([^/]+)";
  const std::string instance = zone + "/instances/([^/]+)";
  server.Post(zone + "/instances", [&](const Request& req, Response& res) {
    nlohmann::json body;
    if (known_project(req, res, s) && request_id_valid(req, res) && json_body(req, res, body)) {
      send_reply(
          res, state.insert(base_url(req), req.matches[2], body, req.get_param_value("requestId")));
    }
  });
  server.Get(zone + "/instances", [&](const Request& req, Response& res) {
    ListQuery query;
    if (known_project(req, res, s) && read_list_query(req, res, s.page_size, query)) {
      send_reply(res, state.list_instances(base_url(req), req.matches[2], query));
    }
  });
  server.Get("/compute/v1/projects/([^/]+)/aggregated/instances",
             [&](const Request& req, Response& res) {
               ListQuery query;
               if (known_project(req, res, s) && read_list_query(req, res, s.page_size, query)) {
                 send_reply(res, state.aggregated_instances(base_url(req), query));
               }
             });
  server.Get(instance, [&](const Request& req, Response& res) {
    if (known_project(req, res, s)) {
      send_reply(res, state.get_instance(base_url(req), req.matches[2], req.matches[3]));
    }
  });
  server.Delete(instance, [&](const Request& req, Response& res) {
    if (known_project(req, res, s) && request_id_valid(req, res)) {
      send_reply(res, state.remove(base_url(req), req.matches[2], req.matches[3],
                                   req.get_param_value("requestId")));
    }
  });
  server.Post(instance + "/stop", [&](const Request& req, Response& res) {
    if (known_project(req, res, s) && request_id_valid(req, res)) {
      send_reply(res, state.stop(base_url(req), req.matches[2], req.matches[3],
                                 req.get_param_value("requestId")));
    }
  });
  server.Post(instance + "/start", [&](const Request& req, Response& res) {
    if (known_project(req, res, s) && request_id_valid(req, res)) {
      send_reply(res, state.start(base_url(req), req.matches[2], req.matches[3],
                                  req.get_param_value("requestId")));
    }
  });
  server.Post(instance + "/setMetadata", [&](const Request& req, Response& res) {
    nlohmann::json body;
    if (known_project(req, res, s) && json_body(req, res, body)) {
      send_reply(res, state.set_metadata(base_url(req), req.matches[2], req.matches[3], body));
    }
  });
  server.Get(instance + "/serialPort", [&](const Request& req, Response& res) {
    if (!known_project(req, res, s)) {
      return;
    }
    int64_t start = 0;
    if (req.has_param("start")) {
      try {
        start = std::stoll(req.get_param_value("start"));
      } catch (const std::exception&) {
        send_error(res, 400, "invalid", "Invalid value for start: " + req.get_param_value("start"));
        return;
      }
    }
    send_reply(res, state.serial_port(base_url(req), req.matches[2], req.matches[3], start));
  });
  server.Get(zone + "/operations/([^/]+)", [&](const Request& req, Response& res) {
    if (known_project(req, res, s)) {
      send_reply(res, state.get_operation(base_url(req), req.matches[2], req.matches[3]));
    }
  });
  server.Post(zone + "/operations/([^/]+)/wait", [&](const Request& req, Response& res) {
    if (known_project(req, res, s)) {
      send_reply(
          res, state.wait_operation(base_url(req), req.matches[2], req.matches[3], kWaitDeadline));
    }
  });
}

}  // namespace deepdock::gcpemu
