#include "core/model/image_ref.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace deepdock::core {
namespace {

bool looks_like_registry(std::string_view component) {
  return component.find('.') != std::string_view::npos ||
         component.find(':') != std::string_view::npos || component == "localhost";
}

bool valid_repository(std::string_view repo) {
  if (repo.empty()) {
    return false;
  }
  return std::all_of(repo.begin(), repo.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (std::islower(c) != 0) || (std::isdigit(c) != 0) || ch == '.' || ch == '_' ||
           ch == '-' || ch == '/';
  });
}

bool valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) {
    return false;
  }
  return std::all_of(tag.begin(), tag.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (std::isalnum(c) != 0) || ch == '.' || ch == '_' || ch == '-';
  });
}

}  // namespace

Result<ImageRef> ImageRef::parse(std::string_view text) {
  const std::string original(text);
  auto invalid = [&](std::string_view why) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("invalid image reference \"{}\": {}", original, why),
                "use the form [registry/]repository[:tag][@sha256:digest], e.g. "
                "tensorflow/tensorflow:2.15.0-gpu-jupyter");
  };
  if (text.empty()) {
    return invalid("it is empty");
  }
  ImageRef ref;
  if (const size_t at = text.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(text.substr(at + 1));
    text = text.substr(0, at);
    if (ref.digest.rfind("sha256:", 0) != 0 || ref.digest.size() != 7 + 64) {
      return invalid("the digest must be sha256: followed by 64 hex digits");
    }
  }
  // The tag is after the last ':' that comes after the last '/'.
  const size_t slash = text.rfind('/');
  const size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
    if (!valid_tag(ref.tag)) {
      return invalid("the tag may hold only letters, digits, '.', '_' and '-' (at most 128)");
    }
  }
  const size_t first_slash = text.find('/');
  if (first_slash != std::string_view::npos && looks_like_registry(text.substr(0, first_slash))) {
    ref.registry = std::string(text.substr(0, first_slash));
    ref.repository = std::string(text.substr(first_slash + 1));
  } else {
    ref.registry = "docker.io";
    ref.repository = std::string(text);
    if (ref.repository.find('/') == std::string::npos) {
      ref.repository = "library/" + ref.repository;
    }
  }
  if (!valid_repository(ref.repository)) {
    return invalid("the repository may hold only lowercase letters, digits, '.', '_', '-' and '/'");
  }
  if (ref.tag.empty() && ref.digest.empty()) {
    ref.tag = "latest";
  }
  return ref;
}

std::string ImageRef::str() const {
  if (!digest.empty()) {
    return fmt::format("{}@{}", name(), digest);
  }
  return fmt::format("{}:{}", name(), tag);
}

std::string ImageRef::name() const {
  if (is_docker_hub()) {
    if (repository.rfind("library/", 0) == 0) {
      return repository.substr(8);
    }
    return repository;
  }
  return fmt::format("{}/{}", registry, repository);
}

std::string ImageRef::auth_key() const {
  return is_docker_hub() ? "https://index.docker.io/v1/" : registry;
}

}  // namespace deepdock::core
