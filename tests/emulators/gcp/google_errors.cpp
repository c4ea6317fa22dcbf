#include "google_errors.hpp"

#include <cstdio>

namespace deepdock::gcpemu {
namespace {

const char* status_text(int code) {
  switch (code) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ALREADY_EXISTS";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    default:
      return code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

}  // namespace

nlohmann::json legacy_error(int code, const std::string& reason, const std::string& message,
                            const std::string& domain) {
  return {{"error",
           {{"code", code},
            {"message", message},
            {"errors", {{{"message", message}, {"domain", domain}, {"reason", reason}}}},
            {"status", status_text(code)}}}};
}

void send_json(httplib::Response& res, const nlohmann::json& body, int status) {
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=UTF-8");
}

void send_error(httplib::Response& res, int code, const std::string& reason,
                const std::string& message, const std::string& domain) {
  send_json(res, legacy_error(code, reason, message, domain), code);
}

void send_not_found(httplib::Response& res, const std::string& resource) {
  send_error(res, 404, "notFound", "The resource '" + resource + "' was not found");
}

void send_unauthenticated(httplib::Response& res, bool token_given) {
  const std::string message =
      token_given ? "Request had invalid authentication credentials. Expected OAuth 2 access "
                    "token, login cookie or other valid authentication credential."
                  : "Request is missing required authentication credential. Expected OAuth 2 "
                    "access token, login cookie or other valid authentication credential.";
  nlohmann::json body = legacy_error(401, token_given ? "authError" : "required", message);
  body["error"]["errors"][0]["message"] = token_given ? "Invalid Credentials" : "Login Required.";
  body["error"]["errors"][0]["location"] = "Authorization";
  body["error"]["errors"][0]["locationType"] = "header";
  res.set_header("WWW-Authenticate",
                 token_given
                     ? R"(Bearer realm="https://accounts.google.com/", error="invalid_token")"
                     : R"(Bearer realm="https://accounts.google.com/")");
  send_json(res, body, 401);
}

OperationError stockout_error(const std::string& project, const std::string& zone) {
  return {"ZONE_RESOURCE_POOL_EXHAUSTED",
          "The zone 'projects/" + project + "/zones/" + zone +
              "' does not have enough resources available to fulfill the request.  Try a "
              "different zone, or try again later.",
          503};
}

OperationError quota_error(const std::string& metric, double limit, const std::string& where) {
  char limit_text[32];
  std::snprintf(limit_text, sizeof(limit_text), "%.1f", limit);
  return {"QUOTA_EXCEEDED",
          "Quota '" + metric + "' exceeded.  Limit: " + limit_text + " " + where + ".", 403};
}

nlohmann::json operation_error_json(const OperationError& error) {
  nlohmann::json item = {{"code", error.code}, {"message", error.message}};
  if (error.code == "ZONE_RESOURCE_POOL_EXHAUSTED") {
    item["errorDetails"] = {
        {{"help",
          {{"links",
            {{{"description", "Troubleshooting documentation"},
              {"url", "https://cloud.google.com/compute/docs/resource-error"}}}}}}},
        {{"localizedMessage", {{"locale", "en-US"}, {"message", error.message}}}}};
  }
  return item;
}

}  // namespace deepdock::gcpemu
