#include "adapters/host/apt_mirror.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

bool debootstrap_reads(std::string_view uri) {
  return uri.starts_with("http://") || uri.starts_with("https://") || uri.starts_with("file:/");
}

// Whitespace-separated words.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) {
    out.push_back(word);
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// One deb822 stanza's fields that matter here (keys are case-insensitive).
struct Stanza {
  std::string types;
  std::string uris;
  std::string suites;
  std::string enabled;

  std::string* field(std::string_view key) {
    if (util::iequals(key, "Types")) {
      return &types;
    }
    if (util::iequals(key, "URIs")) {
      return &uris;
    }
    if (util::iequals(key, "Suites")) {
      return &suites;
    }
    if (util::iequals(key, "Enabled")) {
      return &enabled;
    }
    return nullptr;
  }

  [[nodiscard]] std::optional<std::string> mirror_for(std::string_view suite) const {
    if (util::iequals(util::trim(enabled), "no") || !contains(words(types), "deb") ||
        !contains(words(suites), suite)) {
      return std::nullopt;
    }
    for (const std::string& uri : words(uris)) {
      if (debootstrap_reads(uri)) {
        return uri;
      }
    }
    return std::nullopt;
  }
};

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The files of one kind in sources.list.d, in apt's order (by name).
std::vector<fs::path> files_with_extension(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> out;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == extension) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::optional<std::string> mirror_from_deb822(std::string_view text, std::string_view suite) {
  Stanza stanza;
  std::string* last = nullptr;  // the field a continuation line extends
  for (const std::string& raw : util::split(text, '\n')) {
    const std::string_view line = util::trim(raw);
    if (line.empty()) {  // the end of a stanza
      if (auto uri = stanza.mirror_for(suite)) {
        return uri;
      }
      stanza = Stanza{};
      last = nullptr;
      continue;
    }
    if (line.front() == '#') {
      continue;
    }
    if (raw.front() == ' ' || raw.front() == '\t') {
      if (last != nullptr) {
        *last += " " + std::string(line);
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      last = nullptr;
      continue;
    }
    last = stanza.field(util::trim(line.substr(0, colon)));
    if (last != nullptr) {
      *last = std::string(util::trim(line.substr(colon + 1)));
    }
  }
  return stanza.mirror_for(suite);
}

std::optional<std::string> mirror_from_sources_list(std::string_view text, std::string_view suite) {
  for (const std::string& raw : util::split(text, '\n')) {
    std::string_view line = raw;
    line = line.substr(0, line.find('#'));
    const std::vector<std::string> parts = words(line);
    if (parts.empty() || parts[0] != "deb") {
      continue;
    }
    size_t next = 1;
    if (next < parts.size() && parts[next].starts_with('[')) {  // "[ arch=amd64 signed-by=.. ]"
      while (next < parts.size() && !parts[next].ends_with(']')) {
        ++next;
      }
      ++next;
    }
    if (next + 1 < parts.size() && parts[next + 1] == suite && debootstrap_reads(parts[next])) {
      return parts[next];
    }
  }
  return std::nullopt;
}

MirrorChoice choose_debian_mirror(std::string_view suite, const fs::path& apt_dir,
                                  std::string_view env_value) {
  if (!util::trim(env_value).empty()) {
    return {std::string(util::trim(env_value)), kMirrorVariable};
  }
  const fs::path parts_dir = apt_dir / "sources.list.d";
  std::vector<std::pair<fs::path, bool>> candidates;  // path, is deb822
  for (const fs::path& path : files_with_extension(parts_dir, ".sources")) {
    candidates.emplace_back(path, true);
  }
  candidates.emplace_back(apt_dir / "sources.list", false);
  for (const fs::path& path : files_with_extension(parts_dir, ".list")) {
    candidates.emplace_back(path, false);
  }
  for (const auto& [path, deb822] : candidates) {
    const std::optional<std::string> text = read_text(path);
    if (!text) {
      continue;
    }
    auto uri = deb822 ? mirror_from_deb822(*text, suite) : mirror_from_sources_list(*text, suite);
    if (uri) {
      return {*uri, path.string()};
    }
  }
  log::debug("no apt source serves {}: using {}", suite, kDefaultDebianMirror);
  return {std::string(kDefaultDebianMirror), "default"};
}

}  // namespace deepdock::adapters::host
