#include "adapters/host/apt_mirror.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

// Debian 12's own /etc/apt/sources.list.d/debian.sources, security stanza first.
constexpr std::string_view kDebianSources = R"(Types: deb
URIs: http://security.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.org/debian http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
)";

TEST(AptMirrorTest, Deb822TakesTheStanzaOfTheSuiteItselfNotSecurity) {
  EXPECT_EQ(mirror_from_deb822(kDebianSources, "bookworm"), "http://mirror.example.org/debian");
  EXPECT_EQ(mirror_from_deb822(kDebianSources, "bookworm-security"),
            "http://security.debian.org/debian-security");
  EXPECT_EQ(mirror_from_deb822(kDebianSources, "trixie"), std::nullopt);
}

TEST(AptMirrorTest, Deb822SkipsDisabledSourceOnlyAndUnreadableUris) {
  constexpr std::string_view text = R"(Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Enabled: no

types: deb-src
uris: http://source-only.example/debian
suites: bookworm

Types: deb
URIs: mirror+file:/etc/apt/mirrors.txt
Suites: bookworm

TYPES: deb
URIS:
 https://continued.example/debian
SUITES: sid
  bookworm
)";
  EXPECT_EQ(mirror_from_deb822(text, "bookworm"), "https://continued.example/debian");
}

TEST(AptMirrorTest, Deb822LastStanzaWithoutTrailingNewlineCounts) {
  EXPECT_EQ(mirror_from_deb822("Types: deb\nURIs: file:/srv/mirror\nSuites: bookworm", "bookworm"),
            "file:/srv/mirror");
}

TEST(AptMirrorTest, OneLineFormatWithOptionsAndComments) {
  constexpr std::string_view text = R"(# deb http://commented.example/debian bookworm main
deb-src http://src.example/debian bookworm main
deb http://security.debian.org/debian-security bookworm-security main
deb [ arch=amd64 signed-by=/usr/share/keyrings/k.gpg ] http://opts.example/debian bookworm main
deb http://later.example/debian bookworm main
)";
  EXPECT_EQ(mirror_from_sources_list(text, "bookworm"), "http://opts.example/debian");
  EXPECT_EQ(
      mirror_from_sources_list("deb [trusted=yes] http://a.example/d bookworm main", "bookworm"),
      "http://a.example/d");
  EXPECT_EQ(mirror_from_sources_list(text, "trixie"), std::nullopt);
}

class ChooseMirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    apt_ = fs::temp_directory_path() / ("deepdock-apt-" + std::to_string(std::random_device()()));
    fs::create_directories(apt_ / "sources.list.d");
  }
  void TearDown() override { fs::remove_all(apt_); }
  void write(const fs::path& relative, std::string_view text) {
    std::ofstream(apt_ / relative) << text;
  }
  fs::path apt_;
};

TEST_F(ChooseMirrorTest, VariableWinsOverAptSources) {
  write("sources.list.d/debian.sources", kDebianSources);
  const MirrorChoice choice = choose_debian_mirror("bookworm", apt_, " http://var.example/debian ");
  EXPECT_EQ(choice.uri, "http://var.example/debian");
  EXPECT_EQ(choice.origin, "DEEPDOCK_DEBIAN_MIRROR");
}

TEST_F(ChooseMirrorTest, Deb822SourcesComeBeforeTheOneLineList) {
  write("sources.list", "deb http://legacy.example/debian bookworm main\n");
  write("sources.list.d/debian.sources", kDebianSources);
  const MirrorChoice choice = choose_debian_mirror("bookworm", apt_, "");
  EXPECT_EQ(choice.uri, "http://mirror.example.org/debian");
  EXPECT_EQ(choice.origin, (apt_ / "sources.list.d/debian.sources").string());
}

TEST_F(ChooseMirrorTest, OneLineListAndItsDirectoryAreRead) {
  write("sources.list", "deb http://legacy.example/debian trixie main\n");
  write("sources.list.d/extra.list", "deb http://extra.example/debian bookworm main\n");
  EXPECT_EQ(choose_debian_mirror("trixie", apt_, "").uri, "http://legacy.example/debian");
  EXPECT_EQ(choose_debian_mirror("bookworm", apt_, "").uri, "http://extra.example/debian");
}

TEST_F(ChooseMirrorTest, NoSourceForTheSuiteFallsBackToDebiansRedirector) {
  write("sources.list", "deb http://archive.ubuntu.com/ubuntu jammy main\n");
  const MirrorChoice choice = choose_debian_mirror("bookworm", apt_, "");
  EXPECT_EQ(choice.uri, "http://deb.debian.org/debian");
  EXPECT_EQ(choice.origin, "default");
  EXPECT_EQ(choose_debian_mirror("bookworm", apt_ / "missing", "").uri,
            "http://deb.debian.org/debian");
}

}  // namespace
}  // namespace deepdock::adapters::host
