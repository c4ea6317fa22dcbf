#include "storage_state.hpp"

#include <chrono>
#include <ctime>
#include <utility>

namespace deepdock::gcpemu {

std::string rfc3339_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return std::string(text, length) + "." + std::to_string(1000 + millis).substr(1) + "Z";
}

StorageState::StorageState(std::string project, std::string project_number,
                           std::vector<std::string> foreign_buckets)
    : project_(std::move(project)),
      project_number_(std::move(project_number)),
      foreign_(foreign_buckets.begin(), foreign_buckets.end()) {}

bool StorageState::is_foreign(const std::string& bucket) const {
  return foreign_.count(bucket) != 0;
}

std::optional<nlohmann::json> StorageState::bucket(const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto found = buckets_.find(name);
  if (found == buckets_.end()) {
    return std::nullopt;
  }
  return nlohmann::json{{"kind", "storage#bucket"},
                        {"id", name},
                        {"name", name},
                        {"projectNumber", project_number_},
                        {"location", found->second.location},
                        {"storageClass", "STANDARD"},
                        {"timeCreated", found->second.created},
                        {"metageneration", "1"}};
}

bool StorageState::create_bucket(const std::string& name, const std::string& location) {
  std::lock_guard lock(mutex_);
  if (is_foreign(name) || buckets_.count(name) != 0) {
    return false;
  }
  buckets_[name] = Bucket{location.empty() ? "US" : location, rfc3339_now(), {}};
  return true;
}

std::optional<nlohmann::json> StorageState::put(const std::string& bucket, const std::string& name,
                                                std::string data, std::string content_type) {
  std::lock_guard lock(mutex_);
  const auto found = buckets_.find(bucket);
  if (found == buckets_.end()) {
    return std::nullopt;
  }
  StoredObject& object = found->second.objects[name];
  object = {std::move(data), std::move(content_type), next_generation_++, rfc3339_now()};
  return object_json(bucket, name, object);
}

void StorageState::append(const std::string& bucket, const std::string& name,
                          const std::string& text) {
  std::lock_guard lock(mutex_);
  Bucket& holder = buckets_[bucket];
  if (holder.created.empty()) {
    holder.location = "US";
    holder.created = rfc3339_now();
  }
  StoredObject& object = holder.objects[name];
  if (object.generation == 0) {
    object.content_type = "text/plain";
    object.generation = next_generation_++;
  }
  object.data += text;
  object.updated = rfc3339_now();
}

std::optional<StoredObject> StorageState::get(const std::string& bucket, const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto found = buckets_.find(bucket);
  if (found == buckets_.end()) {
    return std::nullopt;
  }
  const auto object = found->second.objects.find(name);
  if (object == found->second.objects.end()) {
    return std::nullopt;
  }
  return object->second;
}

nlohmann::json StorageState::object_json(const std::string& bucket, const std::string& name,
                                         const StoredObject& object) const {
  return {{"kind", "storage#object"},
          {"id", bucket + "/" + name + "/" + std::to_string(object.generation)},
          {"bucket", bucket},
          {"name", name},
          {"generation", std::to_string(object.generation)},
          {"metageneration", "1"},
          {"contentType", object.content_type},
          {"size", std::to_string(object.data.size())},
          {"updated", object.updated},
          {"storageClass", "STANDARD"}};
}

}  // namespace deepdock::gcpemu
