#pragma once
// Checks the RS256 JWT of a jwt-bearer grant (api-reference B.3): the signature against the
// issuer's public key from the scenario, the audience, and a lifetime of at most an hour.

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenario.hpp"

namespace deepdock::gcpemu {

struct JwtCheck {
  bool ok = false;
  std::string error;  // the error_description Google would give
  nlohmann::json claims;
};

JwtCheck verify_jwt(const std::string& jwt, const std::vector<ServiceAccountSpec>& accounts,
                    const std::vector<std::string>& audiences, std::time_t now);

}  // namespace deepdock::gcpemu
