#include "core/ports/http_transport.hpp"

#include "util/strings.hpp"

namespace deepdock::core {

std::string_view to_string(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kHead:
      return "HEAD";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "GET";
}

bool HttpRequest::is_retryable() const {
  if (retryable.has_value()) {
    return *retryable;
  }
  // A streamed upload cannot be replayed once consumed.
  if (body_source) {
    return false;
  }
  return method == HttpMethod::kGet || method == HttpMethod::kHead || method == HttpMethod::kPut ||
         method == HttpMethod::kDelete;
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (util::iequals(h.name, name)) {
      return h.value;
    }
  }
  return {};
}

}  // namespace deepdock::core
