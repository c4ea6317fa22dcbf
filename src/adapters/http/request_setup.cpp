#include "adapters/http/request_setup.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace deepdock::adapters::http {
namespace {

// Sets options one after another and remembers the first failure.
class Options {
 public:
  explicit Options(CURL* easy) : easy_(easy) {}

  template <typename T>
  void set(CURLoption option, T value) {
    if (result_ == CURLE_OK) {
      result_ = curl_easy_setopt(easy_, option, value);
    }
  }
  void fail(CURLcode code) {
    if (result_ == CURLE_OK) {
      result_ = code;
    }
  }
  [[nodiscard]] CURLcode result() const { return result_; }

 private:
  CURL* easy_;
  CURLcode result_ = CURLE_OK;
};

bool has_header(const core::HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const core::HttpHeader& h) { return util::iequals(h.name, name); });
}

long milliseconds(std::chrono::milliseconds duration) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(duration.count(), 0));
}

void set_streamed_body(Options& options, const core::HttpRequest& request,
                       CurlHeaderList& headers) {
  const bool post = request.method == core::HttpMethod::kPost;
  if (post) {
    options.set(CURLOPT_POST, 1L);
  } else {
    options.set(CURLOPT_UPLOAD, 1L);
    options.set(CURLOPT_CUSTOMREQUEST, std::string(core::to_string(request.method)).c_str());
  }
  if (request.body_size) {
    const auto size = static_cast<curl_off_t>(*request.body_size);
    options.set(post ? CURLOPT_POSTFIELDSIZE_LARGE : CURLOPT_INFILESIZE_LARGE, size);
  } else if (!has_header(request, "Transfer-Encoding") &&
             !headers.append("Transfer-Encoding: chunked")) {
    options.fail(CURLE_OUT_OF_MEMORY);
  }
}

void set_method_and_body(Options& options, const core::HttpRequest& request,
                         CurlHeaderList& headers) {
  using core::HttpMethod;
  if (request.body_source && request.method != HttpMethod::kGet &&
      request.method != HttpMethod::kHead) {
    set_streamed_body(options, request, headers);
    return;
  }
  switch (request.method) {
    case HttpMethod::kGet:
      options.set(CURLOPT_HTTPGET, 1L);
      return;
    case HttpMethod::kHead:
      options.set(CURLOPT_NOBODY, 1L);
      return;
    case HttpMethod::kDelete:
      if (request.body.empty()) {
        options.set(CURLOPT_CUSTOMREQUEST, "DELETE");
        return;
      }
      break;
    case HttpMethod::kPost:
    case HttpMethod::kPut:
      break;
  }
  // POST, PUT and DELETE with a body: libcurl sends it from memory, in place.
  options.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  options.set(CURLOPT_POSTFIELDS, request.body.data());
  if (request.method != HttpMethod::kPost) {
    options.set(CURLOPT_CUSTOMREQUEST, std::string(core::to_string(request.method)).c_str());
  }
}

void set_headers(Options& options, const core::HttpRequest& request, CurlHeaderList& headers) {
  bool ok = true;
  for (const auto& header : request.headers) {
    // "Name;" is libcurl's way to send a header with an empty value.
    ok = ok && headers.append(header.value.empty() ? header.name + ";"
                                                   : header.name + ": " + header.value);
  }
  // No "Expect: 100-continue" round trip before uploads; no invented form Content-Type.
  ok = ok && headers.append("Expect:");
  if (!has_header(request, "Content-Type")) {
    ok = ok && headers.append("Content-Type:");
  }
  if (!ok) {
    options.fail(CURLE_OUT_OF_MEMORY);
  }
  options.set(CURLOPT_HTTPHEADER, headers.get());
}

void set_tls(Options& options, const TransportConfig& config) {
  if (!config.ca_file.empty()) {
    options.set(CURLOPT_CAINFO, config.ca_file.c_str());
  }
  if (!config.cert_file.empty()) {
    options.set(CURLOPT_SSLCERT, config.cert_file.c_str());
  }
  if (!config.key_file.empty()) {
    options.set(CURLOPT_SSLKEY, config.key_file.c_str());
  }
  options.set(CURLOPT_SSL_VERIFYPEER, config.verify_peer ? 1L : 0L);
  options.set(CURLOPT_SSL_VERIFYHOST, config.verify_peer ? 2L : 0L);
}

}  // namespace

bool CurlHeaderList::append(const std::string& line) {
  curl_slist* extended = curl_slist_append(list_.get(), line.c_str());
  if (extended == nullptr) {
    return false;
  }
  static_cast<void>(list_.release());  // `extended` now owns the old nodes
  list_.reset(extended);
  return true;
}

std::string request_url(const TransportConfig& config, const core::HttpRequest& request) {
  std::string_view base = config.base_url;
  while (base.ends_with('/')) {
    base.remove_suffix(1);
  }
  std::string url(base);
  if (!request.target.starts_with('/')) {
    url += '/';
  }
  url += request.target;
  return url;
}

CURLcode configure_request(CURL* easy, const TransportConfig& config,
                           const core::HttpRequest& request, CurlHeaderList& headers) {
  Options options(easy);
  options.set(CURLOPT_URL, request_url(config, request).c_str());
  if (!config.unix_socket.empty()) {
    options.set(CURLOPT_UNIX_SOCKET_PATH, config.unix_socket.c_str());
  }
  // HTTP/1.1 always: the Docker API's streaming and hijacked endpoints expect it.
  options.set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  options.set(CURLOPT_NOSIGNAL, 1L);  // we run on threads; the cli owns the signals
  options.set(CURLOPT_TCP_KEEPALIVE, 1L);
  options.set(CURLOPT_USERAGENT, config.user_agent.c_str());
  options.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(config.connect_timeout));
  options.set(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout));  // 0: no limit
  set_method_and_body(options, request, headers);
  set_headers(options, request, headers);
  set_tls(options, config);
  return options.result();
}

}  // namespace deepdock::adapters::http
