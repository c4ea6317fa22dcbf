#pragma once
// The source Cloud Build fetches (api-reference C.1): the build context as `docker build`
// would send it (adapters/docker/build_context: the context directory filtered by its
// .dockerignore, plus the generated files), gzip-compressed, because Cloud Build takes a
// Cloud Storage object only as a .tgz or a .zip. Both steps go through libarchive.

#include "adapters/docker/build_context.hpp"
#include "core/model/image.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

// The gzip tar in a temporary file, removed when the TempFile goes.
Result<docker::TempFile> pack_source_archive(const core::BuildRequest& context);

}  // namespace deepdock::adapters::gcp
