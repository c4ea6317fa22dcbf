// Importing a root file system into the real engine (DOCKER_HOST), and making sure a base
// image exists (app::ensure_base_image) against it: owners, modes and links must survive
// the import, the imported image must carry its CMD and labels, and a registry the engine
// cannot reach must come back as the precondition error that points at debootstrap.
//
// How owners are proved: the imported image has no programs to run, so a container is
// created from it (never started) and the engine is asked for its files
// (GET /containers/{id}/archive). The engine writes that tar from the container's mounted
// file system, i.e. from the layer the import unpacked, with the owners, modes and links
// found there.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/docker/engine_request.hpp"
#include "app/base_image.hpp"
#include "engine_test_support.hpp"
#include "fakes/fake_rootfs_builder.hpp"

namespace deepdock::adapters::docker::integration {
namespace {

namespace fs = std::filesystem;

// One entry of the engine's tar, as the engine wrote it.
struct EngineEntry {
  unsigned int type = 0;
  int64_t uid = -1;
  int64_t gid = -1;
  unsigned int perm = 0;
  std::string symlink;
  std::string hardlink;
  std::map<std::string, std::string> xattrs;
};

std::map<std::string, EngineEntry> tar_entries(const std::string& bytes) {
  std::map<std::string, EngineEntry> out;
  archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  if (archive_read_open_memory(reader, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    ADD_FAILURE() << "the engine's archive is not a tar";
    archive_read_free(reader);
    return out;
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    EngineEntry read;
    read.type = archive_entry_filetype(entry);
    read.uid = archive_entry_uid(entry);
    read.gid = archive_entry_gid(entry);
    read.perm = archive_entry_perm(entry);
    read.symlink = archive_entry_symlink(entry) != nullptr ? archive_entry_symlink(entry) : "";
    read.hardlink = archive_entry_hardlink(entry) != nullptr ? archive_entry_hardlink(entry) : "";
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    archive_entry_xattr_reset(entry);
    while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
      read.xattrs[name] = std::string(static_cast<const char*>(value), size);
    }
    std::string path = archive_entry_pathname(entry);
    while (!path.empty() && path.back() == '/') {
      path.pop_back();
    }
    out[path] = read;
  }
  archive_read_free(reader);
  return out;
}

// Raw Engine API requests, for what the port does not expose (a container's files as a
// tar, an image's config).
class RawEngine {
 public:
  explicit RawEngine(const std::string& docker_host) {
    auto endpoint = parse_docker_host(docker_host, "DOCKER_HOST");
    http::TransportConfig config;
    if (endpoint && endpoint->kind == EngineEndpoint::Kind::kUnix) {
      config.unix_socket = endpoint->unix_path;
    } else if (endpoint) {
      config.base_url = endpoint->url;
    }
    transport_ = std::make_unique<http::CurlTransport>(std::move(config));
  }
  Result<std::string> get(const std::string& target) {
    TRY_ASSIGN(const core::HttpResponse response, transport_->send({.target = target}));
    if (!response.ok()) {
      return fail(ErrorCode::kFailure, "GET " + target + ": HTTP " +
                                           std::to_string(response.status) + " " + response.body);
    }
    return response.body;
  }

 private:
  std::unique_ptr<http::CurlTransport> transport_;
};

class ImportImageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
    auto engine = engine_for(docker_host);
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(*engine);
    const auto info = engine_->info();
    DEEPDOCK_REQUIRE_OK(info, "the Docker engine at " + docker_host + " does not answer");
    raw_ = std::make_unique<RawEngine>(docker_host);
  }

  std::unique_ptr<DockerEngine> engine_;
  std::unique_ptr<RawEngine> raw_;
};

// The capability set `setcap cap_net_raw+ep` writes (version 2, bit 13).
const std::string kNetRawCapability(
    "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00",
    20);

TEST_F(ImportImageTest, OwnersModesAndLinksSurviveTheImport) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "making files with other owners needs root";
  }
  Cleanup cleanup(*engine_);
  const fs::path root = cleanup.temp_dir("import-rootfs");
  fs::create_directories(root / "usr/bin");
  fs::create_directories(root / "home/user");
  fs::create_directories(root / "etc");
  write_file(root / "etc/hostname", "imported\n");
  write_file(root / "usr/bin/su", "pretend setuid binary\n");
  write_file(root / "usr/bin/perl", "linked twice\n");
  write_file(root / "usr/bin/ping", "pretend ping\n");
  write_file(root / "home/user/notes", "private\n");
  ASSERT_EQ(::chmod((root / "usr/bin/su").c_str(), 04755), 0);
  ASSERT_EQ(::chmod((root / "usr/bin/perl").c_str(), 0755), 0);
  ASSERT_EQ(::chown((root / "home/user").c_str(), 1000, 1000), 0);
  ASSERT_EQ(::chown((root / "home/user/notes").c_str(), 1000, 2000), 0);
  ASSERT_EQ(::chmod((root / "home/user/notes").c_str(), 0600), 0);
  ASSERT_EQ(::chown((root / "usr/bin/ping").c_str(), 0, 42), 0);
  fs::create_hard_link(root / "usr/bin/perl", root / "usr/bin/perl5.36");
  fs::create_symlink("usr/bin", root / "bin");
  ASSERT_EQ(::mkfifo((root / "usr/initctl").c_str(), 0600), 0);
  const bool has_capability =
      ::setxattr((root / "usr/bin/ping").c_str(), "security.capability", kNetRawCapability.data(),
                 kNetRawCapability.size(), 0) == 0;

  const std::string repository = "deepdock-it/import-" + run_id();
  const std::string image = repository + ":rootfs";
  cleanup.image(image);
  std::vector<core::ProgressEvent> events;
  auto id = engine_->import_image(
      {.rootfs_dir = root,
       .repository = repository,
       .tag = "rootfs",
       .changes = {R"(CMD ["bash"])", R"(LABEL deepdock.test-run=")" + run_id() + "\""}},
      [&](const core::ProgressEvent& event) { events.push_back(event); });
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_TRUE(id->starts_with("sha256:")) << *id;
  EXPECT_FALSE(events.empty()) << "the import's progress stream was not decoded";
  const auto inspected = engine_->inspect_image(image);
  ASSERT_TRUE(inspected) << inspected.error().message;
  EXPECT_EQ(inspected->id, *id);
  EXPECT_EQ(inspected->labels.at("deepdock.test-run"), run_id());

  core::ContainerSpec spec;
  spec.name = "deepdock-it-import-" + run_id();
  spec.image = image;
  spec.network_mode = "none";
  spec.labels = {{"deepdock.managed", "true"}, {"deepdock.test-run", run_id()}};
  auto container = engine_->create_container(spec);
  ASSERT_TRUE(container) << container.error().message;
  cleanup.container(*container);

  std::map<std::string, EngineEntry> files;
  for (const char* path : {"/home", "/usr", "/bin", "/etc"}) {
    Query query;
    query.add("path", std::string_view(path));
    auto tar = raw_->get("/containers/" + *container + "/archive" + query.str());
    ASSERT_TRUE(tar) << tar.error().message;
    files.merge(tar_entries(*tar));
  }
  ASSERT_TRUE(files.contains("home/user/notes"));
  EXPECT_EQ(files["home/user"].uid, 1000);
  EXPECT_EQ(files["home/user"].gid, 1000);
  EXPECT_EQ(files["home/user/notes"].uid, 1000);
  EXPECT_EQ(files["home/user/notes"].gid, 2000);
  EXPECT_EQ(files["home/user/notes"].perm, 0600U);
  EXPECT_EQ(files["usr/bin/su"].perm, 04755U);
  EXPECT_EQ(files["usr/bin/su"].uid, 0);
  EXPECT_EQ(files["usr/bin/ping"].gid, 42);
  EXPECT_EQ(files["bin"].type, static_cast<unsigned int>(AE_IFLNK));
  EXPECT_EQ(files["bin"].symlink, "usr/bin");
  EXPECT_EQ(files["usr/initctl"].type, static_cast<unsigned int>(AE_IFIFO));
  // One of the two names is a hard link to the other, whichever the engine met first.
  const std::string perl_link = files["usr/bin/perl"].hardlink + files["usr/bin/perl5.36"].hardlink;
  EXPECT_TRUE(perl_link == "usr/bin/perl" || perl_link == "usr/bin/perl5.36")
      << "perl and perl5.36 are no longer one file: \"" << perl_link << "\"";
  if (has_capability) {
    EXPECT_EQ(files["usr/bin/ping"].xattrs["security.capability"], kNetRawCapability)
        << "the file capability was lost";
  }
}

TEST_F(ImportImageTest, MissingDirectoryFailsBeforeTheEngineIsAsked) {
  auto id = engine_->import_image({.rootfs_dir = "/nonexistent/deepdock-rootfs",
                                   .repository = "deepdock-it/never-" + run_id(),
                                   .tag = "x",
                                   .changes = {}},
                                  {});
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(engine_->inspect_image("deepdock-it/never-" + run_id() + ":x"));
}

TEST_F(ImportImageTest, EnsureBaseImageImportsWithCmdAndLabelsThenFindsItPresent) {
  Cleanup cleanup(*engine_);
  const std::string image = "deepdock-it/base-" + run_id() + ":minbase";
  cleanup.image(image);
  testing::FakeRootfsBuilder builder;
  const app::BaseImageRequest request{
      .kind = core::BaseKind::kDebootstrap, .image = image, .suite = "bookworm"};
  std::vector<std::string> lines;
  auto action = app::ensure_base_image(*engine_, builder, request, {},
                                       [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(action) << action.error().message;
  EXPECT_EQ(*action, app::BaseImageAction::kImported);
  ASSERT_EQ(builder.built.size(), 1U);
  EXPECT_FALSE(fs::exists(builder.built[0])) << "the root file system was not discarded";

  // Docker 20.10 applies LABEL in an import's changes: the labels are there.
  const auto inspected = engine_->inspect_image(image);
  ASSERT_TRUE(inspected) << inspected.error().message;
  EXPECT_EQ(inspected->labels.at("deepdock.managed"), "true");
  EXPECT_EQ(inspected->labels.at("deepdock.base"), "debootstrap:bookworm");
  auto config = raw_->get("/images/" + path_segment(image) + "/json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(nlohmann::json::parse(*config)["Config"]["Cmd"], nlohmann::json({"bash"}));

  auto again = app::ensure_base_image(*engine_, builder, request, {}, {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, app::BaseImageAction::kPresent);
  EXPECT_EQ(builder.built.size(), 1U);
}

// Pulls through ensure_base_image from registries the engine cannot reach: a name that
// never resolves (.invalid, RFC 2606) and a port nothing listens on.
class UnreachableRegistryTest
    : public ImportImageTest,
      public ::testing::WithParamInterface<std::pair<const char*, const char*>> {};

TEST_P(UnreachableRegistryTest, PullIsAPreconditionThatPointsAtDebootstrap) {
  const auto& [image, engine_words] = GetParam();
  testing::FakeRootfsBuilder builder;
  const auto start = std::chrono::steady_clock::now();
  auto action = app::ensure_base_image(
      *engine_, builder, {.kind = core::BaseKind::kImageRef, .image = image, .suite = ""}, {}, {});
  ASSERT_FALSE(action) << "pulling " << image << " worked";
  const Error& error = action.error();
  EXPECT_EQ(error.code, ErrorCode::kPrecondition) << error.message;
  EXPECT_EQ(error.exit_code(), 3);
  EXPECT_NE(error.message.find(std::string("pulling base image ") + image), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("cannot reach the registry"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find(engine_words), std::string::npos) << error.message;
  EXPECT_NE(error.hint.find("debootstrap:bookworm"), std::string::npos) << error.hint;
  EXPECT_NE(error.hint.find("proxy"), std::string::npos) << error.hint;
  EXPECT_TRUE(builder.calls.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

INSTANTIATE_TEST_SUITE_P(
    Engine, UnreachableRegistryTest,
    ::testing::Values(std::pair{"registry.invalid/deepdock/none:1", "no such host"},
                      std::pair{"127.0.0.1:1/deepdock/none:1", "connection refused"}));

TEST_F(ImportImageTest, MissingTagInAReachableRegistryIsInvalidInput) {
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  testing::FakeRootfsBuilder builder;
  const std::string image = registry + "/deepdock-it/missing-" + run_id() + ":1";
  auto action = app::ensure_base_image(
      *engine_, builder, {.kind = core::BaseKind::kImageRef, .image = image, .suite = ""}, {}, {});
  ASSERT_FALSE(action);
  EXPECT_EQ(action.error().code, ErrorCode::kInvalidInput) << action.error().message;
  EXPECT_NE(action.error().message.find(image), std::string::npos) << action.error().message;
  EXPECT_NE(action.error().hint.find("base:"), std::string::npos) << action.error().hint;
}

}  // namespace
}  // namespace deepdock::adapters::docker::integration
