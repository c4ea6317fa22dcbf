#include "app/base_image.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "app/environment_labels.hpp"
#include "core/model/image_ref.hpp"

namespace deepdock::app {
namespace {

// What dockerd says when it cannot reach a registry at all (DNS, routing, firewall, proxy):
// Go's net and net/http errors, which the engine passes on verbatim.
constexpr std::array<std::string_view, 10> kUnreachableSigns = {
    "no such host",
    "i/o timeout",
    "connection refused",
    "TLS handshake timeout",
    "server misbehaving",
    "request canceled while waiting for connection",
    "Client.Timeout exceeded",
    "network is unreachable",
    "no route to host",
    "dial tcp",
};

bool registry_unreachable(const Error& error) {
  // A precondition or permission error is about the engine itself (its socket), not the
  // registry behind it; a cancellation is the user's.
  if (error.code != ErrorCode::kUnavailable && error.code != ErrorCode::kFailure) {
    return false;
  }
  for (const std::string_view sign : kUnreachableSigns) {
    if (error.message.find(sign) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string registry_name(const core::ImageRef& ref) {
  return ref.is_docker_hub() ? std::string("Docker Hub (registry-1.docker.io)") : ref.registry;
}

// A pull failure in the words a user needs: unreachable registry, missing image, or the
// engine's own error.
Error pull_failure(const Error& error, const core::ImageRef& ref) {
  if (registry_unreachable(error)) {
    return Error{
        ErrorCode::kPrecondition,
        fmt::format("pulling base image {} from {} failed: the engine cannot reach the "
                    "registry ({})",
                    ref.str(), registry_name(ref), error.message),
        "if this machine reaches only a Debian mirror, build the base from it instead: "
        "`base: debootstrap:bookworm` with Debian's packages (see examples/offline-pytorch.yaml); "
        "if it reaches the registry through a proxy, configure dockerd's proxy "
        "(HTTPS_PROXY in its environment, e.g. a systemd drop-in for docker.service) and retry"};
  }
  if (error.code == ErrorCode::kNotFound) {
    return Error{
        ErrorCode::kInvalidInput,
        fmt::format("pulling base image {} from {} failed: the registry has no such "
                    "image or tag ({})",
                    ref.str(), registry_name(ref), error.message),
        fmt::format("check `base:` in deepdock.yaml, or the framework version that chose "
                    "this image (`deepdock plan --explain`); a private image needs `docker "
                    "login{}` first",
                    ref.is_docker_hub() ? "" : " " + ref.registry)};
  }
  return error.context(fmt::format("pulling base image {}", ref.str()));
}

Result<BaseImageAction> pull_base(core::ContainerEngine& engine, const BaseImageRequest& request,
                                  const core::ProgressFn& pull_progress, const LineFn& log_line) {
  auto ref = core::ImageRef::parse(request.image);
  if (!ref) {
    return fail(ref.error().context(fmt::format("base image \"{}\"", request.image)));
  }
  log_line(fmt::format("pulling base image {}", ref->str()));
  if (auto pulled = engine.pull_image(*ref, pull_progress); !pulled) {
    return fail(pull_failure(pulled.error(), *ref));
  }
  return BaseImageAction::kPulled;
}

Result<BaseImageAction> import_base(core::ContainerEngine& engine, core::RootfsBuilder& builder,
                                    const BaseImageRequest& request,
                                    const core::ProgressFn& pull_progress, const LineFn& log_line) {
  if (request.suite.empty()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("base image {}: a debootstrap base needs a suite", request.image),
                "write `base: debootstrap:<suite>`, e.g. debootstrap:bookworm");
  }
  auto ref = core::ImageRef::parse(request.image);
  if (!ref || !ref->digest.empty()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("\"{}\" cannot name an imported image", request.image));
  }
  log_line(
      fmt::format("base image {} is missing: making a Debian {} root file system with "
                  "debootstrap",
                  request.image, request.suite));
  TRY_ASSIGN(const std::filesystem::path rootfs, builder.build(request.suite, log_line));

  log_line(fmt::format("importing {} as {}", rootfs.string(), request.image));
  const core::ImportRequest import{.rootfs_dir = rootfs,
                                   .repository = ref->name(),
                                   .tag = ref->tag,
                                   .changes = debootstrap_image_changes(request.suite)};
  auto imported = engine.import_image(import, pull_progress);
  // The directory is only a step towards the image: removed whether the import worked or
  // not (a retry debootstraps afresh rather than trust a half-used tree).
  const Status discarded = builder.discard(rootfs);
  if (!imported) {
    return fail(imported.error().context(
        fmt::format("importing the {} root file system as {}", request.suite, request.image)));
  }
  if (!discarded) {
    log_line(fmt::format("could not remove {}: {}", rootfs.string(), discarded.error().message));
  }
  return BaseImageAction::kImported;
}

}  // namespace

std::vector<std::string> debootstrap_image_changes(std::string_view suite) {
  // Docker 20.10's import applies LABEL like the other commit instructions (CMD, ENV, ...):
  // the integration test reads the labels back from the imported image.
  return {R"(CMD ["bash"])", fmt::format(R"(LABEL {}="true" {}="debootstrap:{}")", labels::kManaged,
                                         labels::kBase, suite)};
}

Result<BaseImageAction> ensure_base_image(core::ContainerEngine& engine,
                                          core::RootfsBuilder& builder,
                                          const BaseImageRequest& request,
                                          const core::ProgressFn& pull_progress,
                                          const LineFn& log_line) {
  const LineFn log = log_line ? log_line : [](std::string_view) {};
  auto present = engine.inspect_image(request.image);
  if (present) {
    return BaseImageAction::kPresent;
  }
  if (present.error().code != ErrorCode::kNotFound) {
    return fail(present.error());
  }
  if (request.kind == core::BaseKind::kDebootstrap) {
    return import_base(engine, builder, request, pull_progress, log);
  }
  return pull_base(engine, request, pull_progress, log);
}

}  // namespace deepdock::app
