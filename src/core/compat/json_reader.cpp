#include "core/compat/json_reader.hpp"

#include <fmt/format.h>

namespace deepdock::core::compat_json {

namespace {

// A short rendering of a JSON value for messages.
std::string shown(const Json& value) {
  std::string text = value.dump();
  constexpr size_t kMax = 40;
  if (text.size() > kMax) {
    text = text.substr(0, kMax) + "...";
  }
  return text;
}

}  // namespace

std::string join_path(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string index_path(std::string_view path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

void Reader::problem(std::string path, std::string message) {
  problems_.push_back(fmt::format("{}: {}", path, message));
}

void Reader::wrong_type(std::string_view path, std::string_view expected, const Json& value) {
  problem(std::string(path), fmt::format("expected {}, got {}", expected, shown(value)));
}

const Json* Reader::member(const Json& object, std::string_view path, std::string_view key,
                           bool required) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) {
      problem(join_path(path, key), "missing");
    }
    return nullptr;
  }
  return &*it;
}

const Json* Reader::object(const Json& parent, std::string_view path, std::string_view key) {
  const Json* value = member(parent, path, key);
  if (value != nullptr && !value->is_object()) {
    wrong_type(join_path(path, key), "an object", *value);
    return nullptr;
  }
  return value;
}

const Json* Reader::array(const Json& parent, std::string_view path, std::string_view key,
                          bool required) {
  const Json* value = member(parent, path, key, required);
  if (value != nullptr && !value->is_array()) {
    wrong_type(join_path(path, key), "an array", *value);
    return nullptr;
  }
  return value;
}

std::optional<std::string> Reader::text(const Json& object, std::string_view path,
                                        std::string_view key, bool required) {
  const Json* value = member(object, path, key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    wrong_type(join_path(path, key), "a string", *value);
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<Version> Reader::version(const Json& object, std::string_view path,
                                       std::string_view key, bool required) {
  const Json* value = member(object, path, key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  std::optional<Version> parsed;
  if (value->is_string()) {
    parsed = Version::parse(value->get_ref<const std::string&>());
  }
  if (!parsed) {
    wrong_type(join_path(path, key), "a version string such as \"12.2\"", *value);
  }
  return parsed;
}

std::optional<ComputeCapability> Reader::capability(const Json& object, std::string_view path,
                                                    std::string_view key, bool required) {
  const Json* value = member(object, path, key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  std::optional<ComputeCapability> parsed;
  if (value->is_string()) {
    parsed = ComputeCapability::parse(value->get_ref<const std::string&>());
  }
  if (!parsed) {
    wrong_type(join_path(path, key), "a compute capability such as \"8.6\"", *value);
  }
  return parsed;
}

std::optional<int> Reader::integer(const Json& object, std::string_view path, std::string_view key,
                                   bool required) {
  const Json* value = member(object, path, key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number_integer()) {
    wrong_type(join_path(path, key), "an integer", *value);
    return std::nullopt;
  }
  return value->get<int>();
}

bool Reader::flag(const Json& object, std::string_view path, std::string_view key) {
  const Json* value = member(object, path, key, false);
  if (value == nullptr) {
    return false;
  }
  if (!value->is_boolean()) {
    wrong_type(join_path(path, key), "true or false", *value);
    return false;
  }
  return value->get<bool>();
}

std::vector<std::string> Reader::text_list(const Json& object, std::string_view path,
                                           std::string_view key, bool required) {
  std::vector<std::string> out;
  const Json* list = array(object, path, key, required);
  if (list == nullptr) {
    return out;
  }
  const std::string at = join_path(path, key);
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    if (!item.is_string()) {
      wrong_type(index_path(at, i), "a string", item);
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::vector<ComputeCapability>> Reader::capability_list(const Json& object,
                                                                      std::string_view path,
                                                                      std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end()) {
    problem(join_path(path, key), "missing (null when not recorded)");
    return std::nullopt;
  }
  if (it->is_null()) {
    return std::nullopt;
  }
  std::vector<ComputeCapability> out;
  const std::string at = join_path(path, key);
  if (!it->is_array()) {
    wrong_type(at, "an array of compute capabilities or null", *it);
    return out;
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    const auto cc = item.is_string() ? ComputeCapability::parse(item.get_ref<const std::string&>())
                                     : std::nullopt;
    if (!cc) {
      wrong_type(index_path(at, i), "a compute capability such as \"8.6\"", item);
      continue;
    }
    out.push_back(*cc);
  }
  return out;
}

Provenance Reader::provenance(const Json& entry, std::string_view path) {
  Provenance out;
  out.sources = text_list(entry, path, "source");
  if (out.sources.empty() && entry.contains("source")) {
    problem(join_path(path, "source"), "expected at least one source key");
  }
  for (size_t i = 0; i < out.sources.size(); ++i) {
    cited_.emplace_back(index_path(join_path(path, "source"), i), out.sources[i]);
  }
  out.unverified = flag(entry, path, "unverified");
  out.unverified_fields = text_list(entry, path, "unverified_fields", false);
  return out;
}

void Reader::check_source_keys(const std::set<std::string, std::less<>>& known) {
  for (const auto& [path, key] : cited_) {
    if (known.find(key) == known.end()) {
      problem(path, fmt::format("unknown source key \"{}\" (not in sources)", key));
    }
  }
}

}  // namespace deepdock::core::compat_json
