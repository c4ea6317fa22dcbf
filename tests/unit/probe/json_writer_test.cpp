#include "probe/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace deepdock::probe {
namespace {

TEST(JsonWriterTest, NestedObjectsAndArraysParseBack) {
  JsonWriter out;
  out.begin_object();
  out.field("name", "H100");
  out.field("count", 2);
  out.field("ready", true);
  out.key("list");
  out.begin_array();
  out.integer(-1);
  out.unsigned_integer(18446744073709551615ULL);
  out.null();
  out.begin_object();
  out.end_object();
  out.end_array();
  out.field("names", std::vector<std::string>{"a", "b"});
  out.end_object();
  const auto parsed = nlohmann::json::parse(out.text());
  EXPECT_EQ(parsed["name"], "H100");
  EXPECT_EQ(parsed["count"], 2);
  EXPECT_EQ(parsed["ready"], true);
  EXPECT_EQ(parsed["list"].size(), 4U);
  EXPECT_EQ(parsed["list"][1].get<uint64_t>(), 18446744073709551615ULL);
  EXPECT_TRUE(parsed["list"][2].is_null());
  EXPECT_EQ(parsed["names"], (std::vector<std::string>{"a", "b"}));
}

TEST(JsonWriterTest, QuotesBackslashesAndControlCharactersAreEscaped) {
  JsonWriter out;
  out.string(std::string("say \"hi\"\\\n\t\r\x01\x7f", 14));
  EXPECT_EQ(out.text(), R"("say \"hi\"\\\n\t\r\u0001\u007f")");
  EXPECT_EQ(nlohmann::json::parse(out.text()).get<std::string>(),
            std::string("say \"hi\"\\\n\t\r\x01\x7f", 14));
}

TEST(JsonWriterTest, ValidUtf8IsKeptAndInvalidBytesBecomeReplacementCharacters) {
  JsonWriter out;
  out.begin_array();
  out.string("Grüße, 日本, 🚀");
  out.string("bad \xff\xc3 end \xed\xa0\x80");  // stray bytes and an encoded surrogate
  out.end_array();
  const auto parsed = nlohmann::json::parse(out.text());  // throws on invalid UTF-8
  EXPECT_EQ(parsed[0], "Grüße, 日本, 🚀");
  EXPECT_EQ(parsed[1], "bad \uFFFD\uFFFD end \uFFFD\uFFFD\uFFFD");
}

TEST(JsonWriterTest, NonFiniteNumbersAreNull) {
  JsonWriter out;
  out.begin_array();
  out.number(1456.25);
  out.number(std::numeric_limits<double>::quiet_NaN());
  out.number(std::numeric_limits<double>::infinity());
  out.end_array();
  EXPECT_EQ(out.text(), "[1456.25,null,null]");
}

}  // namespace
}  // namespace deepdock::probe
