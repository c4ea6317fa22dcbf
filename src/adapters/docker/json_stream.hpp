#pragma once
// The engine's progress stream for pull, push and build: one JSON object per line, arriving
// in arbitrary chunks. Once output has started the engine reports failure only in-band
// ({"errorDetail":{...},"error":"..."}), so finish() must be checked even after HTTP 200.

#include <string>
#include <string_view>

#include "core/ports/container_engine.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

class JsonStreamDecoder {
 public:
  explicit JsonStreamDecoder(core::ProgressFn progress);

  // Emits a ProgressEvent per message (id, status, progressDetail current/total, stream).
  // A line that is not a JSON object is an error naming the line (truncated).
  Status feed(std::string_view chunk);
  // Flushes a trailing line without '\n'; returns the stream's error (kFailure with its
  // message) if any message had errorDetail/error.
  Status finish();

  // The image ID from {"aux":{"ID":"sha256:..."}} (build); empty if none.
  [[nodiscard]] const std::string& image_id() const;
  // From push aux {"Digest":...} or "Digest: sha256:..." status lines; empty if none.
  [[nodiscard]] const std::string& digest() const;
  // The build output so far ("stream" fields concatenated): shown when a build fails.
  [[nodiscard]] const std::string& stream_text() const { return stream_text_; }

 private:
  Status handle_line(std::string_view line);

  core::ProgressFn progress_;
  std::string pending_;  // an incomplete line
  std::string image_id_;
  std::string digest_;
  std::string stream_text_;
  std::string error_;  // the first in-band error message
  bool failed_ = false;
};

}  // namespace deepdock::adapters::docker
