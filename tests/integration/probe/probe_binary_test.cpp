// The probe as it ships, the bytes embedded in deepdock: what it asks of the C library
// (nothing newer than Ubuntu 18.04's glibc 2.27), and that it runs for real: on this host,
// where there is no GPU, and in a container of the base image through run_probe_check (the
// engine's archive endpoint, exec, and the judge).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "app/probe_check.hpp"
#include "cli/embedded_probe.hpp"
#include "integration/docker/engine_test_support.hpp"
#include "support/run_binary.hpp"

namespace deepdock::adapters::docker::integration {
namespace {

namespace fs = std::filesystem;

// The embedded probe written out as an executable file.
class ProbeFile {
 public:
  ProbeFile() : path_(fs::temp_directory_path() / ("deepdock-probe-it-" + run_id())) {
    const std::string_view bytes = cli::embedded_probe();
    std::ofstream(path_, std::ios::binary).write(bytes.data(), static_cast<long>(bytes.size()));
    fs::permissions(path_, fs::perms::owner_all);
  }
  ~ProbeFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  ProbeFile(const ProbeFile&) = delete;
  ProbeFile& operator=(const ProbeFile&) = delete;
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// "2.27" -> {2, 27}.
std::pair<int, int> version_of(const std::string& text) {
  const size_t dot = text.find('.');
  const size_t second = text.find('.', dot + 1);
  return {std::stoi(text.substr(0, dot)),
          std::stoi(text.substr(
              dot + 1, second == std::string::npos ? std::string::npos : second - dot - 1))};
}

// The first group of every match of `pattern` in `text`.
std::set<std::string> captures(const std::string& text, const std::regex& pattern) {
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    found.insert((*it)[1]);
  }
  return found;
}

TEST(ProbeBinaryTest, AsksGlibcForNothingNewerThan227) {
  const ProbeFile probe;
  const auto run =
      deepdock::testing::run_program({"readelf", "--version-info", "--wide", probe.path()});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const std::set<std::string> versions =
      captures(run.stdout_text, std::regex(R"(Name: GLIBC_([0-9.]+))"));
  ASSERT_FALSE(versions.empty()) << run.stdout_text;
  for (const std::string& version : versions) {
    EXPECT_LE(version_of(version), std::make_pair(2, 27))
        << "the probe needs GLIBC_" << version
        << ", which Ubuntu 18.04 lacks: bind the call to an older version in "
           "src/probe/glibc_compat.hpp\n"
        << run.stdout_text;
  }
  EXPECT_EQ(run.stdout_text.find("GLIBCXX_"), std::string::npos) << "libstdc++ must be static";
}

TEST(ProbeBinaryTest, LoadsOnlyTheCLibraryAndLibdl) {
  const ProbeFile probe;
  const auto run = deepdock::testing::run_program({"readelf", "--dynamic", probe.path()});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const std::set<std::string> libraries =
      captures(run.stdout_text, std::regex(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])"));
  const std::set<std::string> allowed{"libc.so.6", "libdl.so.2", "ld-linux-x86-64.so.2",
                                      "ld-linux-aarch64.so.1"};
  EXPECT_TRUE(libraries.contains("libdl.so.2")) << "dlopen lives there before glibc 2.34";
  for (const std::string& library : libraries) {
    EXPECT_TRUE(allowed.contains(library)) << "the probe must not need " << library;
  }
}

TEST(ProbeBinaryTest, OnThisHostWithoutAGpuItReportsNoGpuAndFailsOnlyWhenOneIsExpected) {
  const ProbeFile probe;
  const auto run = deepdock::testing::run_program({probe.path(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto report = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(report["verdict"], "no-gpu");
  EXPECT_EQ(report["nvml"]["library"]["loaded"], false);
  EXPECT_NE(report["nvml"]["library"]["error"].get<std::string>().find("libnvidia-ml.so.1"),
            std::string::npos);
  EXPECT_TRUE(report["framework"].is_null());

  const auto expecting = deepdock::testing::run_program({probe.path(), "--expect-gpu"});
  EXPECT_EQ(expecting.exit_code, 1);
  EXPECT_EQ(expecting.stdout_text.rfind("deepdock-probe: no GPU", 0), 0U) << expecting.stdout_text;
  EXPECT_NE(expecting.stdout_text.find("error: the container has no NVIDIA GPU"),
            std::string::npos);
}

TEST(ProbeBinaryTest, AFixtureTreeWithAGpuNodeButNoDriverIsBroken) {
  const ProbeFile probe;
  const auto run = deepdock::testing::run_program(
      {probe.path(), "--json", "--root", DEEPDOCK_TESTDATA_DIR "/hosts/healthy"});
  EXPECT_EQ(run.exit_code, 1) << run.stdout_text;
  const auto report = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(report["verdict"], "gpu-broken");
  EXPECT_EQ(report["device_nodes"]["gpus"], std::vector<std::string>{"nvidia0"});
  ASSERT_FALSE(report["problems"].empty());
  EXPECT_EQ(report["problems"][0]["severity"], "error");
}

TEST(ProbeBinaryTest, BadArgumentsAreExit2WithTheUsage) {
  const ProbeFile probe;
  const auto run = deepdock::testing::run_program({probe.path(), "--bandwidth-mib", "lots"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("--bandwidth-mib takes a whole number"), std::string::npos)
      << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("usage: deepdock-probe"), std::string::npos);
}

TEST(ProbeBinaryTest, RunsTheFrameworkCheckProgramAndKeepsItsResult) {
  const ProbeFile probe;
  const fs::path script = fs::temp_directory_path() / ("deepdock-check-" + run_id() + ".py");
  std::ofstream(script) << "import sys\nsys.stdout.write('DEEPDOCK_CHECK {\"framework\": "
                           "\"none\", \"n\": %d}\\n' % (6 * 7))\n"
                           "print('DEEPDOCK_SUMMARY forty-two')\n";
  const auto run = deepdock::testing::run_program(
      {probe.path(), "--json", "--framework-check", script.string()});
  fs::remove(script);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto report = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(report["framework"]["ran"], true);
  EXPECT_EQ(nlohmann::json::parse(report["framework"]["result"].get<std::string>())["n"], 42);
  EXPECT_EQ(report["framework"]["summary"], "forty-two");
}

// In a container of the base image (a debootstrapped Debian without Python): copied in
// through the archive endpoint and run by the same code `up` and `verify` use.
TEST(ProbeBinaryTest, RunsInAContainerThroughTheArchiveEndpoint) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(base_image, "DEEPDOCK_TEST_BASE_IMAGE");
  auto engine = engine_for(docker_host);
  ASSERT_TRUE(engine) << engine.error().message;
  const auto base = (*engine)->inspect_image(base_image);
  DEEPDOCK_REQUIRE_OK(base, "the base image " + base_image + " is missing");
  Cleanup cleanup(**engine);
  const auto id = (*engine)->create_container(idle_container(base_image, "deepdock-it-probe"));
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  ASSERT_TRUE((*engine)->start_container(*id));

  core::Resolution cpu;
  cpu.framework = core::Framework::kNone;
  const app::Verification passed =
      app::run_probe_check(**engine, *id, cpu, cli::embedded_probe(), "now");
  EXPECT_TRUE(passed.passed) << passed.problem;
  EXPECT_TRUE(passed.native.ran);
  EXPECT_EQ(passed.native.verdict, "no-gpu");
  EXPECT_EQ(passed.device, "cpu");

  core::Resolution gpu = cpu;
  gpu.gpu = true;
  const app::Verification failed =
      app::run_probe_check(**engine, *id, gpu, cli::embedded_probe(), "now");
  EXPECT_FALSE(failed.passed);
  EXPECT_NE(failed.problem.find("no /dev/nvidia* device nodes"), std::string::npos)
      << failed.problem;
}

}  // namespace
}  // namespace deepdock::adapters::docker::integration
