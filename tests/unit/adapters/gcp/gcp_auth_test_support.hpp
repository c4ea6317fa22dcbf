#pragma once
// Helpers for the Google Cloud credential tests (unit and integration): an RSA key made by
// OpenSSL for each test run, JWT decoding and RS256 verification with its public key, an
// environment from a map, transports from a FakeTransport per base URL, and a temp directory.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "adapters/gcp/auth_context.hpp"
#include "adapters/http/curl_transport.hpp"
#include "core/ports/host_executor.hpp"
#include "fakes/fake_transport.hpp"
#include "unit/adapters/docker/docker_engine_test_support.hpp"
#include "util/base64.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp::test {

// A fresh 2048-bit RSA key pair; the private half as PKCS#8 PEM, as in a key file.
class TestRsaKey {
 public:
  TestRsaKey() : key_(EVP_RSA_gen(2048), &EVP_PKEY_free) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    pem_.assign(data, static_cast<size_t>(size));
    BIO_free(bio);
  }
  [[nodiscard]] const std::string& private_pem() const { return pem_; }

  // Whether `jwt` ("h.c.s") carries a valid RS256 signature by this key.
  [[nodiscard]] bool verifies(const std::string& jwt) const {
    const size_t last_dot = jwt.rfind('.');
    if (last_dot == std::string::npos) {
      return false;
    }
    const auto signature = util::base64_decode(jwt.substr(last_dot + 1));
    if (!signature) {
      return false;
    }
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      &EVP_MD_CTX_free);
    return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                            signature->size(), reinterpret_cast<const unsigned char*>(jwt.data()),
                            last_dot) == 1;
  }

 private:
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
  std::string pem_;
};

// Part `index` of a JWT (0 header, 1 claims) as JSON; null when it does not decode.
inline nlohmann::json jwt_part(const std::string& jwt, size_t index) {
  const std::vector<std::string> parts = util::split(jwt, '.');
  if (parts.size() != 3 || index > 1) {
    return nullptr;
  }
  const auto decoded = util::base64_decode(parts[index]);
  return decoded ? nlohmann::json::parse(*decoded, nullptr, false) : nlohmann::json();
}

// The value of `name` in an x-www-form-urlencoded body, percent-decoded.
inline std::string form_value(const std::string& body, const std::string& name) {
  for (const std::string& pair : util::split(body, '&')) {
    const size_t equals = pair.find('=');
    if (pair.substr(0, equals) != name) {
      continue;
    }
    std::string value;
    const std::string encoded = pair.substr(equals + 1);
    for (size_t i = 0; i < encoded.size(); ++i) {
      if (encoded[i] == '%' && i + 2 < encoded.size()) {
        value += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        value += encoded[i] == '+' ? ' ' : encoded[i];
      }
    }
    return value;
  }
  return {};
}

inline EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

// Hands out one FakeTransport per base URL (made on first use) and records every connect.
class FakeTransports {
 public:
  // The fake behind `base_url`, to script routes on before the code under test connects.
  testing::FakeTransport& at(const std::string& base_url) {
    auto& slot = by_base_[base_url];
    if (!slot) {
      slot = std::make_shared<testing::FakeTransport>();
    }
    return *slot;
  }
  [[nodiscard]] const std::vector<std::string>& connected() const { return connected_; }

  TransportFactory factory() {
    return [this](const std::string& base_url, std::chrono::milliseconds /*connect_timeout*/)
               -> std::unique_ptr<core::HttpTransport> {
      connected_.push_back(base_url);
      return std::make_unique<Forwarding>(at(base_url));
    };
  }

 private:
  class Forwarding final : public core::HttpTransport {
   public:
    explicit Forwarding(testing::FakeTransport& target) : target_(target) {}
    Result<core::HttpResponse> send(const core::HttpRequest& request) override {
      return target_.send(request);
    }
    Result<std::unique_ptr<core::RawStream>> open_upgraded(
        const core::HttpRequest& request) override {
      return target_.open_upgraded(request);
    }
    [[nodiscard]] std::string endpoint() const override { return target_.endpoint(); }

   private:
    testing::FakeTransport& target_;
  };

  std::map<std::string, std::shared_ptr<testing::FakeTransport>> by_base_;
  std::vector<std::string> connected_;
};

// A temporary directory (the docker tests' TempDir) that writes files below itself.
class ScratchDir {
 public:
  [[nodiscard]] const std::filesystem::path& path() const { return dir_.path(); }

  // Writes `content` to `relative` (its directories made) and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path full = dir_.path() / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full;
  }

 private:
  docker::test::TempDir dir_;
};

// Whether `result` failed with `code`, its message containing `in_message` and its hint
// `in_hint`; says what it got otherwise.
template <typename T>
::testing::AssertionResult fails_with(const Result<T>& result, ErrorCode code,
                                      std::string_view in_message, std::string_view in_hint = {}) {
  if (result) {
    return ::testing::AssertionFailure() << "succeeded";
  }
  const Error& error = result.error();
  if (error.code != code || error.message.find(in_message) == std::string::npos ||
      error.hint.find(in_hint) == std::string::npos) {
    return ::testing::AssertionFailure() << "failed with " << to_string(error.code) << ": "
                                         << error.message << " (hint: " << error.hint << ")";
  }
  return ::testing::AssertionSuccess();
}

inline nlohmann::json service_account_json(const TestRsaKey& key, const std::string& token_uri) {
  return {{"type", "service_account"},
          {"project_id", "key-project"},
          {"private_key_id", "0123abcd"},
          {"private_key", key.private_pem()},
          {"client_email", "builder@key-project.iam.gserviceaccount.com"},
          {"client_id", "1234567890"},
          {"token_uri", token_uri}};
}

inline nlohmann::json authorized_user_json() {
  return {{"type", "authorized_user"},
          {"client_id", "764086051850-test.apps.googleusercontent.com"},
          {"client_secret", "d-FL95Q-client-secret"},
          {"refresh_token", "1//0g-refresh-token-value"},
          {"quota_project_id", "quota-project"},
          {"account", "me@example.com"}};
}

// This machine's process runner, answering from `answer` and recording each argv.
class ScriptedExecutor final : public core::HostExecutor {
 public:
  using Answer = std::function<Result<core::HostCommandResult>(const std::vector<std::string>&)>;
  explicit ScriptedExecutor(Answer answer) : answer_(std::move(answer)) {}

  [[nodiscard]] std::string where() const override { return "this machine"; }
  Result<core::HostCommandResult> run(const core::HostCommand& command) override {
    ran.push_back(command.argv);
    return answer_(command.argv);
  }
  Result<int> run_streaming(const core::HostCommand& /*command*/,
                            const std::function<void(std::string_view)>& /*on_line*/) override {
    return fail(ErrorCode::kFailure, "not scripted");
  }

  std::vector<std::vector<std::string>> ran;

 private:
  Answer answer_;
};

// Real transports, as the CLI builds them (integration tests).
inline TransportFactory curl_factory() {
  return [](const std::string& base_url,
            std::chrono::milliseconds connect_timeout) -> std::unique_ptr<core::HttpTransport> {
    http::TransportConfig config;
    config.base_url = base_url;
    config.connect_timeout = connect_timeout;
    return std::make_unique<http::CurlTransport>(config);
  };
}

// The header by which the metadata server is known.
inline std::vector<core::HttpHeader> google_flavor() {
  return {{"Metadata-Flavor", "Google"}};
}

inline constexpr int64_t kTestNowSeconds = 1700000000;

// A context whose clock reads `now_seconds` (a variable the test may advance), with fake
// transports and the given environment.
inline AuthContext test_context(FakeTransports& transports, std::map<std::string, std::string> env,
                                const int64_t* now_seconds = nullptr) {
  AuthContext context;
  context.env = env_of(std::move(env));
  context.connect = transports.factory();
  context.now = [now_seconds] {
    return std::chrono::system_clock::time_point(
        std::chrono::seconds(now_seconds != nullptr ? *now_seconds : kTestNowSeconds));
  };
  return context;
}

}  // namespace deepdock::adapters::gcp::test
