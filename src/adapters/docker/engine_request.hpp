#pragma once
// Small pieces every Engine API call is made of: URL-encoded path segments and query
// strings, and a tap that feeds a streamed response body to a decoder while keeping its
// first bytes, because an HTTP error body arrives through the same callback as a stream.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

// One path segment (an image reference, a container id), percent-encoded: "a/b:1" is one
// segment "a%2Fb%3A1", which the engine decodes before routing.
std::string path_segment(std::string_view text);

// A command line shortened for messages ("python3 -c import torch; ...").
std::string describe_command(const std::vector<std::string>& cmd);

// A query string whose keys and values are percent-encoded as they are added.
class Query {
 public:
  Query& add(std::string_view key, std::string_view value);
  Query& add(std::string_view key, bool value);  // "1" / "0"
  Query& add(std::string_view key, int64_t value);
  // "?k=v&k2=v2", or "" when nothing was added.
  [[nodiscard]] std::string str() const;

 private:
  std::string text_;
};

// Feeds each chunk of a streamed body to `feed`. The first error stops further feeding but
// not the transfer, so the response status still arrives; the first bytes are kept so a
// non-2xx answer (a JSON error body, not a stream) can be turned into an Error.
class StreamTap {
 public:
  using Feed = std::function<Status(std::string_view)>;
  explicit StreamTap(Feed feed) : feed_(std::move(feed)) {}
  StreamTap(const StreamTap&) = delete;
  StreamTap& operator=(const StreamTap&) = delete;

  // The sink to put in HttpRequest::on_body; it refers to this tap, which must outlive it.
  core::BodySink sink();
  [[nodiscard]] const std::string& head() const { return head_; }
  [[nodiscard]] const std::optional<Error>& feed_error() const { return feed_error_; }

 private:
  static constexpr size_t kHeadLimit = size_t{64} * 1024;
  Feed feed_;
  std::string head_;
  std::optional<Error> feed_error_;
};

}  // namespace deepdock::adapters::docker
