#pragma once
// Reads typed values out of a yaml-cpp tree while collecting every problem with its
// file position. Internal to the spec parser: yaml-cpp stays out of public headers.

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/spec/spec.hpp"
#include "core/spec/spec_problems.hpp"

namespace deepdock::core::spec_reader {

// One key of a map with its value. `location` is where the value is, or where the key is
// when the value is empty ("gpu:" with nothing after it).
struct Entry {
  std::string path;  // dotted: "target.gcp.zones"
  SourceLocation key_location;
  SourceLocation location;
  YAML::Node value;
};

struct Item {
  std::string text;
  SourceLocation location;
};

// A value of the given text for messages: quoted, control characters escaped, long text cut.
std::string shown(std::string_view text);

SourceLocation location_of(const YAML::Node& node);

// Sets `field` when a value was read; a missing or rejected value keeps the default.
template <typename T>
void assign(std::optional<T> value, T& field) {
  if (value) {
    field = std::move(*value);
  }
}

class Reader {
 public:
  void problem(SourceLocation at, std::string key, std::string message, std::string hint = {});

  // The entries of a map at `path` ("" for the root), in file order. Reports a value that is
  // not a map, keys that are not plain text, duplicate keys and unknown keys (with a
  // did-you-mean among `known`, or among `all_paths` by the last part), skipping those.
  // Records where each entry was set.
  std::vector<Entry> entries(const YAML::Node& map, const std::string& path, SourceLocation at,
                             std::span<const std::string_view> known,
                             std::span<const std::string_view> all_paths);

  // Typed values. An empty value ("key:" or "key: null") gives nothing and no problem: the
  // key keeps its default. A value of the wrong type gives nothing and a problem.
  std::optional<std::string> text(const Entry& entry);
  // Text that passes `check` (spec_values.hpp), which says what is wrong with it otherwise.
  using Check = std::optional<std::string> (*)(std::string_view);
  std::optional<std::string> checked_text(const Entry& entry, Check check);
  void check_item(const Entry& entry, const Item& item, Check check);
  std::optional<int> integer(const Entry& entry, int min, int max);
  std::optional<bool> boolean(const Entry& entry);
  std::optional<std::vector<Item>> text_list(const Entry& entry);

  // One of `choices` (exact, lowercase); otherwise a problem listing them, with a
  // did-you-mean.
  template <typename Enum>
  std::optional<Enum> choice(const Entry& entry,
                             std::span<const std::pair<std::string_view, Enum>> choices) {
    const std::optional<std::string> value = text(entry);
    if (!value) {
      return std::nullopt;
    }
    std::vector<std::string_view> names;
    for (const auto& [name, enumerator] : choices) {
      if (name == *value) {
        return enumerator;
      }
      names.push_back(name);
    }
    not_one_of(entry, *value, names, {});
    return std::nullopt;
  }

  // "<path>: 'x' is not one of a, b<extra>", with a did-you-mean among `names`.
  void not_one_of(const Entry& entry, std::string_view value,
                  std::span<const std::string_view> names, std::string_view extra);

  // Whether a problem was reported about the value at `path`.
  [[nodiscard]] bool failed(std::string_view path) const;

  std::vector<SpecProblem> problems;
  std::map<std::string, SourceLocation> locations;

 private:
  void wrong_type(const Entry& entry, std::string_view expected);
};

}  // namespace deepdock::core::spec_reader
