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

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return to_hex(digest.data(), size);
}

struct ContentHasher::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(context); }
  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
};

ContentHasher::ContentHasher() : state_(std::make_unique<State>()) {
  EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr);
}

ContentHasher::~ContentHasher() = default;

ContentHasher& ContentHasher::add(std::string_view name, std::string_view content) {
  const std::string frame = fmt::format("{}:{}:", name, content.size());
  EVP_DigestUpdate(state_->context, frame.data(), frame.size());
  EVP_DigestUpdate(state_->context, content.data(), content.size());
  return *this;
}

std::string ContentHasher::finish() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(state_->context, digest.data(), &size);
  return to_hex(digest.data(), size);
}

}  // namespace deepdock::util
