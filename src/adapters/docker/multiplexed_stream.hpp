#pragma once
// The engine's framed stdout/stderr stream (logs, attach, exec with Tty=false): each frame is
// an 8-byte header [type, 0, 0, 0, size as big-endian uint32] and `size` payload bytes.
// Frames arrive split across chunks at any byte; payload is passed on as it arrives.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ports/container_engine.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

class MultiplexedStreamDecoder {
 public:
  explicit MultiplexedStreamDecoder(core::OutputFn output);

  // Stream type 0/1 → kStdout, 2 → kStderr, 3 (systemerr) → error returned (kFailure with
  // the text). Any other type means the stream is not framed (a Tty=true container?): error.
  Status feed(std::string_view chunk);
  // Error if a partial frame remains.
  Status finish();

 private:
  static constexpr size_t kHeaderSize = 8;

  core::OutputFn output_;
  std::array<unsigned char, kHeaderSize> header_{};
  size_t header_size_ = 0;     // header bytes collected so far
  uint32_t payload_left_ = 0;  // payload bytes of the current frame still to come
  uint8_t stream_type_ = 0;
  std::string system_error_;  // payload of a systemerr frame
  bool failed_ = false;
  std::string failure_;
};

}  // namespace deepdock::adapters::docker
