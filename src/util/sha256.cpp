#include "util/sha256.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>

namespace deepdock::util {
namespace {

std::string to_hex(const unsigned char* digest, unsigned int size) {
  std::string hex;
  hex.reserve(size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

struct DigestContext {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  DigestContext() { EVP_DigestInit_ex(context, EVP_sha256(), nullptr); }
  ~DigestContext() { EVP_MD_CTX_free(context); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;

  std::string finish() const {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(context, digest.data(), &size);
    return to_hex(digest.data(), size);
  }
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return to_hex(digest.data(), size);
}

struct ContentHasher::State : DigestContext {};
struct Sha256Stream::State : DigestContext {};

ContentHasher::ContentHasher() : state_(std::make_unique<State>()) {}

ContentHasher::~ContentHasher() = default;

ContentHasher& ContentHasher::add(std::string_view name, std::string_view content) {
  const std::string frame = fmt::format("{}:{}:", name, content.size());
  EVP_DigestUpdate(state_->context, frame.data(), frame.size());
  EVP_DigestUpdate(state_->context, content.data(), content.size());
  return *this;
}

std::string ContentHasher::finish() {
  return state_->finish();
}

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) {}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(std::string_view data) {
  EVP_DigestUpdate(state_->context, data.data(), data.size());
}

std::string Sha256Stream::finish() {
  return state_->finish();
}

}  // namespace deepdock::util
