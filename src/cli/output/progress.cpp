#include "cli/output/progress.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cli/output/terminal.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {

ProgressRenderer::ProgressRenderer(std::FILE* out, Mode mode, int width)
    : out_(out), mode_(mode), width_(width) {}

ProgressRenderer ProgressRenderer::for_stream(std::FILE* out) {
  if (is_terminal(out)) {
    return {out, Mode::kTerminal, terminal_width(out)};
  }
  return {out, Mode::kPlain, 80};
}

std::string ProgressRenderer::render_line(const std::string& id, const std::string& status,
                                          int64_t current, int64_t total, int width) {
  std::string line = id.empty() ? status : fmt::format("{}: {}", id, status);
  if (total > 0 && current >= 0) {
    const double fraction =
        std::min(1.0, static_cast<double>(current) / static_cast<double>(total));
    const std::string amounts =
        fmt::format(" {}/{}", util::human_bytes(static_cast<double>(current)),
                    util::human_bytes(static_cast<double>(total)));
    const int room = width - static_cast<int>(line.size() + amounts.size()) - 4;
    if (room >= 10) {
      const int bar = std::min(room, 40);
      const int filled = static_cast<int>(fraction * bar);
      std::string cells(static_cast<size_t>(bar), ' ');
      std::fill_n(cells.begin(), filled, '=');
      if (filled < bar) {
        cells[static_cast<size_t>(filled)] = '>';
      }
      line += fmt::format(" [{}]", cells);
    }
    line += amounts;
  }
  if (static_cast<int>(line.size()) > width) {
    line.resize(static_cast<size_t>(std::max(width, 1)));
  }
  return line;
}

void ProgressRenderer::on_event(const core::ProgressEvent& event) {
  if (!event.stream.empty()) {
    // Build output: pass it through, above any live display.
    if (mode_ == Mode::kTerminal && drawn_lines_ > 0) {
      fmt::print(out_, "\x1b[{}A\x1b[J", drawn_lines_);
      drawn_lines_ = 0;
    }
    fmt::print(out_, "{}", event.stream);
    if (mode_ == Mode::kTerminal) {
      redraw();
    }
    std::fflush(out_);
    return;
  }
  if (event.status.empty()) {
    return;
  }
  if (event.id.empty()) {
    // A global line ("Digest: ...", "Status: Downloaded newer image ...").
    if (mode_ == Mode::kTerminal && drawn_lines_ > 0) {
      fmt::print(out_, "\x1b[{}A\x1b[J", drawn_lines_);
      drawn_lines_ = 0;
    }
    fmt::print(out_, "{}\n", event.status);
    if (mode_ == Mode::kTerminal) {
      redraw();
    }
    std::fflush(out_);
    return;
  }
  auto [it, inserted] = layers_.try_emplace(event.id);
  if (inserted) {
    order_.push_back(event.id);
  }
  const bool status_changed = it->second.status != event.status;
  it->second = Layer{event.status, event.current, event.total};
  if (mode_ == Mode::kPlain) {
    if (status_changed) {
      fmt::print(out_, "{}: {}\n", event.id, event.status);
      std::fflush(out_);
    }
    return;
  }
  redraw();
}

void ProgressRenderer::redraw() {
  if (drawn_lines_ > 0) {
    fmt::print(out_, "\x1b[{}A", drawn_lines_);
  }
  for (const auto& id : order_) {
    const Layer& layer = layers_[id];
    fmt::print(out_, "\x1b[2K{}\n",
               render_line(id, layer.status, layer.current, layer.total, width_));
  }
  drawn_lines_ = order_.size();
  std::fflush(out_);
}

void ProgressRenderer::finish() {
  drawn_lines_ = 0;
  order_.clear();
  layers_.clear();
  std::fflush(out_);
}

}  // namespace deepdock::cli
