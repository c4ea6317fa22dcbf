#include "app/base_image.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fakes/fake_engine.hpp"
#include "fakes/fake_rootfs_builder.hpp"

namespace deepdock::app {
namespace {

using testing::FakeEngine;
using testing::FakeRootfsBuilder;

constexpr const char* kOfficial = "tensorflow/tensorflow:2.21.0-jupyter";
constexpr const char* kDebootstrapImage = "deepdock/bookworm:minbase";

// FakeEngine that also keeps what import_image was asked and whether the directory still
// existed when it was.
class ImportRecordingEngine : public FakeEngine {
 public:
  std::optional<core::ImportRequest> import_request;
  bool rootfs_existed_at_import = false;

  Result<std::string> import_image(const core::ImportRequest& request,
                                   const core::ProgressFn& progress) override {
    import_request = request;
    rootfs_existed_at_import = std::filesystem::is_directory(request.rootfs_dir);
    return FakeEngine::import_image(request, progress);
  }
};

struct Harness {
  ImportRecordingEngine engine;
  FakeRootfsBuilder builder;
  std::vector<std::string> lines;

  Result<BaseImageAction> ensure(const BaseImageRequest& request) {
    return ensure_base_image(
        engine, builder, request, [](const core::ProgressEvent&) {},
        [this](std::string_view line) { lines.emplace_back(line); });
  }
};

BaseImageRequest official() {
  return {.kind = core::BaseKind::kOfficialImage, .image = kOfficial, .suite = ""};
}

BaseImageRequest debootstrap() {
  return {.kind = core::BaseKind::kDebootstrap, .image = kDebootstrapImage, .suite = "bookworm"};
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(BaseImageTest, PresentImageIsLeftAlone) {
  Harness h;
  h.engine.images[kOfficial] = core::ImageInfo{.id = "sha256:have"};
  auto action = h.ensure(official());
  ASSERT_TRUE(action.has_value()) << action.error().message;
  EXPECT_EQ(*action, BaseImageAction::kPresent);
  EXPECT_EQ(h.engine.calls, std::vector<std::string>{"inspect_image"});
  EXPECT_TRUE(h.builder.calls.empty());
}

TEST(BaseImageTest, PresentDebootstrapImageIsNotRebuilt) {
  Harness h;
  h.engine.images[kDebootstrapImage] = core::ImageInfo{.id = "sha256:have"};
  auto action = h.ensure(debootstrap());
  ASSERT_TRUE(action.has_value()) << action.error().message;
  EXPECT_EQ(*action, BaseImageAction::kPresent);
  EXPECT_TRUE(h.builder.calls.empty());
}

TEST(BaseImageTest, MissingOfficialImageIsPulled) {
  Harness h;
  auto action = h.ensure(official());
  ASSERT_TRUE(action.has_value()) << action.error().message;
  EXPECT_EQ(*action, BaseImageAction::kPulled);
  EXPECT_EQ(h.engine.calls, (std::vector<std::string>{"inspect_image", "pull_image"}));
  EXPECT_TRUE(h.engine.images.contains(kOfficial));
  EXPECT_TRUE(h.builder.calls.empty());
}

TEST(BaseImageTest, MissingImageRefIsPulledNotDebootstrapped) {
  Harness h;
  auto action = h.ensure(
      {.kind = core::BaseKind::kImageRef, .image = "127.0.0.1:5000/envs/base:1", .suite = ""});
  ASSERT_TRUE(action.has_value()) << action.error().message;
  EXPECT_EQ(*action, BaseImageAction::kPulled);
  EXPECT_TRUE(h.engine.images.contains("127.0.0.1:5000/envs/base:1"));
}

TEST(BaseImageTest, MissingDebootstrapImageIsBuiltImportedThenTheDirectoryDiscarded) {
  Harness h;
  auto action = h.ensure(debootstrap());
  ASSERT_TRUE(action.has_value()) << action.error().message;
  EXPECT_EQ(*action, BaseImageAction::kImported);
  ASSERT_EQ(h.builder.built.size(), 1U);
  const std::filesystem::path dir = h.builder.built[0];
  EXPECT_EQ(h.builder.calls,
            (std::vector<std::string>{"build:bookworm", "discard:" + dir.string()}));
  EXPECT_FALSE(std::filesystem::exists(dir));

  ASSERT_TRUE(h.engine.import_request.has_value());
  EXPECT_TRUE(h.engine.rootfs_existed_at_import);
  EXPECT_EQ(h.engine.import_request->rootfs_dir, dir);
  EXPECT_EQ(h.engine.import_request->repository, "deepdock/bookworm");
  EXPECT_EQ(h.engine.import_request->tag, "minbase");
  EXPECT_EQ(h.engine.import_request->changes,
            (std::vector<std::string>{
                R"(CMD ["bash"])",
                R"(LABEL deepdock.managed="true" deepdock.base="debootstrap:bookworm")"}));
  EXPECT_TRUE(h.engine.images.contains(kDebootstrapImage));
  EXPECT_EQ(h.engine.calls, (std::vector<std::string>{"inspect_image", "import_image"}));
  // The builder's output reaches the log, between deepdock's own lines.
  EXPECT_NE(std::find(h.lines.begin(), h.lines.end(), "I: Retrieving InRelease"), h.lines.end());
  EXPECT_TRUE(contains(h.lines.back(), "importing " + dir.string() + " as " + kDebootstrapImage));
}

TEST(BaseImageTest, FailedImportStillDiscardsTheDirectory) {
  Harness h;
  h.engine.failures["import_image"] = Error{ErrorCode::kFailure, "the engine said no", ""};
  auto action = h.ensure(debootstrap());
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kFailure);
  EXPECT_TRUE(contains(action.error().message,
                       "importing the bookworm root file system as "
                       "deepdock/bookworm:minbase: the engine said no"));
  ASSERT_EQ(h.builder.built.size(), 1U);
  EXPECT_EQ(h.builder.calls.back(), "discard:" + h.builder.built[0].string());
  EXPECT_FALSE(std::filesystem::exists(h.builder.built[0]));
}

TEST(BaseImageTest, BuilderFailurePassesThroughWithoutImport) {
  Harness h;
  h.builder.build_failure =
      Error{ErrorCode::kPrecondition, "debootstrap needs root", "run `sudo deepdock up`"};
  auto action = h.ensure(debootstrap());
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kPrecondition);
  EXPECT_EQ(action.error().hint, "run `sudo deepdock up`");
  EXPECT_EQ(std::count(h.engine.calls.begin(), h.engine.calls.end(), "import_image"), 0);
}

TEST(BaseImageTest, DiscardFailureAfterAGoodImportIsOnlyLogged) {
  Harness h;
  h.builder.discard_failure = Error{ErrorCode::kFailure, "device busy", ""};
  auto action = h.ensure(debootstrap());
  ASSERT_TRUE(action.has_value()) << action.error().message;
  EXPECT_EQ(*action, BaseImageAction::kImported);
  EXPECT_TRUE(contains(h.lines.back(), "device busy"));
}

TEST(BaseImageTest, DebootstrapWithoutASuiteIsInvalidInput) {
  Harness h;
  BaseImageRequest request = debootstrap();
  request.suite.clear();
  auto action = h.ensure(request);
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(h.builder.calls.empty());
}

TEST(BaseImageTest, InspectFailureOtherThanMissingPassesThrough) {
  Harness h;
  h.engine.failures["inspect_image"] =
      Error{ErrorCode::kPermissionDenied, "permission denied on the Docker engine socket", "x"};
  auto action = h.ensure(official());
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(h.engine.calls, std::vector<std::string>{"inspect_image"});
}

// What dockerd answers when it cannot reach the registry; each must become the offline hint.
class UnreachableRegistryTest : public ::testing::TestWithParam<std::pair<ErrorCode, std::string>> {
};

TEST_P(UnreachableRegistryTest, IsAPreconditionPointingAtDebootstrapAndTheProxy) {
  Harness h;
  const auto& [code, engine_words] = GetParam();
  h.engine.failures["pull_image"] =
      Error{code, "pulling image tensorflow/tensorflow:2.21.0-jupyter: " + engine_words, "retry"};
  auto action = h.ensure(official());
  ASSERT_FALSE(action.has_value());
  const Error& error = action.error();
  EXPECT_EQ(error.code, ErrorCode::kPrecondition);
  EXPECT_EQ(error.exit_code(), 3);
  EXPECT_TRUE(contains(error.message,
                       "pulling base image tensorflow/tensorflow:2.21.0-jupyter "
                       "from Docker Hub (registry-1.docker.io)"))
      << error.message;
  EXPECT_TRUE(contains(error.message, "cannot reach the registry")) << error.message;
  EXPECT_TRUE(contains(error.message, engine_words)) << error.message;
  EXPECT_TRUE(contains(error.hint, "base: debootstrap:bookworm")) << error.hint;
  EXPECT_TRUE(contains(error.hint, "examples/offline-pytorch.yaml")) << error.hint;
  EXPECT_TRUE(contains(error.hint, "proxy")) << error.hint;
}

INSTANTIATE_TEST_SUITE_P(
    DockerdMessages, UnreachableRegistryTest,
    ::testing::Values(
        std::pair{ErrorCode::kUnavailable,
                  std::string("Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup "
                              "registry-1.docker.io on 10.0.0.2:53: no such host")},
        std::pair{ErrorCode::kUnavailable,
                  std::string("Get \"https://registry-1.docker.io/v2/\": dial tcp "
                              "54.236.113.205:443: i/o timeout")},
        std::pair{ErrorCode::kUnavailable,
                  std::string("dial tcp 127.0.0.1:443: connect: connection refused")},
        std::pair{ErrorCode::kUnavailable, std::string("net/http: TLS handshake timeout")},
        std::pair{ErrorCode::kFailure,
                  std::string("dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: server "
                              "misbehaving")},
        std::pair{ErrorCode::kFailure,
                  std::string("Get \"https://registry-1.docker.io/v2/\": net/http: request "
                              "canceled while waiting for connection (Client.Timeout exceeded "
                              "while awaiting headers)")}));

TEST(BaseImageTest, UnreachablePrivateRegistryIsNamed) {
  Harness h;
  h.engine.failures["pull_image"] =
      Error{ErrorCode::kUnavailable, "dial tcp 10.1.1.1:5000: connect: no route to host", ""};
  auto action = h.ensure(
      {.kind = core::BaseKind::kImageRef, .image = "10.1.1.1:5000/envs/base:1", .suite = ""});
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kPrecondition);
  EXPECT_TRUE(contains(action.error().message, "from 10.1.1.1:5000 failed"))
      << action.error().message;
}

TEST(BaseImageTest, EngineSocketTroubleIsNotBlamedOnTheRegistry) {
  Harness h;
  const Error engine_down{ErrorCode::kPrecondition,
                          "pulling image x: cannot reach the Docker engine at "
                          "unix:///var/run/docker.sock (connection refused)",
                          "is dockerd running?"};
  h.engine.failures["pull_image"] = engine_down;
  auto action = h.ensure(official());
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kPrecondition);
  EXPECT_EQ(action.error().hint, "is dockerd running?");
  EXPECT_FALSE(contains(action.error().hint, "debootstrap"));
}

TEST(BaseImageTest, MissingTagIsInvalidInputNamingTheImage) {
  Harness h;
  h.engine.failures["pull_image"] =
      Error{ErrorCode::kNotFound,
            "pulling image tensorflow/tensorflow:2.21.0-jupyter: manifest for "
            "tensorflow/tensorflow:2.21.0-jupyter not found: manifest unknown: manifest unknown",
            "check the image name"};
  auto action = h.ensure(official());
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(action.error().exit_code(), 2);
  EXPECT_TRUE(contains(action.error().message, "tensorflow/tensorflow:2.21.0-jupyter"));
  EXPECT_TRUE(contains(action.error().message, "no such image or tag"));
  EXPECT_TRUE(contains(action.error().hint, "base:"));
}

TEST(BaseImageTest, OtherPullFailuresKeepTheirCode) {
  Harness h;
  h.engine.failures["pull_image"] = Error{ErrorCode::kPermissionDenied, "unauthorized", "log in"};
  auto action = h.ensure(official());
  ASSERT_FALSE(action.has_value());
  EXPECT_EQ(action.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(action.error().hint, "log in");
  EXPECT_TRUE(contains(action.error().message, "pulling base image"));
}

}  // namespace
}  // namespace deepdock::app
