#include "cli/output/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace deepdock::cli {
namespace {

// Captures what a renderer writes, through a memory stream.
class Capture {
 public:
  Capture() : file_(open_memstream(&data_, &size_)) {}
  ~Capture() {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
    std::free(data_);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return {data_, size_};
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST(ProgressRendererTest, PlainModePrintsOneLinePerLayerStateNotPerByte) {
  Capture out;
  ProgressRenderer renderer(out.file(), ProgressRenderer::Mode::kPlain);
  renderer.on_event({"", "Pulling from library/debian", 0, 0, ""});
  renderer.on_event({"a1", "Downloading", 10, 100, ""});
  renderer.on_event({"a1", "Downloading", 50, 100, ""});
  renderer.on_event({"a1", "Downloading", 90, 100, ""});
  renderer.on_event({"a1", "Pull complete", 0, 0, ""});
  renderer.finish();
  EXPECT_EQ(out.text(), "Pulling from library/debian\na1: Downloading\na1: Pull complete\n");
}

TEST(ProgressRendererTest, BuildStreamTextPassesThrough) {
  Capture out;
  ProgressRenderer renderer(out.file(), ProgressRenderer::Mode::kPlain);
  renderer.on_event({"", "", 0, 0, "Step 1/2 : FROM x\n"});
  renderer.on_event({"", "", 0, 0, " ---> abc\n"});
  EXPECT_EQ(out.text(), "Step 1/2 : FROM x\n ---> abc\n");
}

TEST(ProgressRendererTest, TerminalModeRedrawsBarsInPlace) {
  Capture out;
  ProgressRenderer renderer(out.file(), ProgressRenderer::Mode::kTerminal, 100);
  renderer.on_event({"a1", "Downloading", 10, 100, ""});
  renderer.on_event({"a1", "Downloading", 60, 100, ""});
  const std::string text = out.text();
  EXPECT_NE(text.find("\x1b[1A"), std::string::npos) << "moves the cursor up to redraw";
  EXPECT_NE(text.find("60 B/100 B"), std::string::npos);
}

TEST(ProgressRendererTest, RenderLineDrawsABarProportionalToProgress) {
  const std::string line = ProgressRenderer::render_line("abc", "Downloading", 50, 100, 80);
  EXPECT_EQ(line, "abc: Downloading [====================>                   ] 50 B/100 B");
  EXPECT_EQ(ProgressRenderer::render_line("abc", "Waiting", 0, 0, 80), "abc: Waiting");
}

TEST(ProgressRendererTest, RenderLineFitsNarrowTerminals) {
  const std::string line = ProgressRenderer::render_line("abcdef", "Downloading", 5, 10, 20);
  EXPECT_LE(line.size(), 20U);
}

}  // namespace
}  // namespace deepdock::cli
