// The shipped examples parse, docs/spec.md documents every key, and malformed documents
// give problems rather than crashes.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/spec/spec_parser.hpp"

namespace deepdock::core {
namespace {

std::string read_repo_file(const std::string& relative) {
  std::ifstream in(std::string(DEEPDOCK_TESTDATA_DIR) + "/../../" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SpecFilesTest, OfflinePytorchExampleParses) {
  const auto spec =
      parse_spec(read_repo_file("examples/offline-pytorch.yaml"), "examples/offline-pytorch.yaml");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_EQ(spec->name, "offline-pytorch");
  EXPECT_EQ(spec->framework, Framework::kPytorch);
  EXPECT_EQ(spec->base, "debootstrap:bookworm");
  EXPECT_EQ(spec->jupyter, JupyterMode::kNotebook);
  EXPECT_EQ(spec->gpu.mode, GpuMode::kAuto);
  EXPECT_EQ(spec->network, NetworkMode::kHost);
}

TEST(SpecFilesTest, TensorflowGpuExampleParses) {
  const auto spec =
      parse_spec(read_repo_file("examples/tensorflow-gpu.yaml"), "examples/tensorflow-gpu.yaml");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_EQ(spec->framework, Framework::kTensorflow);
  EXPECT_EQ(spec->version, "2.15");
  EXPECT_EQ(spec->gpu.mode, GpuMode::kRequired);
  EXPECT_FALSE(spec->pip.empty());
  EXPECT_FALSE(spec->mounts.empty());
}

TEST(SpecFilesTest, DocsDescribeEveryKey) {
  const std::string docs = read_repo_file("docs/spec.md");
  ASSERT_FALSE(docs.empty());
  for (const std::string& key : spec_keys()) {
    EXPECT_NE(docs.find("`" + key + "`"), std::string::npos) << key << " is not in docs/spec.md";
  }
}

TEST(SpecFilesTest, DocsExamplesParse) {
  // Every ```yaml block in docs/spec.md is a complete, valid spec.
  const std::string docs = read_repo_file("docs/spec.md");
  size_t blocks = 0;
  for (size_t at = docs.find("```yaml\n"); at != std::string::npos;
       at = docs.find("```yaml\n", at + 1)) {
    const size_t begin = at + 8;
    const size_t end = docs.find("```", begin);
    ASSERT_NE(end, std::string::npos);
    const auto spec = parse_spec(docs.substr(begin, end - begin), "docs/spec.md");
    EXPECT_TRUE(spec.has_value()) << docs.substr(begin, end - begin) << "\n"
                                  << spec.error().message;
    ++blocks;
  }
  EXPECT_GE(blocks, 2U);
}

TEST(SpecFilesTest, MalformedDocumentsGiveProblemsNotCrashes) {
  const std::vector<std::string> documents = {
      "{",
      "[",
      "a: b: c",
      "'unterminated",
      "\"unterminated",
      "- - - -",
      "key: &anchor\n  other: *anchor\n",
      "a: &x [*x]\n",
      "*undefined",
      "!!binary AAAA: 1",
      "name: !!int 12",
      "target: {gcp: {zones: {a: b}}}",
      "target: [local]",
      "target: {gcp: [1]}",
      "ports: {jupyter: 1e3}",
      "ports: {jupyter: 99999999999999999999999}",
      "gpu: 99999999999999999999999",
      "gpu: [1]",
      "? complex\n: key",
      "%YAML 1.2\n---\nname: x",
      "%BOGUS\n---\n",
      std::string("name: a\0b", 9),
      std::string(3000, '['),
      std::string(3000, '{'),
      std::string(2000, '-') + " x",
      "\t\t",
      "\xff\xfe\x00n",
      "name: \xc3\x28",
      "mounts: [':', '::', ':::', 'a::', ':/x']",
      "registry: ':'",
      "registry: 'a.b/'",
      "target: 'ssh://'",
      "target: 'ssh://@:'",
      "target: {host: 'ssh://[]:0'}",
      "base: '@'",
      "base: 'debootstrap:Bookworm'",
  };
  for (const std::string& document : documents) {
    const SpecParseOutcome outcome = parse_spec_collect(document, "deepdock.yaml");
    EXPECT_NE(outcome.spec.has_value(), !outcome.problems.empty()) << document;
    const auto result = parse_spec(document, "deepdock.yaml");
    if (!result) {
      EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
      EXPECT_FALSE(result.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace deepdock::core
