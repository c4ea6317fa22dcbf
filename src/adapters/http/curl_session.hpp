#pragma once
// A libcurl easy handle and the multi handle that drives it. The multi handle keeps the
// connection cache, so reusing a session reuses its keep-alive connection. Driving the
// transfer ourselves, in short polls, lets cancellation stop it within kPollInterval:
// libcurl's own progress callback runs only about once a second on an idle stream
// (measured with libcurl 7.88), too slow for Ctrl-C on `logs -f`.

#include <curl/curl.h>

#include <chrono>
#include <memory>

#include "util/error.hpp"

namespace deepdock::adapters::http {

class CurlSession {
 public:
  static constexpr std::chrono::milliseconds kPollInterval{50};

  // Initialises libcurl once per process, then creates the handles.
  static Result<std::unique_ptr<CurlSession>> create();

  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;
  CurlSession(CurlSession&&) = delete;
  CurlSession& operator=(CurlSession&&) = delete;

  // The easy handle to configure; curl_easy_reset() it first, the connections survive.
  [[nodiscard]] CURL* easy() const { return easy_; }

  // Runs the transfer configured on easy() to its end and returns libcurl's result for
  // it, or CURLE_ABORTED_BY_CALLBACK as soon as util::cancel_requested() is seen.
  CURLcode perform();

 private:
  CurlSession(CURL* easy, CURLM* multi) : easy_(easy), multi_(multi) {}

  CURL* easy_;
  CURLM* multi_;
};

}  // namespace deepdock::adapters::http
