#pragma once
// ensure_base_image: makes sure the image an environment's Dockerfile names in FROM exists
// in the engine before `up` builds on it. An official or named image is pulled; a
// `debootstrap:<suite>` base is made from the Debian mirror (RootfsBuilder) and imported.
// A registry the engine cannot reach becomes a precondition error that points at the
// offline alternative, since that is where users without a registry get stuck.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/resolution.hpp"
#include "core/ports/container_engine.hpp"
#include "core/ports/rootfs_builder.hpp"
#include "util/error.hpp"

namespace deepdock::app {

struct BaseImageRequest {
  core::BaseKind kind = core::BaseKind::kOfficialImage;
  std::string image;  // what FROM names: "tensorflow/tensorflow:2.21.0-jupyter" or
                      // "deepdock/bookworm:minbase"
  std::string suite;  // kDebootstrap only: "bookworm"
};

enum class BaseImageAction { kPresent, kPulled, kImported };

using LineFn = std::function<void(std::string_view line)>;

// Makes sure `request.image` exists in the engine: nothing when present; pull when missing
// (official or ref); debootstrap + import + discard the directory when missing (debootstrap).
// `pull_progress` receives the pull's or the import's progress, `log_line` debootstrap's
// output and what is being done. Errors: an unreachable registry → kPrecondition (with the
// debootstrap and proxy hints), a missing image or tag → kInvalidInput; the engine's and
// the builder's other errors pass through with context.
Result<BaseImageAction> ensure_base_image(core::ContainerEngine& engine,
                                          core::RootfsBuilder& builder,
                                          const BaseImageRequest& request,
                                          const core::ProgressFn& pull_progress,
                                          const LineFn& log_line);

// The Dockerfile instructions an imported debootstrap root file system gets
// (POST /images/create?fromSrc=-&changes=...): CMD ["bash"], as Debian's own images have,
// and the deepdock labels that mark it as deepdock's.
std::vector<std::string> debootstrap_image_changes(std::string_view suite);

}  // namespace deepdock::app
