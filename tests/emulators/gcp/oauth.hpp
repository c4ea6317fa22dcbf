#pragma once
// Access tokens: those the scenario accepts and those the emulator issues through its OAuth
// token endpoint (POST /token: jwt-bearer and refresh_token grants) and its metadata server
// path (GET /computeMetadata/v1/instance/service-accounts/default/token).

#include <httplib.h>

#include <mutex>
#include <set>
#include <string>

#include "scenario.hpp"

namespace deepdock::gcpemu {

class TokenStore {
 public:
  explicit TokenStore(const std::vector<std::string>& accepted)
      : tokens_(accepted.begin(), accepted.end()) {}

  [[nodiscard]] bool accepts(const std::string& token);
  std::string issue();  // a new token, accepted from now on

 private:
  std::mutex mutex_;
  std::set<std::string> tokens_;
  int issued_ = 0;
};

// Routes of the token endpoint and the metadata server; neither needs a bearer token.
void add_oauth_routes(httplib::Server& server, const Scenario& scenario, TokenStore& tokens);

}  // namespace deepdock::gcpemu
