#include "adapters/docker/engine_request.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace deepdock::adapters::docker {

std::string path_segment(std::string_view text) {
  return util::url_encode(text);
}

Query& Query::add(std::string_view key, std::string_view value) {
  text_ += text_.empty() ? '?' : '&';
  text_ += util::url_encode(key);
  text_ += '=';
  text_ += util::url_encode(value);
  return *this;
}

Query& Query::add(std::string_view key, bool value) {
  return add(key, std::string_view(value ? "1" : "0"));
}

Query& Query::add(std::string_view key, int64_t value) {
  return add(key, std::string_view(std::to_string(value)));
}

std::string Query::str() const {
  return text_;
}

core::BodySink StreamTap::sink() {
  return [this](std::string_view chunk) {
    if (head_.size() < kHeadLimit) {
      head_.append(chunk.substr(0, std::min(chunk.size(), kHeadLimit - head_.size())));
    }
    if (!feed_error_) {
      if (auto fed = feed_(chunk); !fed) {
        feed_error_ = fed.error();
      }
    }
    return true;
  };
}

std::string describe_command(const std::vector<std::string>& cmd) {
  constexpr size_t kShown = 60;
  std::string text = util::join(cmd, " ");
  if (text.size() > kShown) {
    text = text.substr(0, kShown) + "...";
  }
  return text;
}

}  // namespace deepdock::adapters::docker
