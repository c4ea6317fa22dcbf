// The schema check of compat.json: a malformed file is rejected with the JSON path of every
// problem, so a hand-edited or truncated --compat file says exactly what to fix.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "core/compat/embedded.hpp"
#include "core/compat/knowledge_base.hpp"

namespace deepdock::core {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// The built-in base, changed by `edit`, parsed as "compat.json".
Result<KnowledgeBase> parse_edited(const std::function<void(Json&)>& edit) {
  Json json = Json::parse(embedded_compat_json());
  edit(json);
  return KnowledgeBase::parse(json.dump(), "compat.json");
}

std::string error_of(const std::function<void(Json&)>& edit) {
  const auto kb = parse_edited(edit);
  EXPECT_FALSE(kb.has_value());
  if (kb) {
    return "";
  }
  EXPECT_EQ(kb.error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(kb.error().hint.empty());
  return kb.error().message;
}

TEST(KnowledgeBaseJsonTest, AcceptsTheBuiltInFileUnchanged) {
  EXPECT_TRUE(parse_edited([](Json&) {}).has_value());
}

TEST(KnowledgeBaseJsonTest, RejectsAVersionThatIsANumber) {
  EXPECT_THAT(error_of([](Json& j) { j["tensorflow"]["builds"][3]["cuda"] = 12; }),
              HasSubstr("compat.json: tensorflow.builds[3].cuda: expected a version string"));
}

TEST(KnowledgeBaseJsonTest, RejectsAMissingRequiredField) {
  EXPECT_THAT(error_of([](Json& j) { j["gpus"][0].erase("compute_capability"); }),
              HasSubstr("compat.json: gpus[0].compute_capability: missing"));
}

TEST(KnowledgeBaseJsonTest, RejectsAMalformedComputeCapabilityInAKernelList) {
  EXPECT_THAT(error_of([](Json& j) { j["tensorflow"]["kernels"][3]["sass"][1] = "sm_50"; }),
              HasSubstr("tensorflow.kernels[3].sass[1]: expected a compute capability"));
}

TEST(KnowledgeBaseJsonTest, RejectsAnUnknownSourceKey) {
  EXPECT_THAT(error_of([](Json& j) { j["gpus"][2]["source"] = {"nowhere"}; }),
              HasSubstr("gpus[2].source[0]: unknown source key \"nowhere\""));
}

TEST(KnowledgeBaseJsonTest, RejectsReferencesToUndefinedEntries) {
  const std::string message = error_of([](Json& j) {
    j["gpus"][0]["last_driver_branch"] = "R999";
    j["gcp"]["accelerators"][0]["gpu"] = "Tesla K81";
    j["tensorflow"]["builds"][0]["cuda"] = "7.5";
  });
  EXPECT_THAT(message, HasSubstr("gpus[0].last_driver_branch: R999 is not in driver_branches"));
  EXPECT_THAT(message, HasSubstr("gcp.accelerators[0].gpu: \"Tesla K81\" is not the name"));
  EXPECT_THAT(message, HasSubstr("tensorflow.builds[0].cuda: CUDA 7.5 is not in cuda.releases"));
}

TEST(KnowledgeBaseJsonTest, ReportsEveryProblemAtOnceOnePerLine) {
  const std::string message = error_of([](Json& j) {
    j["tensorflow"]["builds"][1]["python_min"] = true;
    j["pytorch"]["builds"][0]["variants"][0]["cuda"] = "cu118";
    j["driver_branches"][0]["number"] = "418";
    j.erase("cuda");
  });
  EXPECT_THAT(message, HasSubstr("tensorflow.builds[1].python_min: expected a version string"));
  EXPECT_THAT(message, HasSubstr("pytorch.builds[0].variants[0].cuda: expected a version"));
  EXPECT_THAT(message, HasSubstr("driver_branches[0].number: expected an integer"));
  EXPECT_THAT(message, HasSubstr("compat.json: cuda: missing"));
  EXPECT_GE(std::count(message.begin(), message.end(), '\n'), 3);
}

TEST(KnowledgeBaseJsonTest, RejectsWrongShapesOfSections) {
  EXPECT_THAT(error_of([](Json& j) { j["gpus"] = Json::object(); }),
              HasSubstr("gpus: expected an array"));
  EXPECT_THAT(error_of([](Json& j) { j["tensorflow"]["builds"] = Json::array(); }),
              HasSubstr("tensorflow.builds: expected at least one entry"));
  EXPECT_THAT(error_of([](Json& j) { j["gpus"][4] = "Tesla T4"; }),
              HasSubstr("gpus[4]: expected an object"));
}

TEST(KnowledgeBaseJsonTest, RejectsAnUnsupportedSchemaVersion) {
  EXPECT_THAT(error_of([](Json& j) { j["schema_version"] = 2; }),
              HasSubstr("compat.json: schema_version: expected 1, got 2"));
  EXPECT_THAT(error_of([](Json& j) { j.erase("schema_version"); }),
              HasSubstr("schema_version: expected 1, got nothing"));
}

TEST(KnowledgeBaseJsonTest, RejectsTextThatIsNotJson) {
  const auto kb = KnowledgeBase::parse("{\"schema_version\": 1,", "new.json");
  ASSERT_FALSE(kb);
  EXPECT_THAT(kb.error().message, HasSubstr("new.json: not valid JSON"));
  const auto array = KnowledgeBase::parse("[]", "new.json");
  ASSERT_FALSE(array);
  EXPECT_THAT(array.error().message, HasSubstr("expected a JSON object"));
}

TEST(KnowledgeBaseJsonTest, ANewerFileReplacesTheFacts) {
  const auto kb = parse_edited([](Json& j) {
    Json build = j["tensorflow"]["builds"].back();
    build["version"] = "2.22.0";
    j["tensorflow"]["builds"].push_back(build);
  });
  ASSERT_TRUE(kb.has_value());
  EXPECT_EQ(kb->tf_builds().back().version.text(), "2.22.0");
  EXPECT_EQ(kb->origin(), "compat.json");
}

}  // namespace
}  // namespace deepdock::core
