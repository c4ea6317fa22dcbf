#include "adapters/http/curl_errors.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <system_error>

namespace deepdock::adapters::http {
namespace {

constexpr std::string_view kGroupHint =
    "add your user to the docker group: sudo usermod -aG docker $USER, then log in again "
    "(or run deepdock with sudo)";
constexpr std::string_view kStartEngineHint =
    "is the Docker engine running? Start it (sudo systemctl start docker) or point DOCKER_HOST "
    "at a running engine";
constexpr std::string_view kTlsHint =
    "check the CA, client certificate and key (DOCKER_CERT_PATH holds ca.pem, cert.pem and "
    "key.pem) and that the server's certificate names this host";

bool is_connect_failure(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY;
}

bool is_connection_lost(CURLcode code) {
  return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
         code == CURLE_PARTIAL_FILE;
}

bool is_tls_failure(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

// The OS reason when there is one ("Connection refused"), else libcurl's text.
std::string reason(const TransferFailure& failure) {
  if (failure.os_errno != 0) {
    return std::generic_category().message(static_cast<int>(failure.os_errno));
  }
  if (!failure.detail.empty()) {
    return failure.detail;
  }
  return curl_easy_strerror(failure.code);
}

Error connect_error(const TransferFailure& failure) {
  std::string message = fmt::format("cannot connect to {}: {}", failure.endpoint, reason(failure));
  if (failure.code == CURLE_COULDNT_RESOLVE_HOST) {
    return Error{ErrorCode::kUnavailable, std::move(message),
                 "check the host name in the endpoint (DOCKER_HOST, the spec's target)"};
  }
  if (failure.unix_socket.empty()) {
    return Error{ErrorCode::kUnavailable, std::move(message),
                 fmt::format("check that the service at {} is running and reachable from here",
                             failure.endpoint)};
  }
  if (failure.os_errno == EACCES || failure.os_errno == EPERM) {
    return Error{ErrorCode::kPermissionDenied,
                 fmt::format("permission denied connecting to {}", failure.endpoint),
                 std::string(kGroupHint)};
  }
  return Error{ErrorCode::kUnavailable, std::move(message), std::string(kStartEngineHint)};
}

Error timeout_error(const TransferFailure& failure) {
  if (!failure.connected) {
    // Connecting stops at the connect timeout or at the overall one, whichever is first.
    auto limit = failure.connect_timeout;
    if (failure.overall_timeout.count() > 0 &&
        (limit.count() <= 0 || failure.overall_timeout < limit)) {
      limit = failure.overall_timeout;
    }
    return Error{ErrorCode::kTimeout,
                 fmt::format("connecting to {} timed out after {} ms ({})", failure.endpoint,
                             limit.count(), failure.request),
                 fmt::format("check that {} is up and reachable", failure.endpoint)};
  }
  return Error{ErrorCode::kTimeout,
               fmt::format("{} on {} timed out after {} ms", failure.request, failure.endpoint,
                           failure.overall_timeout.count()),
               {}};
}

}  // namespace

Error to_error(const TransferFailure& failure) {
  if (is_connect_failure(failure.code)) {
    return connect_error(failure);
  }
  if (failure.code == CURLE_OPERATION_TIMEDOUT) {
    return timeout_error(failure);
  }
  if (is_connection_lost(failure.code)) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("connection to {} lost during {}: {}", failure.endpoint,
                             failure.request, reason(failure)),
                 {}};
  }
  if (is_tls_failure(failure.code)) {
    return Error{ErrorCode::kPrecondition,
                 fmt::format("TLS with {} failed: {}", failure.endpoint, reason(failure)),
                 std::string(kTlsHint)};
  }
  if (failure.code == CURLE_ABORTED_BY_CALLBACK) {
    return Error{ErrorCode::kCancelled,
                 fmt::format("{} on {} cancelled", failure.request, failure.endpoint),
                 {}};
  }
  if (failure.code == CURLE_URL_MALFORMAT || failure.code == CURLE_UNSUPPORTED_PROTOCOL) {
    return Error{ErrorCode::kInvalidInput,
                 fmt::format("invalid endpoint {}: {}", failure.endpoint, reason(failure)),
                 "use unix:///path/to.sock, http://host:port or https://host:port"};
  }
  return Error{
      ErrorCode::kFailure,
      fmt::format("{} on {} failed: {}", failure.request, failure.endpoint, reason(failure)),
      {}};
}

bool is_retryable(const TransferFailure& failure) {
  if (failure.code == CURLE_COULDNT_CONNECT) {
    // A missing socket or a permission problem will not cure itself in a second.
    return failure.os_errno != EACCES && failure.os_errno != EPERM && failure.os_errno != ENOENT;
  }
  return is_connection_lost(failure.code);
}

}  // namespace deepdock::adapters::http
