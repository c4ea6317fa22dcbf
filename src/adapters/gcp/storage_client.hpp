#pragma once
// StorageClient: the Cloud Storage JSON API calls a Cloud Build needs (api-reference C.1):
// a bucket made sure of (buckets.get, else buckets.insert), a file stored by simple upload
// (uploadType=media), and an object read from a byte offset (alt=media with a Range), which
// is how a build's log is followed while it grows.
//
// Object names are percent-encoded whole ("source/x.tgz" is "source%2Fx.tgz" in a path).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/gcp/service_call.hpp"
#include "core/ports/cloud_build.hpp"

namespace deepdock::adapters::gcp {

ServiceInfo storage_service_info();

class StorageClient {
 public:
  explicit StorageClient(std::unique_ptr<ServiceCaller> caller);

  // buckets.get; when it is missing, buckets.insert in `project` at `location`. A bucket
  // that exists but is not ours to use (403: the name belongs to another project, or the
  // account lacks roles/storage.admin) is kPermissionDenied with the fix.
  Status ensure_bucket(const std::string& project, const std::string& bucket,
                       std::string_view location = "US");

  // Uploads `file` as `bucket`/`object` (replacing it), read afresh for each try.
  Result<core::CloudStorageObject> upload_file(const std::string& bucket, const std::string& object,
                                               const std::filesystem::path& file,
                                               std::string_view content_type);

  // The bytes from `offset` on; "" when the object does not exist (yet) or has no more.
  Result<std::string> read_object(const std::string& bucket, const std::string& object,
                                  uint64_t offset);

 private:
  std::unique_ptr<ServiceCaller> caller_;
};

}  // namespace deepdock::adapters::gcp
