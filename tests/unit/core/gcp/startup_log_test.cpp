#include "core/gcp/startup_log.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

TEST(StartupLogTest, RecognizesTheGuestAgentsLinesBehindASyslogPrefix) {
  EXPECT_EQ(classify_startup_line("startup-script exit status 0").kind,
            StartupLineKind::kSucceeded);
  EXPECT_EQ(classify_startup_line(
                "Jun 14 10:24:31 vm google_metadata_script_runner[1690]: Finished running "
                "startup scripts.")
                .kind,
            StartupLineKind::kFinished);
  const StartupLine failed = classify_startup_line(
      "Jun 14 10:24:31 vm google_metadata_script_runner[1690]: Script \"startup-script\" failed "
      "with error: exit status 126");
  EXPECT_EQ(failed.kind, StartupLineKind::kFailed);
  EXPECT_EQ(failed.exit_status, 126);
  EXPECT_EQ(classify_startup_line("vm runner[1]: startup-script exit status 3").exit_status, 3);
  EXPECT_EQ(classify_startup_line("startup-script: apt-get install ...").kind,
            StartupLineKind::kOther);
}

TEST(StartupLogTest, SplitterKeepsAPartialLineForTheNextChunk) {
  SerialLineSplitter splitter;
  EXPECT_EQ(splitter.feed("one\r\ntw"), std::vector<std::string>{"one"});
  EXPECT_EQ(splitter.feed("o\nthree"), std::vector<std::string>{"two"});
  EXPECT_EQ(splitter.rest(), "three");
  EXPECT_EQ(splitter.rest(), std::nullopt);
}

}  // namespace
}  // namespace deepdock::core
