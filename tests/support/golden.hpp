#pragma once
// Golden files: generated text is compared with tests/testdata/<path>; running the tests
// with DEEPDOCK_UPDATE_GOLDEN=1 rewrites the files instead (review the diff, then commit).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace deepdock::testing {

inline void expect_golden(const std::string& relative_path, const std::string& actual) {
  const std::string path = std::string(DEEPDOCK_TESTDATA_DIR) + "/" + relative_path;
  if (const char* update = std::getenv("DEEPDOCK_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with DEEPDOCK_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden file " << path;
}

}  // namespace deepdock::testing
