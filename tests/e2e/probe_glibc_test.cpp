// The probe is built on this machine's glibc (2.36) and must run in older images. Here it
// runs, through `up` and `verify`, in an environment whose base is a debootstrapped Debian
// 11 (glibc 2.31, from before glibc 2.34 moved dlopen and the pthread functions into libc:
// the change that breaks binaries built on newer systems). Ubuntu 18.04's 2.27 cannot be
// fetched here; the integration test ProbeBinaryTest.AsksGlibcForNothingNewerThan227 holds
// the binary to its symbol versions.
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

TEST(ProbeGlibcTest, RunsInADebian11EnvironmentWithGlibc231) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  TempDir dir;
  const E2eEnv e2e = e2e_env(dir.path() / "state", docker_host);
  const std::string name = "e2e-bullseye-" + unique_suffix();
  const EnvironmentCleanup cleanup(e2e.env, name);
  const fs::path spec = dir.path() / "deepdock.yaml";
  write_file(spec, fmt::format("name: {}\nframework: none\nbase: debootstrap:bullseye\n"
                               "jupyter: none\ntensorboard: false\nnetwork: host\n",
                               name));
  const BinaryRun up = testing::run_deepdock({"up", "--json", "-f", spec.string()}, e2e.env);
  ASSERT_EQ(up.exit_code, 0) << up.stderr_text;
  const auto summary = parse_json(up.stdout_text);
  const std::string container = summary["container"]["id"];
  EXPECT_NE(docker("exec " + container + " ldd --version").find("2.31"), std::string::npos)
      << "the environment is not glibc 2.31";

  const BinaryRun verify =
      testing::run_deepdock({"verify", "--json", "-f", spec.string()}, e2e.env);
  EXPECT_EQ(verify.exit_code, 0) << verify.stderr_text;
  const auto verified = parse_json(verify.stdout_text);
  EXPECT_TRUE(verified["passed"].get<bool>()) << verify.stdout_text;
  EXPECT_TRUE(verified["native"]["ran"].get<bool>()) << verify.stdout_text;
  EXPECT_EQ(verified["native"]["verdict"], "no-gpu");

  // Run by hand there, it gives its human summary and the same verdict.
  int exit_code = -1;
  const std::string text = shell_output(
      fmt::format("DOCKER_HOST={} docker exec {} /tmp/deepdock-probe 2>&1", docker_host, container),
      &exit_code);
  EXPECT_EQ(exit_code, 0) << text;
  EXPECT_EQ(text.rfind("deepdock-probe: no GPU", 0), 0U) << text;
}

}  // namespace
}  // namespace deepdock::e2e
