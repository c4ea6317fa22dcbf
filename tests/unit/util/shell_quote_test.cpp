#include "util/shell_quote.hpp"

#include <gtest/gtest.h>

namespace deepdock::util {
namespace {

TEST(ShellQuoteTest, LeavesSafeWordsUnquoted) {
  EXPECT_EQ(shell_quote("apt-get"), "apt-get");
  EXPECT_EQ(shell_quote("/usr/bin/python3"), "/usr/bin/python3");
  EXPECT_EQ(shell_quote("tensorflow==2.15.0"), "tensorflow==2.15.0");
}

TEST(ShellQuoteTest, QuotesEmptyAndSpecialWords) {
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
  EXPECT_EQ(shell_quote("tensorflow[and-cuda]"), "'tensorflow[and-cuda]'");
}

TEST(ShellQuoteTest, EscapesEmbeddedSingleQuotes) {
  EXPECT_EQ(shell_quote("it's"), R"('it'\''s')");
}

TEST(ShellQuoteTest, JoinsArgumentVectors) {
  EXPECT_EQ(shell_join({"pip", "install", "numpy<2", "a b"}), "pip install 'numpy<2' 'a b'");
}

}  // namespace
}  // namespace deepdock::util
