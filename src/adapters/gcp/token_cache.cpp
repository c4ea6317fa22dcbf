#include "adapters/gcp/token_cache.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;
using std::chrono::system_clock;

int64_t to_unix(system_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

}  // namespace

std::string token_cache_key(const AuthContext& context, std::string_view identity) {
  const std::string digest = util::ContentHasher()
                                 .add("identity", identity)
                                 .add("scopes", util::join(context.scopes, " "))
                                 .finish();
  return "gcp-token-" + digest.substr(0, 32);
}

CachedTokenSource::CachedTokenSource(const AuthContext& context,
                                     std::unique_ptr<core::AccessTokenSource> inner,
                                     std::string_view identity, bool persist)
    : context_(context),
      inner_(std::move(inner)),
      key_(token_cache_key(context, identity)),
      persist_(persist && context.token_cache != nullptr) {}

bool CachedTokenSource::fresh(const core::AccessToken& token) const {
  return !token.value.empty() && context_.now() + kExpiryMargin < token.expires_at;
}

std::optional<core::AccessToken> CachedTokenSource::read_record() const {
  auto record = context_.token_cache->read(key_);
  if (!record || !*record) {
    return std::nullopt;
  }
  const json parsed = json::parse(**record, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("access_token") ||
      !parsed["access_token"].is_string() || !parsed.contains("expires_at") ||
      !parsed["expires_at"].is_number_integer()) {
    log::debug("gcp auth: ignoring the unreadable token cache record {}", key_);
    return std::nullopt;
  }
  core::AccessToken token{
      parsed["access_token"].get<std::string>(),
      system_clock::time_point(std::chrono::seconds(parsed["expires_at"].get<int64_t>())),
      parsed.value("source", inner_->describe())};
  util::register_secret(token.value);
  return token;
}

void CachedTokenSource::write_record(const core::AccessToken& token) const {
  const json record = {{"access_token", token.value},
                       {"expires_at", to_unix(token.expires_at)},
                       {"source", token.source}};
  if (auto written = context_.token_cache->write(key_, record.dump()); !written) {
    log::warn("gcp auth: cannot cache the access token: {}", written.error().message);
  }
}

Result<core::AccessToken> CachedTokenSource::token() {
  if (memory_ && fresh(*memory_)) {
    return *memory_;
  }
  if (persist_) {
    if (auto cached = read_record(); cached && fresh(*cached)) {
      log::debug(
          "gcp auth: cached access token for {} (record {}) valid for {} s more",
          inner_->describe(), key_,
          std::chrono::duration_cast<std::chrono::seconds>(cached->expires_at - context_.now())
              .count());
      memory_ = std::move(cached);
      return *memory_;
    }
  }
  TRY_ASSIGN(core::AccessToken fetched, inner_->token());
  util::register_secret(fetched.value);
  if (persist_) {
    write_record(fetched);
  }
  memory_ = std::move(fetched);
  return *memory_;
}

}  // namespace deepdock::adapters::gcp
