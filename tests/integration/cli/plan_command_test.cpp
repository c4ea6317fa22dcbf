// End-to-end: `deepdock plan` through the built binary. It needs no engine: plan changes
// nothing and reads only the spec, the knowledge base and (here) the --gpu/--driver flags.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/run_binary.hpp"

namespace deepdock::testing {
namespace {

std::string write_spec(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string examples(const std::string& name) {
  return (std::filesystem::path(DEEPDOCK_TESTDATA_DIR) / "../../examples" / name).string();
}

TEST(PlanCommandTest, K80WithTf215ExitsThreeWithEveryViolationAndAlternatives) {
  const auto spec =
      write_spec("k80.yaml", "framework: tensorflow\nversion: \"2.15\"\ngpu: required\n");
  const auto run =
      run_deepdock({"plan", "--json", "-f", spec, "--gpu", "K80", "--driver", "470.82.01"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  const auto body = nlohmann::json::parse(run.stdout_text);
  ASSERT_TRUE(body.contains("conflict")) << run.stdout_text;
  std::set<std::string> constraints;
  for (const auto& v : body["conflict"]["violations"]) {
    constraints.insert(v["constraint"]);
  }
  EXPECT_TRUE(constraints.count("compute capability")) << run.stdout_text;
  EXPECT_TRUE(constraints.count("driver")) << run.stdout_text;
  bool older_tf = false;
  bool t4_on_gcp = false;
  for (const auto& a : body["conflict"]["alternatives"]) {
    older_tf = older_tf || a["framework_version"] == "2.14.0";
    for (const auto& accel : a["gcp_accelerators"]) {
      t4_on_gcp = t4_on_gcp || accel == "nvidia-tesla-t4";
    }
  }
  EXPECT_TRUE(older_tf) << "the newest TensorFlow that runs on a K80 is offered";
  EXPECT_TRUE(t4_on_gcp) << "current GPUs that run 2.15 are named with their GCP types";
  EXPECT_NE(run.stdout_text.find("retired"), std::string::npos)
      << "the K80's end of life is a warning";
  EXPECT_EQ(run.stderr_text.find("\"error\""), std::string::npos) << "one JSON document only";
}

TEST(PlanCommandTest, T4WithDriver535GetsTf215AndTheStepsOfUp) {
  const auto run = run_deepdock({"plan", "--json", "-f", examples("tensorflow-gpu.yaml"), "--gpu",
                                 "Tesla T4", "--driver", "535.183.01"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto body = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(body["resolution"]["framework_version"], "2.15.0");
  EXPECT_EQ(body["resolution"]["cuda"], "12.2");
  EXPECT_TRUE(body["resolution"]["gpu"].get<bool>());
  const std::string image = body["image"];
  EXPECT_EQ(image.rfind("deepdock/bert-score:", 0), 0U) << image;
  std::vector<std::string> ids;
  for (const auto& step : body["steps"]) {
    ids.push_back(step["id"]);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"probe", "base-image", "build-image", "container",
                                           "await", "verify"}));
  EXPECT_NE(body["dockerfile"].get<std::string>().find("USER 1000:1000"), std::string::npos);
}

TEST(PlanCommandTest, PlanIsDeterministic) {
  const std::vector<std::string> args = {
      "plan",  "--json",   "-f",       examples("tensorflow-gpu.yaml"),
      "--gpu", "Tesla T4", "--driver", "535.183.01"};
  const auto first = run_deepdock(args);
  const auto second = run_deepdock(args);
  ASSERT_EQ(first.exit_code, 0);
  EXPECT_EQ(first.stdout_text, second.stdout_text);
}

TEST(PlanCommandTest, OfflinePytorchExampleUsesDebiansPackages) {
  const auto run =
      run_deepdock({"plan", "--json", "-f", examples("offline-pytorch.yaml"), "--driver", "none"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto body = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(body["resolution"]["base_image"], "debootstrap:bookworm");
  EXPECT_EQ(body["resolution"]["apt_packages"], nlohmann::json::array({"python3-torch"}));
  EXPECT_FALSE(body["resolution"]["gpu"].get<bool>());
}

TEST(PlanCommandTest, InvalidSpecExitsTwoWithEveryProblemAndItsPosition) {
  const auto spec = write_spec("bad.yaml", "framwork: tensorflow\ngpu: sometimes\n");
  const auto run = run_deepdock({"plan", "-f", spec});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("bad.yaml:1:1:"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("did you mean 'framework'"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("bad.yaml:2:6:"), std::string::npos) << run.stderr_text;
}

TEST(PlanCommandTest, MissingSpecFileIsAUsageError) {
  const auto run = run_deepdock({"plan", "-f", "/nonexistent/deepdock.yaml"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("/nonexistent/deepdock.yaml"), std::string::npos);
}

TEST(PlanCommandTest, MalformedCompatFileIsRejectedClearly) {
  const auto compat = write_spec("compat.json", R"({"schema_version": "one"})");
  const auto run = run_deepdock({"plan", "--compat", compat, "--gpu", "Tesla T4"});
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("compat.json"), std::string::npos) << run.stderr_text;
}

TEST(PlanCommandTest, UnknownGpuFlagNamesTheModel) {
  const auto run = run_deepdock({"plan", "--gpu", "Voodoo 5"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("Voodoo 5"), std::string::npos);
}

TEST(PlanCommandTest, ExplainShowsWhyEachChoiceWasMade) {
  const auto run = run_deepdock({"plan", "--explain", "-f", examples("tensorflow-gpu.yaml"),
                                 "--gpu", "Tesla T4", "--driver", "535.183.01"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stdout_text.find("why\n"), std::string::npos);
  EXPECT_NE(run.stdout_text.find("source:"), std::string::npos);
  EXPECT_NE(run.stdout_text.find("[unverified]"), std::string::npos)
      << "facts marked unverified in the data are flagged";
}

}  // namespace
}  // namespace deepdock::testing
