#include "adapters/docker/multiplexed_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

// Types 0 (stdin, echoed by the engine) and 1 are stdout.
constexpr uint8_t kStderr = 2;
constexpr uint8_t kSystemErr = 3;

}  // namespace

MultiplexedStreamDecoder::MultiplexedStreamDecoder(core::OutputFn output)
    : output_(std::move(output)) {}

Status MultiplexedStreamDecoder::feed(std::string_view chunk) {
  if (failed_) {
    return fail(ErrorCode::kFailure, failure_);
  }
  while (!chunk.empty()) {
    if (header_size_ < kHeaderSize) {
      const size_t take = std::min(kHeaderSize - header_size_, chunk.size());
      std::copy_n(chunk.begin(), take, header_.begin() + static_cast<std::ptrdiff_t>(header_size_));
      header_size_ += take;
      chunk.remove_prefix(take);
      if (header_size_ < kHeaderSize) {
        return {};
      }
      stream_type_ = header_[0];
      if (stream_type_ > kSystemErr) {
        failed_ = true;
        failure_ = fmt::format(
            "malformed output stream from the engine: unknown stream type {} (a TTY container's "
            "output is not framed)",
            stream_type_);
        return fail(ErrorCode::kFailure, failure_);
      }
      payload_left_ = (uint32_t{header_[4]} << 24U) | (uint32_t{header_[5]} << 16U) |
                      (uint32_t{header_[6]} << 8U) | uint32_t{header_[7]};
    }
    const size_t take = std::min<size_t>(payload_left_, chunk.size());
    const std::string_view payload = chunk.substr(0, take);
    chunk.remove_prefix(take);
    payload_left_ -= static_cast<uint32_t>(take);
    if (stream_type_ == kSystemErr) {
      system_error_.append(payload);
    } else if (!payload.empty() && output_) {
      output_(stream_type_ == kStderr ? core::StreamKind::kStderr : core::StreamKind::kStdout,
              payload);
    }
    if (payload_left_ == 0) {
      header_size_ = 0;
      if (stream_type_ == kSystemErr) {
        failed_ = true;
        const std::string_view text = util::trim(system_error_);
        failure_ = text.empty() ? "the engine reported an error on the stream" : std::string(text);
        return fail(ErrorCode::kFailure, failure_);
      }
    }
  }
  return {};
}

Status MultiplexedStreamDecoder::finish() {
  if (failed_) {
    return fail(ErrorCode::kFailure, failure_);
  }
  if (header_size_ != 0) {
    const bool in_header = header_size_ < kHeaderSize;
    return fail(ErrorCode::kFailure,
                in_header ? fmt::format("the engine's output stream ended inside a frame header "
                                        "({} of 8 bytes)",
                                        header_size_)
                          : fmt::format("the engine's output stream ended {} bytes short of the "
                                        "end of a frame",
                                        payload_left_));
  }
  return {};
}

}  // namespace deepdock::adapters::docker
