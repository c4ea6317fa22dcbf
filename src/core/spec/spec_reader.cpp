#include "core/spec/spec_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/spec/did_you_mean.hpp"

namespace deepdock::core::spec_reader {
namespace {

constexpr std::string_view kPlainTag = "?";  // yaml-cpp's tag for an unquoted scalar

bool is_plain(const YAML::Node& node) {
  return node.Tag() == kPlainTag;
}

// Unquoted, or explicitly tagged with the type (`!!int 8888`): not a quoted string.
bool is_plain_or_tagged(const YAML::Node& node, std::string_view type) {
  constexpr std::string_view kCoreSchema = "tag:yaml.org,2002:";
  const std::string& tag = node.Tag();
  return tag == kPlainTag || (tag.size() == kCoreSchema.size() + type.size() &&
                              tag.starts_with(kCoreSchema) && tag.ends_with(type));
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return is_plain(node) ? shown(node.Scalar()) : "the string " + shown(node.Scalar());
    default:
      return "nothing";
  }
}

std::string_view last_part(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::string join_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

// Where an unknown key probably belongs: a close key of this level, else a key of the same
// name elsewhere ("zones" at the top is "target.gcp.zones").
std::string suggestion(std::string_view key, const std::string& path,
                       std::span<const std::string_view> known,
                       std::span<const std::string_view> all_paths) {
  if (auto near = did_you_mean(key, known)) {
    return fmt::format("did you mean '{}'?", *near);
  }
  for (const std::string_view other : all_paths) {
    if (last_part(other) != key || other == join_path(path, key)) {
      continue;
    }
    return other == key ? fmt::format("'{}' is a top-level key", key)
                        : fmt::format("did you mean '{}'?", other);
  }
  return fmt::format("known keys{}: {}", path.empty() ? "" : " in " + path, fmt::join(known, ", "));
}

}  // namespace

std::string shown(std::string_view text) {
  constexpr size_t kLongest = 60;
  std::string out = "'";
  for (const char ch : text.substr(0, kLongest)) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += ch;
    }
  }
  out += text.size() > kLongest ? "'..." : "'";
  return out;
}

SourceLocation location_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0 || mark.column < 0) {
    return {};
  }
  return SourceLocation{mark.line + 1, mark.column + 1};
}

void Reader::problem(SourceLocation at, std::string key, std::string message, std::string hint) {
  problems.push_back(SpecProblem{at, std::move(key), std::move(message), std::move(hint)});
}

std::vector<Entry> Reader::entries(const YAML::Node& map, const std::string& path,
                                   SourceLocation at, std::span<const std::string_view> known,
                                   std::span<const std::string_view> all_paths) {
  std::vector<Entry> result;
  if (map.IsNull()) {
    return result;
  }
  if (!map.IsMap()) {
    problem(at, path,
            fmt::format("{}: expected a map of keys ({}), got {}", path, fmt::join(known, ", "),
                        describe(map)));
    return result;
  }
  std::map<std::string, SourceLocation, std::less<>> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key_node = it->first;  // a copy: it-> yields a temporary
    const SourceLocation key_at = location_of(key_node);
    if (!key_node.IsScalar()) {
      problem(key_at, path, fmt::format("a key must be a plain name, got {}", describe(key_node)));
      continue;
    }
    const std::string& key = key_node.Scalar();
    const std::string key_path = join_path(path, key);
    if (const auto first = seen.find(key); first != seen.end()) {
      problem(key_at, key_path,
              fmt::format("duplicate key {} (first set at line {})", shown(key_path),
                          first->second.line),
              "keep one of them");
      continue;
    }
    seen.emplace(key, key_at);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      problem(key_at, key_path,
              path.empty() ? fmt::format("unknown key {}", shown(key))
                           : fmt::format("unknown key {} in {}", shown(key), path),
              suggestion(key, path, known, all_paths));
      continue;
    }
    const YAML::Node value = it->second;
    const SourceLocation value_at = location_of(value);
    locations[key_path] = key_at;
    result.push_back(
        Entry{key_path, key_at, value.IsNull() || value_at.line == 0 ? key_at : value_at, value});
  }
  return result;
}

bool Reader::failed(std::string_view path) const {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const SpecProblem& problem) { return problem.key == path; });
}

void Reader::wrong_type(const Entry& entry, std::string_view expected) {
  problem(entry.location, entry.path,
          fmt::format("{}: expected {}, got {}", entry.path, expected, describe(entry.value)));
}

std::optional<std::string> Reader::text(const Entry& entry) {
  if (entry.value.IsNull()) {
    return std::nullopt;
  }
  if (!entry.value.IsScalar()) {
    wrong_type(entry, "a string");
    return std::nullopt;
  }
  return entry.value.Scalar();
}

std::optional<std::string> Reader::checked_text(const Entry& entry, Check check) {
  std::optional<std::string> value = text(entry);
  if (!value) {
    return std::nullopt;
  }
  if (const std::optional<std::string> why = check(*value)) {
    problem(entry.location, entry.path, fmt::format("{}: {} {}", entry.path, shown(*value), *why));
    return std::nullopt;
  }
  return value;
}

void Reader::check_item(const Entry& entry, const Item& item, Check check) {
  if (const std::optional<std::string> why = check(item.text)) {
    problem(item.location, entry.path,
            fmt::format("{}: {} {}", entry.path, shown(item.text), *why));
  }
}

std::optional<int> Reader::integer(const Entry& entry, int min, int max) {
  if (entry.value.IsNull()) {
    return std::nullopt;
  }
  const std::string expected = fmt::format("an integer {}-{}", min, max);
  if (!entry.value.IsScalar()) {
    wrong_type(entry, expected);
    return std::nullopt;
  }
  const std::string& text = entry.value.Scalar();
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') {
    ++begin;
  }
  long long number = 0;
  const auto [stop, error] = std::from_chars(begin, end, number);
  const bool numeric = begin != end && stop == end &&
                       (error == std::errc() || error == std::errc::result_out_of_range);
  if (!numeric) {
    wrong_type(entry, expected);
    return std::nullopt;
  }
  if (!is_plain_or_tagged(entry.value, "int")) {
    problem(entry.location, entry.path,
            fmt::format("{}: expected {}, got the string {}", entry.path, expected, shown(text)),
            "write the number without quotes");
    return std::nullopt;
  }
  if (error == std::errc::result_out_of_range || number < min || number > max) {
    problem(entry.location, entry.path,
            fmt::format("{}: {} is out of range: expected {}", entry.path, shown(text), expected));
    return std::nullopt;
  }
  return static_cast<int>(number);
}

std::optional<bool> Reader::boolean(const Entry& entry) {
  if (entry.value.IsNull()) {
    return std::nullopt;
  }
  if (entry.value.IsScalar() && is_plain_or_tagged(entry.value, "bool")) {
    const std::string& text = entry.value.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") {
      return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
      return false;
    }
  }
  wrong_type(entry, "true or false");
  return std::nullopt;
}

std::optional<std::vector<Item>> Reader::text_list(const Entry& entry) {
  if (entry.value.IsNull()) {
    return std::nullopt;
  }
  if (!entry.value.IsSequence()) {
    const bool scalar = entry.value.IsScalar();
    problem(
        entry.location, entry.path,
        fmt::format("{}: expected a list of strings, got {}", entry.path, describe(entry.value)),
        scalar ? fmt::format("write a list: {}: [{}]", last_part(entry.path),
                             entry.value.Scalar().substr(0, 60))
               : std::string());
    return std::nullopt;
  }
  std::vector<Item> items;
  bool all_text = true;
  for (auto it = entry.value.begin(); it != entry.value.end(); ++it) {
    const YAML::Node item = *it;
    const SourceLocation item_at = location_of(item);
    if (!item.IsScalar()) {
      problem(item_at.line == 0 ? entry.location : item_at, entry.path,
              fmt::format("{}: every item must be a string, got {}", entry.path, describe(item)));
      all_text = false;
      continue;
    }
    items.push_back(Item{item.Scalar(), item_at.line == 0 ? entry.location : item_at});
  }
  if (!all_text) {
    return std::nullopt;
  }
  return items;
}

void Reader::not_one_of(const Entry& entry, std::string_view value,
                        std::span<const std::string_view> names, std::string_view extra) {
  const std::optional<std::string> near = did_you_mean(value, names);
  problem(entry.location, entry.path,
          fmt::format("{}: {} is not one of {}{}", entry.path, shown(value), fmt::join(names, ", "),
                      extra),
          near ? fmt::format("did you mean '{}'?", *near) : std::string());
}

}  // namespace deepdock::core::spec_reader
