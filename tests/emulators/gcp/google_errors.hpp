#pragma once
// Error bodies in Google's shapes (api-reference A.3-A.5): the legacy synchronous error of
// Compute, and the `error.errors[]` entries of a failed operation.

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace deepdock::gcpemu {

// {"error":{"code":N,"message":M,"errors":[{"message":M,"domain":D,"reason":R}]}}
nlohmann::json legacy_error(int code, const std::string& reason, const std::string& message,
                            const std::string& domain = "global");

// Writes a legacy error as the response.
void send_error(httplib::Response& res, int code, const std::string& reason,
                const std::string& message, const std::string& domain = "global");

void send_json(httplib::Response& res, const nlohmann::json& body, int status = 200);

// 404 for a resource path such as projects/p/zones/z/instances/x.
void send_not_found(httplib::Response& res, const std::string& resource);

// 401 for a missing or unknown bearer token.
void send_unauthenticated(httplib::Response& res, bool token_given);

// One item of an operation's error.errors[].
struct OperationError {
  std::string code;  // ZONE_RESOURCE_POOL_EXHAUSTED, QUOTA_EXCEEDED, ...
  std::string message;
  int http_status = 0;  // httpErrorStatusCode on the operation
};

OperationError stockout_error(const std::string& project, const std::string& zone);
// metric and where: "in region us-west1" or "globally".
OperationError quota_error(const std::string& metric, double limit, const std::string& where);

nlohmann::json operation_error_json(const OperationError& error);

}  // namespace deepdock::gcpemu
