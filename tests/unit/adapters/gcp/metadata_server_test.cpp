#include "adapters/gcp/metadata_server.hpp"

#include <gtest/gtest.h>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::HttpMethod;
using test::FakeTransports;
using testing::reply;

TEST(MetadataServerTest, AddressesFollowGoogleAuthsVariables) {
  FakeTransports transports;
  const AuthContext plain = test::test_context(transports, {});
  const MetadataAddresses defaults = metadata_addresses(plain);
  EXPECT_EQ(defaults.api_base, "http://metadata.google.internal");
  EXPECT_EQ(defaults.probe_base, "http://169.254.169.254");
  EXPECT_EQ(defaults.probe_timeout, std::chrono::seconds(3));
  EXPECT_FALSE(defaults.check_disabled);

  const AuthContext emulated =
      test::test_context(transports, {{"GCE_METADATA_HOST", "127.0.0.1:8080"},
                                      {"GCE_METADATA_IP", "127.0.0.1:8081"},
                                      {"GCE_METADATA_TIMEOUT", "0.5"},
                                      {"NO_GCE_CHECK", "True"}});
  const MetadataAddresses overridden = metadata_addresses(emulated);
  EXPECT_EQ(overridden.api_base, "http://127.0.0.1:8080");
  EXPECT_EQ(overridden.probe_base, "http://127.0.0.1:8081");
  EXPECT_EQ(overridden.probe_timeout, std::chrono::milliseconds(500));
  EXPECT_TRUE(overridden.check_disabled);

  const AuthContext legacy = test::test_context(transports, {{"GCE_METADATA_ROOT", "md:1"}});
  EXPECT_EQ(metadata_addresses(legacy).api_base, "http://md:1");
}

TEST(MetadataServerTest, PresentOnlyWhenTheAnswerCarriesTheFlavorHeader) {
  FakeTransports transports;
  transports.at("http://169.254.169.254")
      .once(HttpMethod::kGet, "/", reply(200, "", test::google_flavor()));
  transports.at("http://169.254.169.254").once(HttpMethod::kGet, "/", reply(200, "hello"));
  transports.at("http://169.254.169.254")
      .once(HttpMethod::kGet, "/", testing::transport_error(ErrorCode::kTimeout, "timed out"));
  const AuthContext context = test::test_context(transports, {});
  const MetadataServer server(context);
  EXPECT_TRUE(server.probe().present);
  const auto impostor = server.probe();
  EXPECT_FALSE(impostor.present);
  EXPECT_NE(impostor.detail.find("without Metadata-Flavor: Google"), std::string::npos);
  const auto silent = server.probe();
  EXPECT_FALSE(silent.present);
  EXPECT_NE(silent.detail.find("no metadata server answered at http://169.254.169.254"),
            std::string::npos);
  const auto& ping = transports.at("http://169.254.169.254").requests().at(0);
  EXPECT_EQ(ping.header("Metadata-Flavor"), "Google");
  EXPECT_EQ(ping.timeout, std::chrono::seconds(3));
}

TEST(MetadataServerTest, NoGceCheckSkipsTheProbe) {
  FakeTransports transports;
  const AuthContext context = test::test_context(transports, {{"NO_GCE_CHECK", "True"}});
  EXPECT_FALSE(MetadataServer(context).probe().present);
  EXPECT_TRUE(transports.connected().empty());
}

TEST(MetadataServerTest, TokenAsksForTheScopesWithTheFlavorHeader) {
  FakeTransports transports;
  transports.at("http://metadata.google.internal")
      .on(HttpMethod::kGet, "/computeMetadata/v1/instance/service-accounts/default/token",
          reply(200, R"({"access_token":"ya29.c.vm-token","expires_in":1800})",
                test::google_flavor()));
  const AuthContext context = test::test_context(transports, {});
  MetadataTokenSource source(context);
  auto token = source.token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, "ya29.c.vm-token");
  EXPECT_EQ(token->expires_at, context.now() + std::chrono::seconds(1800));
  const auto& sent = transports.at("http://metadata.google.internal").requests().at(0);
  EXPECT_EQ(sent.target,
            "/computeMetadata/v1/instance/service-accounts/default/token?scopes="
            "https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcloud-platform");
  EXPECT_EQ(sent.header("Metadata-Flavor"), "Google");
  EXPECT_EQ(source.describe(),
            "the VM's service account (metadata server http://metadata.google.internal)");
}

TEST(MetadataServerTest, VmWithoutServiceAccountSaysHowToGiveItOne) {
  FakeTransports transports;
  transports.at("http://metadata.google.internal")
      .on(HttpMethod::kGet, "/computeMetadata/v1/instance/service-accounts/default/token",
          reply(404, "not found"));
  const AuthContext context = test::test_context(transports, {});
  EXPECT_TRUE(test::fails_with(MetadataServer(context).token(), ErrorCode::kPrecondition,
                               "the VM has no service account", "GOOGLE_APPLICATION_CREDENTIALS"));
}

TEST(MetadataServerTest, ProjectIdIsReadAndTrimmed) {
  FakeTransports transports;
  transports.at("http://metadata.google.internal")
      .on(HttpMethod::kGet, "/computeMetadata/v1/project/project-id", reply(200, "vm-project\n"));
  const AuthContext context = test::test_context(transports, {});
  auto project = MetadataServer(context).project_id();
  ASSERT_TRUE(project);
  EXPECT_EQ(*project, "vm-project");
}

}  // namespace
}  // namespace deepdock::adapters::gcp
