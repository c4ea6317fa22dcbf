// DockerEngine: importing a root file system as an image, what `docker import` does. The
// directory is written as an uncompressed tar with owners, modes, hard links and device
// nodes kept (TarOwners::kKeep) into a temporary file, then streamed as the body of
// POST /images/create?fromSrc=-; the engine's progress stream is decoded like a pull's.
#include <fmt/format.h>

#include "adapters/docker/archive.hpp"
#include "adapters/docker/build_context.hpp"
#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/engine_request.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::docker {

Result<std::string> DockerEngine::import_image(const core::ImportRequest& request,
                                               const core::ProgressFn& progress) {
  const std::string image =
      fmt::format("{}:{}", request.repository, request.tag.empty() ? "latest" : request.tag);
  const std::string action =
      fmt::format("importing {} as image {}", request.rootfs_dir.string(), image);
  if (request.repository.empty()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: no repository given", action));
  }
  auto tar = TempFile::create("deepdock-rootfs-");
  if (!tar) {
    return fail(tar.error().context(action));
  }
  if (auto written = write_rootfs_tar(request.rootfs_dir, tar->path()); !written) {
    return fail(written.error().context(action));
  }
  log::debug("docker: {}: {} bytes of tar", action, tar->size());

  Query query;
  query.add("fromSrc", std::string_view("-")).add("repo", request.repository);
  query.add("tag", request.tag.empty() ? "latest" : request.tag);
  for (const std::string& change : request.changes) {
    query.add("changes", change);
  }
  core::HttpRequest http{.method = core::HttpMethod::kPost,
                         .target = "/images/create" + query.str()};
  http.headers.push_back({"Content-Type", "application/x-tar"});
  http.body_source = tar->body_source();
  http.body_size = tar->size();
  TRY(call_progress_stream(std::move(http), action, progress));
  // The stream's last status holds the new ID, but its shape is not part of the API:
  // inspecting the name is.
  TRY_ASSIGN(const core::ImageInfo imported, inspect_image(image));
  return imported.id;
}

}  // namespace deepdock::adapters::docker
