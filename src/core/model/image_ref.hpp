#pragma once
// An image reference, parsed the way the Docker CLI does: [registry/]repository[:tag][@digest].
// "ubuntu" is docker.io/library/ubuntu:latest; a first component with a '.' or ':' or equal
// to "localhost" is a registry host.

#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::core {

struct ImageRef {
  std::string registry;    // "docker.io", "127.0.0.1:5000", "us-west1-docker.pkg.dev"
  std::string repository;  // "library/ubuntu", "tensorflow/tensorflow"
  std::string tag;         // "latest" when neither tag nor digest was given
  std::string digest;      // "sha256:..." or empty

  static Result<ImageRef> parse(std::string_view text);

  // The form the docker CLI prints: "ubuntu:22.04", "127.0.0.1:5000/envs/x:1" (digest wins).
  [[nodiscard]] std::string str() const;
  // What the engine's API expects as a name without tag: "127.0.0.1:5000/envs/x", or
  // "ubuntu" for Docker Hub's library images.
  [[nodiscard]] std::string name() const;
  // The registry key used in ~/.docker/config.json ("https://index.docker.io/v1/" for Hub).
  [[nodiscard]] std::string auth_key() const;
  [[nodiscard]] bool is_docker_hub() const { return registry == "docker.io"; }
  bool operator==(const ImageRef&) const = default;
};

}  // namespace deepdock::core
