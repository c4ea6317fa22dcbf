#include "adapters/http/curl_session.hpp"

#include <fmt/format.h>

#include <mutex>

#include "util/cancel.hpp"

namespace deepdock::adapters::http {
namespace {

CURLcode global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// A multi-interface failure means misuse or no memory; report it as a transfer failure.
CURLcode as_transfer_code(CURLMcode code) {
  return code == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
}

}  // namespace

Result<std::unique_ptr<CurlSession>> CurlSession::create() {
  if (const CURLcode code = global_init(); code != CURLE_OK) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(code)));
  }
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  if (easy == nullptr || multi == nullptr) {
    curl_easy_cleanup(easy);
    curl_multi_cleanup(multi);
    return fail(ErrorCode::kFailure, "cannot create a libcurl handle (out of memory?)");
  }
  return std::unique_ptr<CurlSession>(new CurlSession(easy, multi));
}

CurlSession::~CurlSession() {
  curl_multi_cleanup(multi_);
  curl_easy_cleanup(easy_);
}

CURLcode CurlSession::perform() {
  if (const CURLMcode added = curl_multi_add_handle(multi_, easy_); added != CURLM_OK) {
    return as_transfer_code(added);
  }
  CURLcode result = CURLE_OK;
  while (true) {
    int running = 0;
    if (const CURLMcode code = curl_multi_perform(multi_, &running); code != CURLM_OK) {
      result = as_transfer_code(code);
      break;
    }
    bool done = false;
    int queued = 0;
    while (const CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg == CURLMSG_DONE && message->easy_handle == easy_) {
        result = message->data.result;
        done = true;
      }
    }
    if (done || running == 0) {
      break;
    }
    if (util::cancel_requested()) {
      result = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    const auto timeout = static_cast<int>(kPollInterval.count());
    if (const CURLMcode code = curl_multi_poll(multi_, nullptr, 0, timeout, nullptr);
        code != CURLM_OK) {
      result = as_transfer_code(code);
      break;
    }
  }
  // Removing an unfinished transfer closes its connection; a finished one stays cached.
  curl_multi_remove_handle(multi_, easy_);
  return result;
}

}  // namespace deepdock::adapters::http
