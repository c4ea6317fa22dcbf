#pragma once
// Tolerant readers for Engine API answers: a missing key, a null or a value of another type
// reads as empty, because engines (and podman) leave out or null fields freely.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::adapters::docker::json_fields {

inline const nlohmann::json& field(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) {
    return kNull;
  }
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

inline std::string string_at(const nlohmann::json& object, std::string_view key) {
  const auto& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

inline bool bool_at(const nlohmann::json& object, std::string_view key) {
  const auto& value = field(object, key);
  return value.is_boolean() && value.get<bool>();
}

inline int64_t int_at(const nlohmann::json& object, std::string_view key) {
  const auto& value = field(object, key);
  return value.is_number() ? value.get<int64_t>() : 0;
}

inline std::vector<std::string> strings_at(const nlohmann::json& object, std::string_view key) {
  std::vector<std::string> out;
  const auto& value = field(object, key);
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

inline std::map<std::string, std::string> string_map_at(const nlohmann::json& object,
                                                        std::string_view key) {
  std::map<std::string, std::string> out;
  const auto& value = field(object, key);
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      if (v.is_string()) {
        out.emplace(k, v.get<std::string>());
      }
    }
  }
  return out;
}

}  // namespace deepdock::adapters::docker::json_fields
