// The metadata server through the real transport: a loopback server that answers as GCE's
// does (Metadata-Flavor: Google both ways), found through GCE_METADATA_HOST / GCE_METADATA_IP.
#include <gtest/gtest.h>

#include <atomic>

#include "adapters/gcp/default_credentials.hpp"
#include "adapters/gcp/metadata_server.hpp"
#include "fakes/fake_state_store.hpp"
#include "integration/http/test_server.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

constexpr std::string_view kVmToken = "ya29.c.metadata-vm-token";

class AuthMetadataTest : public ::testing::Test {
 protected:
  // The real server refuses requests without the header (403).
  static bool flavored(const httplib::Request& request, httplib::Response& response) {
    response.set_header("Metadata-Flavor", "Google");
    if (request.get_header_value("Metadata-Flavor") != "Google") {
      response.status = 403;
      return false;
    }
    return true;
  }

  void SetUp() override {
    auto& http = server_.http();
    http.Get("/", [](const httplib::Request& /*request*/, httplib::Response& response) {
      response.set_header("Metadata-Flavor", "Google");
      response.set_content("computeMetadata/\n", "application/text");
    });
    http.Get("/computeMetadata/v1/instance/service-accounts/default/token",
             [this](const httplib::Request& request, httplib::Response& response) {
               if (!flavored(request, response)) {
                 return;
               }
               scopes_ = request.get_param_value("scopes");
               response.set_content(R"({"access_token":")" + std::string(kVmToken) +
                                        R"(","expires_in":3599,"token_type":"Bearer"})",
                                    "application/json");
             });
    http.Get("/computeMetadata/v1/project/project-id",
             [](const httplib::Request& request, httplib::Response& response) {
               if (flavored(request, response)) {
                 response.set_content("vm-project", "application/text");
               }
             });
    host_ = server_.start_tcp().substr(std::string_view("http://").size());
  }

  std::unique_ptr<DefaultCredentials> chain(std::map<std::string, std::string> env) {
    env["CLOUDSDK_CONFIG"] = scratch_.path().string();
    AuthContext context;
    context.env = test::env_of(std::move(env));
    context.connect = test::curl_factory();
    context.token_cache = &store_;
    return std::make_unique<DefaultCredentials>(std::move(context));
  }

  std::string host_;  // 127.0.0.1:PORT
  std::string scopes_;
  test::ScratchDir scratch_;
  testing::FakeStateStore store_;
  testing::TestServer server_;  // last: stopped before the members its handlers use go
};

TEST_F(AuthMetadataTest, VmServiceAccountTokenAndProjectComeFromTheMetadataServer) {
  auto credentials = chain({{"GCE_METADATA_HOST", host_}, {"GCE_METADATA_IP", host_}});
  auto token = credentials->token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, kVmToken);
  EXPECT_EQ(credentials->kind(), CredentialKind::kMetadataServer);
  EXPECT_EQ(scopes_, "https://www.googleapis.com/auth/cloud-platform");
  auto project = credentials->project();
  ASSERT_TRUE(project && *project);
  EXPECT_EQ((*project)->value, "vm-project");
  EXPECT_EQ(store_.records.size(), 1U);
}

TEST_F(AuthMetadataTest, ServerWithoutTheFlavorIsNotAMetadataServer) {
  testing::TestServer impostor;
  impostor.http().Get("/", [](const httplib::Request& /*request*/, httplib::Response& response) {
    response.set_content("hello", "text/plain");
  });
  const std::string impostor_host = impostor.start_tcp().substr(std::string_view("http://").size());
  auto credentials = chain({{"GCE_METADATA_HOST", host_}, {"GCE_METADATA_IP", impostor_host}});
  auto token = credentials->token();  // no process runner: gcloud is not tried
  ASSERT_FALSE(token);
  EXPECT_EQ(credentials->kind(), CredentialKind::kGcloud);
  EXPECT_NE(token.error().message.find("answered without Metadata-Flavor: Google"),
            std::string::npos)
      << token.error().message;
}

TEST_F(AuthMetadataTest, SilentAddressFailsFastWithinTheProbeTimeout) {
  const auto start = std::chrono::steady_clock::now();
  auto credentials = chain({{"GCE_METADATA_IP", "127.0.0.1:1"}, {"GCE_METADATA_TIMEOUT", "1"}});
  auto token = credentials->token();
  ASSERT_FALSE(token);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_NE(token.error().message.find("no metadata server answered at http://127.0.0.1:1"),
            std::string::npos)
      << token.error().message;
}

TEST_F(AuthMetadataTest, RequestWithoutTheHeaderIsRefusedByTheServer) {
  // The emulator's own check: what deepdock sends must carry the header for it to pass.
  httplib::Client client("http://" + host_);
  auto bare = client.Get("/computeMetadata/v1/project/project-id");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 403);
  AuthContext context;
  context.env = test::env_of({{"GCE_METADATA_HOST", host_}});
  context.connect = test::curl_factory();
  auto project = MetadataServer(context).project_id();
  ASSERT_TRUE(project) << project.error().message;
  EXPECT_EQ(*project, "vm-project");
}

}  // namespace
}  // namespace deepdock::adapters::gcp
