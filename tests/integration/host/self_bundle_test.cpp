// The bundle the bootstrap copies to a host (adapters/host/self_bundle), made of the built
// deepdock and the libraries this test has loaded (a superset of deepdock's), unpacked by
// tar in containers of Debian 12 (the test base image) and of Debian 11 (glibc 2.31, older
// than this machine's), and run there through the launcher: it plans the container's own
// bootstrap with this machine's C library and loader.
#include "adapters/host/self_bundle.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/host_agent.hpp"
#include "integration/docker/engine_test_support.hpp"
#include "support/run_binary.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

using docker::integration::Cleanup;
using docker::integration::engine_for;
using docker::integration::idle_container;
using docker::integration::run_id;

// What the built deepdock loads, as the loader resolves it here (`ldd`): the objects
// dl_iterate_phdr lists in a running deepdock, which this test process is not.
std::vector<std::filesystem::path> deepdock_objects() {
  const auto listed = testing::run_program({"ldd", DEEPDOCK_BINARY});
  std::vector<std::filesystem::path> objects;
  for (const std::string& line : util::split(listed.stdout_text, '\n')) {
    const size_t arrow = line.find("=> /");
    if (arrow != std::string::npos) {
      const std::string path = line.substr(arrow + 3);
      objects.emplace_back(path.substr(0, path.find(' ')));
    }
  }
  return objects;
}

Result<SelfBundle> deepdock_bundle() {
  return bundle_of(DEEPDOCK_BINARY, deepdock_objects());
}

TEST(SelfBundleTest, ThisProcessesLoadedObjectsAreFilesWithoutTheVdso) {
  const auto objects = loaded_objects();
  ASSERT_FALSE(objects.empty());
  for (const auto& object : objects) {
    EXPECT_TRUE(std::filesystem::exists(object)) << object;
    EXPECT_EQ(object.string().find("vdso"), std::string::npos) << object;
  }
}

TEST(SelfBundleTest, HoldsTheExecutableItsLibrariesAndItsLoader) {
  const auto bundle = deepdock_bundle();
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ(bundle->interpreter, "ld-linux-x86-64.so.2");
  std::vector<std::string> names;
  for (const BundleFile& file : bundle->files) {
    names.push_back(file.name);
  }
  for (const std::string_view name :
       {"bin/deepdock", "lib/ld-linux-x86-64.so.2", "lib/libc.so.6", "lib/libstdc++.so.6"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), std::string(name)), names.end()) << name;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const std::string& name : names) {
    EXPECT_EQ(name.find("vdso"), std::string::npos) << name;
  }
  const auto again = deepdock_bundle();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->hash, bundle->hash) << "the same files hash the same";
}

// Unpacks the bundle in a container of `image` and runs `deepdock bootstrap --dry-run`
// through the launcher; the plan it prints.
std::string run_in(core::ContainerEngine& engine, Cleanup& cleanup, const std::string& image,
                   const std::string& archive, const SelfBundle& bundle) {
  const auto id = engine.create_container(idle_container(image, "deepdock-it-bundle"));
  EXPECT_TRUE(id) << id.error().message;
  if (!id) {
    return "";
  }
  cleanup.container(*id);
  EXPECT_TRUE(engine.start_container(*id));
  const std::string dir = app::bundle_dir(bundle.hash);
  EXPECT_TRUE(engine.put_file(*id, "/tmp/bundle.tar.gz", archive, 0644));
  EXPECT_TRUE(
      engine.put_file(*id, "/tmp/launcher", app::launcher_script(dir, bundle.interpreter), 0755));
  const std::string unpack =
      "mkdir -p \"$1\" \"$(dirname \"$2\")\" && tar -xzf /tmp/bundle.tar.gz -C \"$1\" && "
      "cp /tmp/launcher \"$2\"";
  const auto unpacked =
      engine.exec(*id, {.cmd = {"sh", "-c", unpack, "sh", dir, app::kHostLauncher}}, nullptr);
  EXPECT_TRUE(unpacked && unpacked->exit_code == 0)
      << (unpacked ? unpacked->stderr_text : unpacked.error().message);
  const auto ran = engine.exec(
      *id, {.cmd = {app::kHostLauncher, "bootstrap", "--dry-run"}, .working_dir = "/tmp"}, nullptr);
  EXPECT_TRUE(ran) << ran.error().message;
  if (!ran) {
    return "";
  }
  EXPECT_EQ(ran->exit_code, 0) << ran->stderr_text;
  return ran->stdout_text;
}

// Unpacks and runs the bundle in a container of `image`: the plan it prints.
std::string plan_in_image(const std::string& docker_host, const std::string& image) {
  const auto engine = engine_for(docker_host);
  EXPECT_TRUE(engine) << engine.error().message;
  const auto bundle = deepdock_bundle();
  EXPECT_TRUE(bundle) << bundle.error().message;
  const auto archive = bundle ? bundle_archive(*bundle) : Result<std::string>();
  EXPECT_TRUE(archive) << archive.error().message;
  if (!engine || !bundle || !archive) {
    return "";
  }
  Cleanup cleanup(**engine);
  return run_in(**engine, cleanup, image, *archive, *bundle);
}

TEST(SelfBundleTest, RunsInAContainerOfTheTestBaseImage) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(base_image, "DEEPDOCK_TEST_BASE_IMAGE");
  auto engine = engine_for(docker_host);
  ASSERT_TRUE(engine) << engine.error().message;
  const auto base = (*engine)->inspect_image(base_image);
  DEEPDOCK_REQUIRE_OK(base, "the base image " + base_image + " is missing");
  const std::string plan = plan_in_image(docker_host, base_image);
  EXPECT_NE(plan.find("(debian 12)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("docker-engine"), std::string::npos) << plan;
}

// Debian 11's glibc (2.31) is older than the one deepdock was built with: the bundle's own
// C library and loader run it anyway.
TEST(SelfBundleTest, RunsInAContainerOfAnOlderGlibc) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  auto engine = engine_for(docker_host);
  ASSERT_TRUE(engine) << engine.error().message;
  // The image `base: debootstrap:bullseye` makes (tests/e2e/probe_glibc_test makes it).
  const std::string image = "deepdock/bullseye:minbase";
  const auto found = (*engine)->inspect_image(image);
  if (!found) {
    GTEST_SKIP() << image << " is not in the engine: the e2e ProbeGlibcTest makes it";
  }
  const std::string plan = plan_in_image(docker_host, image);
  EXPECT_NE(plan.find("(debian 11)"), std::string::npos) << plan;
}

}  // namespace
}  // namespace deepdock::adapters::host
