#include "adapters/docker/json_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace deepdock::adapters::docker {
namespace {

// What a pull of one layer looks like on the wire (docker 24).
constexpr std::string_view kPull =
    R"({"status":"Pulling from library/debian","id":"bookworm"})"
    "\n"
    R"({"status":"Pulling fs layer","progressDetail":{},"id":"a1b2c3d4e5f6"})"
    "\n"
    R"({"status":"Downloading","progressDetail":{"current":1024,"total":49557601},)"
    R"("progress":"[>    ]  1.024kB/49.56MB","id":"a1b2c3d4e5f6"})"
    "\n"
    R"({"status":"Pull complete","progressDetail":{},"id":"a1b2c3d4e5f6"})"
    "\n"
    R"({"status":"Digest: sha256:1111111111111111111111111111111111111111111111111111111111111111"})"
    "\n"
    R"({"status":"Status: Downloaded newer image for debian:bookworm"})"
    "\n";

struct Recorder {
  std::vector<core::ProgressEvent> events;
  core::ProgressFn fn() {
    return [this](const core::ProgressEvent& event) { events.push_back(event); };
  }
};

bool same(const core::ProgressEvent& a, const core::ProgressEvent& b) {
  return a.id == b.id && a.status == b.status && a.current == b.current && a.total == b.total &&
         a.stream == b.stream;
}

TEST(JsonStreamTest, EmitsOneEventPerMessageWithProgressFields) {
  Recorder recorder;
  JsonStreamDecoder decoder(recorder.fn());
  ASSERT_TRUE(decoder.feed(kPull).has_value());
  ASSERT_TRUE(decoder.finish().has_value());
  ASSERT_EQ(recorder.events.size(), 6U);
  EXPECT_EQ(recorder.events[0].id, "bookworm");
  EXPECT_EQ(recorder.events[0].status, "Pulling from library/debian");
  EXPECT_EQ(recorder.events[2].id, "a1b2c3d4e5f6");
  EXPECT_EQ(recorder.events[2].status, "Downloading");
  EXPECT_EQ(recorder.events[2].current, 1024);
  EXPECT_EQ(recorder.events[2].total, 49557601);
  EXPECT_EQ(recorder.events[3].total, 0);
  EXPECT_EQ(decoder.digest(),
            "sha256:1111111111111111111111111111111111111111111111111111111111111111");
}

TEST(JsonStreamTest, LinesSplitAtEveryPositionDecodeTheSame) {
  Recorder whole;
  JsonStreamDecoder reference(whole.fn());
  ASSERT_TRUE(reference.feed(kPull).has_value());
  ASSERT_TRUE(reference.finish().has_value());
  for (size_t split = 0; split <= kPull.size(); ++split) {
    Recorder parts;
    JsonStreamDecoder decoder(parts.fn());
    ASSERT_TRUE(decoder.feed(kPull.substr(0, split)).has_value()) << split;
    ASSERT_TRUE(decoder.feed(kPull.substr(split)).has_value()) << split;
    ASSERT_TRUE(decoder.finish().has_value()) << split;
    ASSERT_EQ(parts.events.size(), whole.events.size()) << split;
    for (size_t i = 0; i < parts.events.size(); ++i) {
      EXPECT_TRUE(same(parts.events[i], whole.events[i])) << split << " event " << i;
    }
  }
}

TEST(JsonStreamTest, ByteAtATimeDecodesTheSame) {
  Recorder parts;
  JsonStreamDecoder decoder(parts.fn());
  for (const char ch : kPull) {
    ASSERT_TRUE(decoder.feed(std::string_view(&ch, 1)).has_value());
  }
  ASSERT_TRUE(decoder.finish().has_value());
  EXPECT_EQ(parts.events.size(), 6U);
}

TEST(JsonStreamTest, BuildStreamTextAndAuxImageId) {
  Recorder recorder;
  JsonStreamDecoder decoder(recorder.fn());
  const std::string image_id =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  ASSERT_TRUE(decoder
                  .feed(R"({"stream":"Step 1/2 : FROM debian:bookworm\n"})"
                        "\n"
                        R"({"stream":" ---\u003e 3db8720ecbf5\n"})"
                        "\n"
                        R"({"aux":{"ID":")" +
                        image_id +
                        R"("}})"
                        "\n"
                        R"({"stream":"Successfully built 2222222222\n"})")
                  .has_value());
  ASSERT_TRUE(decoder.finish().has_value());  // the last line had no '\n'
  EXPECT_EQ(decoder.image_id(), image_id);
  ASSERT_EQ(recorder.events.size(), 3U);  // the aux line is not progress
  EXPECT_EQ(recorder.events[0].stream, "Step 1/2 : FROM debian:bookworm\n");
  EXPECT_EQ(recorder.events[1].stream, " ---> 3db8720ecbf5\n");
  EXPECT_EQ(decoder.stream_text(),
            "Step 1/2 : FROM debian:bookworm\n ---> 3db8720ecbf5\nSuccessfully built 2222222222\n");
}

TEST(JsonStreamTest, PushDigestFromAuxAndFromTheStatusLine) {
  JsonStreamDecoder from_status(nullptr);
  ASSERT_TRUE(from_status
                  .feed(R"({"status":"1.0: digest: sha256:3333333333333333333333333333333333333333)"
                        R"(333333333333333333333333 size: 528"})"
                        "\n")
                  .has_value());
  EXPECT_EQ(from_status.digest(),
            "sha256:3333333333333333333333333333333333333333333333333333333333333333");

  JsonStreamDecoder from_aux(nullptr);
  ASSERT_TRUE(
      from_aux
          .feed(R"({"progressDetail":{},"aux":{"Tag":"1.0","Digest":"sha256:44","Size":528}})"
                "\n")
          .has_value());
  EXPECT_EQ(from_aux.digest(), "sha256:44");
}

TEST(JsonStreamTest, ErrorDetailMakesFinishFail) {
  Recorder recorder;
  JsonStreamDecoder decoder(recorder.fn());
  ASSERT_TRUE(decoder
                  .feed(R"({"stream":"Step 2/2 : RUN false\n"})"
                        "\n"
                        R"({"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' )"
                        R"(returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' )"
                        R"(returned a non-zero code: 1"})"
                        "\n")
                  .has_value());
  const Status finished = decoder.finish();
  ASSERT_FALSE(finished.has_value());
  EXPECT_EQ(finished.error().code, ErrorCode::kFailure);
  EXPECT_EQ(finished.error().message, "The command '/bin/sh -c false' returned a non-zero code: 1");
  EXPECT_EQ(recorder.events.size(), 1U);
}

TEST(JsonStreamTest, ErrorFieldAloneAlsoFails) {
  JsonStreamDecoder decoder(nullptr);
  ASSERT_TRUE(decoder.feed(R"({"error":"pull access denied for nosuch"})").has_value());
  const Status finished = decoder.finish();
  ASSERT_FALSE(finished.has_value());
  EXPECT_EQ(finished.error().message, "pull access denied for nosuch");
}

TEST(JsonStreamTest, GarbageLineIsAnErrorNamingTheLine) {
  JsonStreamDecoder decoder(nullptr);
  const Status fed = decoder.feed("<html>502 Bad Gateway</html>\n");
  ASSERT_FALSE(fed.has_value());
  EXPECT_NE(fed.error().message.find("<html>502 Bad Gateway</html>"), std::string::npos);
}

TEST(JsonStreamTest, LongGarbageIsTruncatedInTheMessage) {
  JsonStreamDecoder decoder(nullptr);
  const std::string garbage(5000, 'z');
  const Status fed = decoder.feed(garbage + "\n");
  ASSERT_FALSE(fed.has_value());
  EXPECT_LT(fed.error().message.size(), 400U);
  EXPECT_NE(fed.error().message.find("5000 bytes"), std::string::npos);
}

TEST(JsonStreamTest, BlankLinesAndCarriageReturnsAreIgnored) {
  Recorder recorder;
  JsonStreamDecoder decoder(recorder.fn());
  ASSERT_TRUE(decoder.feed("\r\n\n{\"status\":\"Waiting\",\"id\":\"x\"}\r\n  \n").has_value());
  ASSERT_TRUE(decoder.finish().has_value());
  ASSERT_EQ(recorder.events.size(), 1U);
  EXPECT_EQ(recorder.events[0].status, "Waiting");
}

}  // namespace
}  // namespace deepdock::adapters::docker
