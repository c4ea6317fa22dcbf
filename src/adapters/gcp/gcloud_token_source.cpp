#include "adapters/gcp/gcloud_token_source.hpp"

#include <fmt/format.h>

#include <utility>

#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

constexpr std::chrono::seconds kGcloudTimeout{60};

// gcloud's "ERROR: (gcloud.auth...) ..." line, else the end of what it printed on stderr.
std::string gcloud_reason(std::string_view stderr_text) {
  if (const size_t error = stderr_text.find("ERROR:"); error != std::string_view::npos) {
    const std::string_view rest = stderr_text.substr(error);
    return std::string(util::trim(rest.substr(0, rest.find('\n'))));
  }
  return util::last_lines(stderr_text, 3);
}

}  // namespace

GcloudTokenSource::GcloudTokenSource(const AuthContext& context, std::vector<std::string> tried)
    : context_(context), tried_(std::move(tried)) {}

std::vector<std::string> GcloudTokenSource::command() {
  return {"gcloud", "auth", "print-access-token", "--quiet"};
}

std::string GcloudTokenSource::describe() const {
  return "the gcloud account (`gcloud auth print-access-token`)";
}

tl::unexpected<Error> GcloudTokenSource::nothing_worked(const std::string& gcloud_failure) const {
  std::string message = "no Google Cloud credentials found; tried:";
  for (const std::string& attempt : tried_) {
    message += "\n  - " + attempt;
  }
  message += "\n  - " + gcloud_failure;
  return fail(ErrorCode::kPrecondition, std::move(message),
              "run `gcloud auth application-default login` (or `gcloud auth login`), or set "
              "GOOGLE_APPLICATION_CREDENTIALS to a service-account key file");
}

Result<core::AccessToken> GcloudTokenSource::token() {
  if (context_.local == nullptr) {
    return nothing_worked("gcloud: not tried (no process runner)");
  }
  const auto now = context_.now();
  auto ran = context_.local->run(core::HostCommand{command(), "", kGcloudTimeout});
  if (!ran) {
    if (ran.error().code == ErrorCode::kNotFound) {
      return nothing_worked("`gcloud auth print-access-token`: gcloud is not installed");
    }
    if (ran.error().code == ErrorCode::kCancelled) {
      return fail(ran.error());
    }
    return nothing_worked(fmt::format("`gcloud auth print-access-token`: {}", ran.error().message));
  }
  // gcloud prints the token as its last line; any notice goes before it or to stderr.
  const std::string printed(util::trim(util::last_lines(ran->stdout_text, 1)));
  if (ran->exit_code != 0 || printed.empty() || printed.find_first_of(" \t") != std::string::npos) {
    // A non-zero exit with a token-looking stdout must not leak it into the message.
    util::register_secret(printed);
    const std::string why = util::redact(gcloud_reason(ran->stderr_text));
    return nothing_worked(fmt::format("`gcloud auth print-access-token` exited {}{}",
                                      ran->exit_code, why.empty() ? "" : ": " + why));
  }
  util::register_secret(printed);
  log::debug("gcp auth: access token from gcloud");
  return core::AccessToken{printed, now + kGcloudTokenLifetime, describe()};
}

}  // namespace deepdock::adapters::gcp
