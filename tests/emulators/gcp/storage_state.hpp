#pragma once
// The emulator's Cloud Storage (api-reference C.1): buckets of objects kept in memory, each
// write a new generation. Cloud Build reads its source from here and appends its logs here,
// so the routes and the builds share one StorageState.

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace deepdock::gcpemu {

struct StoredObject {
  std::string data;
  std::string content_type;
  int64_t generation = 0;
  std::string updated;  // RFC 3339
};

class StorageState {
 public:
  // `foreign_buckets` exist but belong to another project: get answers 403, insert 409.
  StorageState(std::string project, std::string project_number,
               std::vector<std::string> foreign_buckets);

  [[nodiscard]] bool is_foreign(const std::string& bucket) const;
  // The bucket resource; nullopt when it does not exist (or is foreign).
  [[nodiscard]] std::optional<nlohmann::json> bucket(const std::string& name);
  // False when the name is taken (ours or foreign).
  bool create_bucket(const std::string& name, const std::string& location);

  // Stores the object, replacing any; nullopt when the bucket does not exist.
  std::optional<nlohmann::json> put(const std::string& bucket, const std::string& name,
                                    std::string data, std::string content_type);
  // Appends to the object (creating it and, when missing, its bucket): a build's log.
  void append(const std::string& bucket, const std::string& name, const std::string& text);
  [[nodiscard]] std::optional<StoredObject> get(const std::string& bucket, const std::string& name);
  // The Object resource of a stored object.
  [[nodiscard]] nlohmann::json object_json(const std::string& bucket, const std::string& name,
                                           const StoredObject& object) const;

 private:
  struct Bucket {
    std::string location;
    std::string created;
    std::map<std::string, StoredObject> objects;
  };
  std::string project_;
  std::string project_number_;
  std::set<std::string> foreign_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
  int64_t next_generation_ = 1700000000000000;
};

// The current time as RFC 3339 with milliseconds: "2025-01-01T00:00:00.000Z".
std::string rfc3339_now();

}  // namespace deepdock::gcpemu
