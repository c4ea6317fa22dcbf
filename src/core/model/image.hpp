#pragma once
// Images as deepdock sees them, and the requests it makes of the engine about them.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace deepdock::core {

struct ImageInfo {
  std::string id;  // sha256:...
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  int64_t size_bytes = 0;
  std::string created;
  std::map<std::string, std::string> labels;
  std::string os;
  std::string architecture;
  // The layers' diff IDs ("sha256:..." of each uncompressed layer tar), base first; only
  // an inspect fills them.
  std::vector<std::string> layers;
};

struct BuildRequest {
  std::filesystem::path context_dir;  // sent as a tar, honouring .dockerignore
  // Files added to the context in memory (path in the context -> content), e.g. a
  // generated Dockerfile; they win over files of the same path on disk.
  std::map<std::string, std::string> extra_files;
  std::string dockerfile = "Dockerfile";  // path inside the context
  std::vector<std::string> tags;          // "name:tag"
  std::map<std::string, std::string> build_args;
  std::map<std::string, std::string> labels;
  bool pull = false;
  bool no_cache = false;
  std::string network_mode;  // "" = engine default; "host" where there is no bridge
};

// A root file system directory imported as an image (POST /images/create?fromSrc=-, what
// `docker import` does): the debootstrap base.
struct ImportRequest {
  std::filesystem::path rootfs_dir;  // sent as a tar of its contents, owners and modes kept
  std::string repository;            // "deepdock/bookworm"
  std::string tag;                   // "minbase"
  std::vector<std::string> changes;  // Dockerfile instructions, e.g. "CMD [\"bash\"]"
};

// An image archive written by ContainerEngine::save_image.
struct SavedImage {
  uint64_t bytes = 0;           // the archive's size
  uint64_t bytes_left_out = 0;  // the layer tars left out
  size_t layers_left_out = 0;
};

// One progress event from a pull, push or build stream.
struct ProgressEvent {
  std::string id;       // layer id or tag; empty for global lines
  std::string status;   // "Downloading", "Pull complete", ...
  int64_t current = 0;  // bytes done, when known
  int64_t total = 0;    // bytes in all, when known (0 = unknown)
  std::string stream;   // build output text (may hold several lines)
};

}  // namespace deepdock::core
