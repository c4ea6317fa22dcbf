#pragma once
// Reads typed values out of a parsed compat.json while collecting every schema problem with
// its JSON path ("tensorflow.builds[3].cuda: expected a version string"). Internal to the
// knowledge base's parser.

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/compat/compute_capability.hpp"
#include "core/compat/provenance.hpp"
#include "core/compat/version.hpp"

namespace deepdock::core::compat_json {

using Json = nlohmann::json;

// "tensorflow.builds" + "cuda" -> "tensorflow.builds.cuda"; + 3 -> "tensorflow.builds[3]".
std::string join_path(std::string_view path, std::string_view key);
std::string index_path(std::string_view path, size_t index);

class Reader {
 public:
  void problem(std::string path, std::string message);
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

  // The member `key` of `object`, or nullptr: a problem when it is required and missing.
  // A JSON null counts as missing.
  const Json* member(const Json& object, std::string_view path, std::string_view key,
                     bool required = true);
  // The object at `key`; a problem when missing or not an object.
  const Json* object(const Json& parent, std::string_view path, std::string_view key);
  // The array at `key`; a problem when missing (if required) or not an array.
  const Json* array(const Json& parent, std::string_view path, std::string_view key,
                    bool required = true);

  // Typed members. A missing optional member gives nullopt without a problem; a value of the
  // wrong type gives nullopt and a problem.
  std::optional<std::string> text(const Json& object, std::string_view path, std::string_view key,
                                  bool required = true);
  std::optional<Version> version(const Json& object, std::string_view path, std::string_view key,
                                 bool required = true);
  std::optional<ComputeCapability> capability(const Json& object, std::string_view path,
                                              std::string_view key, bool required = true);
  std::optional<int> integer(const Json& object, std::string_view path, std::string_view key,
                             bool required = true);
  bool flag(const Json& object, std::string_view path, std::string_view key);  // default false
  std::vector<std::string> text_list(const Json& object, std::string_view path,
                                     std::string_view key, bool required = true);
  // A list of compute capabilities; nullopt for a JSON null ("not recorded").
  std::optional<std::vector<ComputeCapability>> capability_list(const Json& object,
                                                                std::string_view path,
                                                                std::string_view key);

  // "source" (a list of keys), "unverified" and "unverified_fields". The keys are checked
  // against the sources table by check_source_keys().
  Provenance provenance(const Json& entry, std::string_view path);
  void check_source_keys(const std::set<std::string, std::less<>>& known);

 private:
  void wrong_type(std::string_view path, std::string_view expected, const Json& value);

  std::vector<std::string> problems_;
  std::vector<std::pair<std::string, std::string>> cited_;  // path, key
};

// Calls read(item, item_path) for each object of the non-empty array at `parent.key`.
template <typename Read>
void for_each_object(Reader& reader, const Json& parent, std::string_view path,
                     std::string_view key, Read read) {
  const Json* list = reader.array(parent, path, key);
  if (list == nullptr) {
    return;
  }
  const std::string at = join_path(path, key);
  if (list->empty()) {
    reader.problem(at, "expected at least one entry");
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string item_path = index_path(at, i);
    if (!(*list)[i].is_object()) {
      reader.problem(item_path, "expected an object");
      continue;
    }
    read((*list)[i], item_path);
  }
}

}  // namespace deepdock::core::compat_json
