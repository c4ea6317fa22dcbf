#pragma once
// Translates one HttpRequest and the transport's settings into libcurl options on a
// freshly reset easy handle: URL and socket, method and body, headers, TLS, timeouts.

#include <curl/curl.h>

#include <memory>
#include <string>

#include "adapters/http/transport_config.hpp"
#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::http {

// An owned curl_slist of "Name: value" lines; libcurl reads it during the transfer.
class CurlHeaderList {
 public:
  // False when out of memory.
  bool append(const std::string& line);
  [[nodiscard]] curl_slist* get() const { return list_.get(); }

 private:
  struct Free {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };
  std::unique_ptr<curl_slist, Free> list_;
};

// base_url + target, with exactly one slash between them.
[[nodiscard]] std::string request_url(const TransportConfig& config,
                                      const core::HttpRequest& request);

// Sets every option except the callbacks (see Transfer::install). `headers` and
// `request` must outlive the transfer: libcurl reads the body and the list in place.
[[nodiscard]] CURLcode configure_request(CURL* easy, const TransportConfig& config,
                                         const core::HttpRequest& request, CurlHeaderList& headers);

}  // namespace deepdock::adapters::http
