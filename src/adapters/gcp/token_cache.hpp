#pragma once
// CachedTokenSource: reuses a token until a minute before it expires, in memory and, when
// the context has a token cache, in a state record (StateDir: a 0600 file replaced by
// rename) keyed by a hash of the credential's identity and scopes, so the next deepdock run
// does not sign or refresh again. A record that cannot be read is ignored; one that cannot
// be written costs a warning, never the token.

#include <memory>
#include <string>

#include "adapters/gcp/auth_context.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

inline constexpr std::chrono::seconds kExpiryMargin{60};

// "gcp-token-<32 hex>": the record name for an identity such as "service_account\n<email>\n
// <key id>\n<token uri>"; the context's scopes are part of the hash.
std::string token_cache_key(const AuthContext& context, std::string_view identity);

class CachedTokenSource final : public core::AccessTokenSource {
 public:
  // `persist` false keeps tokens in memory only (gcloud keeps its own cache).
  CachedTokenSource(const AuthContext& context, std::unique_ptr<core::AccessTokenSource> inner,
                    std::string_view identity, bool persist = true);

  Result<core::AccessToken> token() override;
  [[nodiscard]] std::string describe() const override { return inner_->describe(); }

 private:
  [[nodiscard]] bool fresh(const core::AccessToken& token) const;
  [[nodiscard]] std::optional<core::AccessToken> read_record() const;
  void write_record(const core::AccessToken& token) const;

  const AuthContext& context_;
  std::unique_ptr<core::AccessTokenSource> inner_;
  std::string key_;
  bool persist_;
  std::optional<core::AccessToken> memory_;
};

}  // namespace deepdock::adapters::gcp
