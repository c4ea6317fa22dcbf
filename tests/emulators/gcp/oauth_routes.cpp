#include <ctime>
#include <nlohmann/json.hpp>

#include "google_errors.hpp"
#include "jwt_verify.hpp"
#include "oauth.hpp"

namespace deepdock::gcpemu {
namespace {

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

void send_oauth_error(httplib::Response& res, int status, const std::string& error,
                      const std::string& description) {
  send_json(res, {{"error", error}, {"error_description", description}}, status);
}

void token_endpoint(const httplib::Request& req, httplib::Response& res, const Scenario& scenario,
                    TokenStore& tokens) {
  const OAuthSpec& oauth = scenario.oauth;
  const std::string grant = req.get_param_value("grant_type");
  nlohmann::json answer = {{"expires_in", oauth.expires_in}, {"token_type", "Bearer"}};
  if (grant == kJwtBearer) {
    std::vector<std::string> audiences = oauth.audiences;
    audiences.emplace_back("https://oauth2.googleapis.com/token");
    audiences.push_back("http://" + req.get_header_value("Host") + "/token");
    const JwtCheck check = verify_jwt(req.get_param_value("assertion"), oauth.service_accounts,
                                      audiences, std::time(nullptr));
    if (!check.ok) {
      send_oauth_error(res, 400, "invalid_grant", check.error);
      return;
    }
  } else if (grant == "refresh_token") {
    const std::string refresh = req.get_param_value("refresh_token");
    const auto& known = oauth.refresh_tokens;
    if (std::find(known.begin(), known.end(), refresh) == known.end()) {
      send_oauth_error(res, 400, "invalid_grant", "Token has been expired or revoked.");
      return;
    }
    answer["scope"] = req.has_param("scope") ? req.get_param_value("scope")
                                             : "https://www.googleapis.com/auth/cloud-platform";
  } else {
    send_oauth_error(res, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
    return;
  }
  answer["access_token"] = tokens.issue();
  send_json(res, answer);
}

void metadata_token(const httplib::Request& req, httplib::Response& res, TokenStore& tokens,
                    const Scenario& scenario) {
  res.set_header("Metadata-Flavor", "Google");
  if (req.get_header_value("Metadata-Flavor") != "Google") {
    res.status = 403;
    res.set_content("Missing required header \"Metadata-Flavor\": \"Google\"\n", "text/html");
    return;
  }
  send_json(res, {{"access_token", tokens.issue()},
                  {"expires_in", scenario.oauth.expires_in},
                  {"token_type", "Bearer"}});
}

}  // namespace

bool TokenStore::accepts(const std::string& token) {
  std::lock_guard lock(mutex_);
  return tokens_.count(token) != 0;
}

std::string TokenStore::issue() {
  std::lock_guard lock(mutex_);
  std::string token =
      "ya29.emulator-" + std::to_string(++issued_) + "-" + std::to_string(std::time(nullptr));
  tokens_.insert(token);
  return token;
}

void add_oauth_routes(httplib::Server& server, const Scenario& scenario, TokenStore& tokens) {
  server.Post("/token", [&](const httplib::Request& req, httplib::Response& res) {
    token_endpoint(req, res, scenario, tokens);
  });
  server.Get("/computeMetadata/v1/instance/service-accounts/default/token",
             [&](const httplib::Request& req, httplib::Response& res) {
               metadata_token(req, res, tokens, scenario);
             });
  server.Get("/computeMetadata/v1/project/project-id",
             [&](const httplib::Request& req, httplib::Response& res) {
               res.set_header("Metadata-Flavor", "Google");
               if (req.get_header_value("Metadata-Flavor") != "Google") {
                 res.status = 403;
                 return;
               }
               res.set_content(scenario.project, "application/text");
             });
}

}  // namespace deepdock::gcpemu
