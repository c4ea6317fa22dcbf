#pragma once
// SHA-256 through OpenSSL: one-shot, and incremental for content hashes of several inputs.

#include <memory>
#include <string>
#include <string_view>

namespace deepdock::util {

// Lowercase hex digest.
std::string sha256_hex(std::string_view data);

// Hashes a sequence of named parts unambiguously: each part is framed by its name and
// length, so ("ab","c") and ("a","bc") differ.
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  ContentHasher& add(std::string_view name, std::string_view content);
  // Lowercase hex digest; the hasher cannot be used afterwards.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Plain SHA-256 of a stream fed piece by piece (a layer's tar as it arrives).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view data);
  // Lowercase hex digest; the stream cannot be used afterwards.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace deepdock::util
