#include "adapters/docker/json_stream.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

using nlohmann::json;

constexpr size_t kMaxLine = 8U << 20U;          // no engine message is near this
constexpr size_t kMaxStreamText = 256U << 10U;  // build output kept for error reports
constexpr size_t kQuoteLimit = 200;

std::string quote_line(std::string_view line) {
  if (line.size() <= kQuoteLimit) {
    return std::string(line);
  }
  return fmt::format("{}... ({} bytes)", line.substr(0, kQuoteLimit), line.size());
}

std::string string_field(const json& object, std::string_view name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

int64_t int_field(const json& object, std::string_view name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_number_integer() ? found->get<int64_t>() : 0;
}

// "Digest: sha256:..." (pull) or "<tag>: digest: sha256:... size: N" (push).
std::string digest_in_status(std::string_view status) {
  const std::string lower = util::to_lower(status);
  const size_t label = lower.find("digest: ");
  if (label == std::string::npos) {
    return {};
  }
  std::string_view rest = status.substr(label + 8);
  rest = rest.substr(0, rest.find(' '));
  return rest.rfind("sha256:", 0) == 0 ? std::string(rest) : std::string{};
}

}  // namespace

JsonStreamDecoder::JsonStreamDecoder(core::ProgressFn progress) : progress_(std::move(progress)) {}

Status JsonStreamDecoder::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const size_t newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      pending_.append(chunk);
      if (pending_.size() > kMaxLine) {
        return fail(ErrorCode::kFailure,
                    fmt::format("the engine's progress stream has a line over {} bytes: {}",
                                kMaxLine, quote_line(pending_)));
      }
      return {};
    }
    if (pending_.empty()) {
      TRY(handle_line(chunk.substr(0, newline)));
    } else {
      pending_.append(chunk.substr(0, newline));
      const std::string line = std::exchange(pending_, {});
      TRY(handle_line(line));
    }
    chunk.remove_prefix(newline + 1);
  }
  return {};
}

Status JsonStreamDecoder::finish() {
  if (!pending_.empty()) {
    const std::string line = std::exchange(pending_, {});
    TRY(handle_line(line));
  }
  if (failed_) {
    return fail(ErrorCode::kFailure, error_);
  }
  return {};
}

const std::string& JsonStreamDecoder::image_id() const {
  return image_id_;
}

const std::string& JsonStreamDecoder::digest() const {
  return digest_;
}

Status JsonStreamDecoder::handle_line(std::string_view line) {
  line = util::trim(line);
  if (line.empty()) {
    return {};
  }
  const json message = json::parse(line, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    return fail(
        ErrorCode::kFailure,
        fmt::format("unexpected line in the engine's progress stream: {}", quote_line(line)));
  }

  std::string error;
  if (const auto detail = message.find("errorDetail");
      detail != message.end() && detail->is_object()) {
    error = string_field(*detail, "message");
  }
  if (error.empty()) {
    error = string_field(message, "error");
  }
  if (error.empty() && message.contains("errorDetail")) {
    error = "the engine reported an error without a message";
  }
  if (!error.empty()) {
    if (!failed_) {
      failed_ = true;
      error_ = util::trim(error);
    }
    return {};
  }

  if (const auto aux = message.find("aux"); aux != message.end() && aux->is_object()) {
    if (std::string id = string_field(*aux, "ID"); !id.empty()) {
      image_id_ = std::move(id);
    }
    if (std::string digest = string_field(*aux, "Digest"); !digest.empty()) {
      digest_ = std::move(digest);
    }
  }

  core::ProgressEvent event;
  event.id = string_field(message, "id");
  event.status = string_field(message, "status");
  event.stream = string_field(message, "stream");
  if (const auto detail = message.find("progressDetail");
      detail != message.end() && detail->is_object()) {
    event.current = int_field(*detail, "current");
    event.total = int_field(*detail, "total");
  }
  if (std::string digest = digest_in_status(event.status); !digest.empty()) {
    digest_ = std::move(digest);
  }
  if (!event.stream.empty()) {
    stream_text_ += event.stream;
    if (stream_text_.size() > kMaxStreamText) {
      stream_text_.erase(0, stream_text_.size() - kMaxStreamText / 2);
    }
  }
  if (progress_ && (!event.status.empty() || !event.stream.empty())) {
    progress_(event);
  }
  return {};
}

}  // namespace deepdock::adapters::docker
