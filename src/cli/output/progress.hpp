#pragma once
// Renders pull, push and build progress: a live bar per layer on a terminal, plain lines
// (one per layer state change, never per byte) otherwise, so logs of CI runs stay short.

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/model/image.hpp"

namespace deepdock::cli {

class ProgressRenderer {
 public:
  enum class Mode { kTerminal, kPlain };
  ProgressRenderer(std::FILE* out, Mode mode, int width = 80);
  // Picks kTerminal when `out` is a terminal.
  static ProgressRenderer for_stream(std::FILE* out);

  void on_event(const core::ProgressEvent& event);
  // Ends the live display (moves below it); call once the operation finished.
  void finish();

  // The bar text for one layer, e.g. "a1b2c3d4e5f6: Downloading [=====>    ] 12.0 MB/24.0 MB".
  static std::string render_line(const std::string& id, const std::string& status, int64_t current,
                                 int64_t total, int width);

 private:
  struct Layer {
    std::string status;
    int64_t current = 0;
    int64_t total = 0;
  };
  void redraw();

  std::FILE* out_;
  Mode mode_;
  int width_;
  std::vector<std::string> order_;  // layer ids in first-seen order
  std::map<std::string, Layer> layers_;
  size_t drawn_lines_ = 0;
};

}  // namespace deepdock::cli
