#include "adapters/docker/multiplexed_stream.hpp"

#include <gtest/gtest.h>

#include <string>

namespace deepdock::adapters::docker {
namespace {

std::string frame(uint8_t type, std::string_view payload) {
  const auto size = static_cast<uint32_t>(payload.size());
  std::string out;
  out += static_cast<char>(type);
  out += std::string(3, '\0');
  out += static_cast<char>((size >> 24U) & 0xffU);
  out += static_cast<char>((size >> 16U) & 0xffU);
  out += static_cast<char>((size >> 8U) & 0xffU);
  out += static_cast<char>(size & 0xffU);
  out += payload;
  return out;
}

struct Collected {
  std::string out;
  std::string err;
  core::OutputFn fn() {
    return [this](core::StreamKind kind, std::string_view text) {
      (kind == core::StreamKind::kStdout ? out : err).append(text);
    };
  }
};

const std::string& sample() {
  static const std::string stream = frame(1, "hello ") + frame(2, "warning: x\n") +
                                    frame(1, "world\n") + frame(1, "") + frame(0, "echo") +
                                    frame(2, std::string(300, 'e'));
  return stream;
}

TEST(MultiplexedStreamTest, SeparatesStdoutAndStderr) {
  Collected collected;
  MultiplexedStreamDecoder decoder(collected.fn());
  ASSERT_TRUE(decoder.feed(sample()).has_value());
  ASSERT_TRUE(decoder.finish().has_value());
  EXPECT_EQ(collected.out, "hello world\necho");
  EXPECT_EQ(collected.err, "warning: x\n" + std::string(300, 'e'));
}

TEST(MultiplexedStreamTest, SplitAtEveryByteBoundaryGivesTheSameStreams) {
  const std::string& stream = sample();
  for (size_t split = 0; split <= stream.size(); ++split) {
    Collected collected;
    MultiplexedStreamDecoder decoder(collected.fn());
    ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(0, split)).has_value()) << split;
    ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(split)).has_value()) << split;
    ASSERT_TRUE(decoder.finish().has_value()) << split;
    EXPECT_EQ(collected.out, "hello world\necho") << split;
    EXPECT_EQ(collected.err, "warning: x\n" + std::string(300, 'e')) << split;
  }
}

TEST(MultiplexedStreamTest, OneByteAtATime) {
  Collected collected;
  MultiplexedStreamDecoder decoder(collected.fn());
  for (const char ch : sample()) {
    ASSERT_TRUE(decoder.feed(std::string_view(&ch, 1)).has_value());
  }
  ASSERT_TRUE(decoder.finish().has_value());
  EXPECT_EQ(collected.out, "hello world\necho");
}

TEST(MultiplexedStreamTest, LargeFrameSizeUsesAllFourBytes) {
  const std::string big(70000, 'b');  // needs the third size byte
  Collected collected;
  MultiplexedStreamDecoder decoder(collected.fn());
  ASSERT_TRUE(decoder.feed(frame(1, big)).has_value());
  ASSERT_TRUE(decoder.finish().has_value());
  EXPECT_EQ(collected.out, big);
}

TEST(MultiplexedStreamTest, SystemErrorFrameIsAnError) {
  const std::string stream = frame(1, "partial") + frame(3, "container stopped unexpectedly\n");
  for (size_t split = 0; split <= stream.size(); ++split) {
    Collected collected;
    MultiplexedStreamDecoder decoder(collected.fn());
    Status status = decoder.feed(std::string_view(stream).substr(0, split));
    if (status.has_value()) {
      status = decoder.feed(std::string_view(stream).substr(split));
    }
    ASSERT_FALSE(status.has_value()) << split;
    EXPECT_EQ(status.error().code, ErrorCode::kFailure);
    EXPECT_EQ(status.error().message, "container stopped unexpectedly");
    EXPECT_EQ(collected.out, "partial");
    EXPECT_FALSE(decoder.finish().has_value());
  }
}

TEST(MultiplexedStreamTest, PartialFrameAtTheEndIsAnError) {
  const std::string whole = frame(1, "abcdef");
  for (const size_t cut : {size_t{3}, size_t{8}, size_t{10}}) {
    MultiplexedStreamDecoder decoder(nullptr);
    ASSERT_TRUE(decoder.feed(std::string_view(whole).substr(0, cut)).has_value());
    const Status finished = decoder.finish();
    ASSERT_FALSE(finished.has_value()) << cut;
    EXPECT_NE(finished.error().message.find("ended"), std::string::npos);
  }
}

TEST(MultiplexedStreamTest, UnframedTtyOutputIsRejected) {
  MultiplexedStreamDecoder decoder(nullptr);
  const Status status = decoder.feed("root@abc:/# ls\r\n");
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("unknown stream type"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::docker
