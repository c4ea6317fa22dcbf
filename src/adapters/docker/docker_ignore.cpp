#include "adapters/docker/docker_ignore.hpp"

#include <optional>

#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Regex characters that mean nothing special in filepath.Match (moby's escape set).
bool regex_special(char ch) {
  return std::string_view(".+()|{}$^]").find(ch) != std::string_view::npos;
}

std::string escape_class_char(char ch) {
  if (ch == '\\' || ch == ']' || ch == '[' || ch == '^' || ch == '-') {
    return std::string("\\") + ch;
  }
  return std::string(1, ch);
}

// Translates one filepath.Match character class starting at pattern[i] == '['; advances i
// past the closing ']'. nullopt when malformed (Go's ErrBadPattern).
std::optional<std::string> translate_class(std::string_view pattern, size_t& i) {
  ++i;  // '['
  std::string out = "[";
  if (i < pattern.size() && pattern[i] == '^') {
    out += '^';
    ++i;
  }
  // One possibly escaped character; '-' and ']' must be escaped where a character is due.
  auto next_char = [&]() -> std::optional<char> {
    if (i >= pattern.size() || pattern[i] == '-' || pattern[i] == ']') {
      return std::nullopt;
    }
    if (pattern[i] == '\\') {
      ++i;
      if (i >= pattern.size()) {
        return std::nullopt;
      }
    }
    return pattern[i++];
  };
  size_t ranges = 0;
  while (true) {
    if (i < pattern.size() && pattern[i] == ']' && ranges > 0) {
      ++i;
      return out + "]";
    }
    const auto low = next_char();
    if (!low) {
      return std::nullopt;
    }
    out += escape_class_char(*low);
    if (i < pattern.size() && pattern[i] == '-') {
      ++i;
      const auto high = next_char();
      if (!high) {
        return std::nullopt;
      }
      out += '-';
      out += escape_class_char(*high);
    }
    ++ranges;
  }
}

}  // namespace

std::string clean_path(std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string> parts;
  for (const std::string& part : util::split(path, '/')) {
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string joined = util::join(parts, "/");
  if (rooted) {
    return "/" + joined;
  }
  return joined.empty() ? "." : joined;
}

bool DockerIgnore::Pattern::matches(const std::string& path) const {
  switch (type) {
    case MatchType::kExact:
      return path == cleaned;
    case MatchType::kPrefix:  // "dir/**"
      return starts_with(path, std::string_view(cleaned).substr(0, cleaned.size() - 2));
    case MatchType::kSuffix: {  // "**/name" or "**name"
      const std::string_view suffix = std::string_view(cleaned).substr(2);
      return ends_with(path, suffix) ||
             (!suffix.empty() && suffix.front() == '/' && path == suffix.substr(1));
    }
    case MatchType::kRegex:
      return std::regex_match(path, regex);
  }
  return false;
}

void DockerIgnore::add(std::string_view raw) {
  std::string text = clean_path(util::trim(raw));
  Pattern pattern;
  if (text.front() == '!') {
    if (text.size() == 1) {
      invalid_.push_back(text);
      return;
    }
    pattern.exclusion = true;
    text.erase(0, 1);
  }
  // Translate to a regex the way moby's Pattern.compile does, noting when a plain string
  // comparison suffices.
  std::string regex;
  for (size_t i = 0, step = 0; i < text.size(); ++step) {
    const char ch = text[i];
    if (ch == '*' && i + 1 < text.size() && text[i + 1] == '*') {
      i += 2;
      if (i < text.size() && text[i] == '/') {
        ++i;  // "**/" is "**"
      }
      if (i == text.size()) {
        if (pattern.type == MatchType::kExact) {
          pattern.type = MatchType::kPrefix;
        } else {
          regex += ".*";
          pattern.type = MatchType::kRegex;
        }
      } else {
        regex += "(.*/)?";
        pattern.type = MatchType::kRegex;
      }
      if (step == 0) {
        pattern.type = MatchType::kSuffix;
      }
      continue;
    }
    if (ch == '*') {
      regex += "[^/]*";
      pattern.type = MatchType::kRegex;
    } else if (ch == '?') {
      regex += "[^/]";
      pattern.type = MatchType::kRegex;
    } else if (ch == '[') {
      const auto translated = translate_class(text, i);
      if (!translated) {
        invalid_.push_back((pattern.exclusion ? "!" : "") + text);
        return;
      }
      regex += *translated;
      pattern.type = MatchType::kRegex;
      continue;
    } else if (ch == '\\') {
      if (i + 1 == text.size()) {
        invalid_.push_back((pattern.exclusion ? "!" : "") + text);
        return;
      }
      ++i;
      regex += regex_special(text[i]) || text[i] == '\\' || text[i] == '*' || text[i] == '?' ||
                       text[i] == '['
                   ? std::string("\\") + text[i]
                   : std::string(1, text[i]);
      pattern.type = MatchType::kRegex;
    } else if (regex_special(ch)) {
      regex += '\\';
      regex += ch;
    } else {
      regex += ch;
    }
    ++i;
  }
  if (pattern.type == MatchType::kRegex) {
    try {
      pattern.regex = std::regex(regex, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error&) {
      invalid_.push_back((pattern.exclusion ? "!" : "") + text);
      return;
    }
  }
  pattern.cleaned = std::move(text);
  has_exclusions_ = has_exclusions_ || pattern.exclusion;
  patterns_.push_back(std::move(pattern));
}

DockerIgnore DockerIgnore::parse(std::string_view text) {
  DockerIgnore ignore;
  if (starts_with(text, kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
  }
  for (const std::string& raw_line : util::split(text, '\n')) {
    if (starts_with(raw_line, "#")) {
      continue;  // a comment only when '#' is the very first character, as in Docker
    }
    std::string_view line = util::trim(raw_line);
    if (line.empty()) {
      continue;
    }
    const bool invert = line.front() == '!';
    if (invert) {
      line = util::trim(line.substr(1));
    }
    std::string pattern;
    if (!line.empty()) {
      pattern = clean_path(line);
      if (pattern.size() > 1 && pattern.front() == '/') {
        pattern.erase(0, 1);
      }
    }
    ignore.add(invert ? "!" + pattern : pattern);
  }
  return ignore;
}

void DockerIgnore::add_exception(std::string_view path) {
  add("!" + clean_path(path));
}

bool DockerIgnore::excluded(std::string_view relative_path) const {
  const std::string file = clean_path(relative_path);
  if (file == "." || patterns_.empty()) {
    return false;
  }
  const size_t slash = file.rfind('/');
  const std::string parent = slash == std::string::npos ? "." : clean_path(file.substr(0, slash));
  const std::vector<std::string> parent_dirs = util::split(parent, '/');

  bool matched = false;
  for (const Pattern& pattern : patterns_) {
    // An inclusion cannot change a match, nor an exception a non-match.
    if (pattern.exclusion != matched) {
      continue;
    }
    bool match = pattern.matches(file);
    if (!match && parent != ".") {
      std::string prefix;
      for (const std::string& dir : parent_dirs) {
        prefix += prefix.empty() ? dir : "/" + dir;
        if (pattern.matches(prefix)) {
          match = true;
          break;
        }
      }
    }
    if (match) {
      matched = !pattern.exclusion;
    }
  }
  return matched;
}

bool DockerIgnore::may_reinclude_below(std::string_view directory) const {
  if (!has_exclusions_) {
    return false;
  }
  const std::string dir_slash = clean_path(directory) + "/";
  for (const Pattern& pattern : patterns_) {
    if (pattern.exclusion && starts_with(pattern.cleaned + "/", dir_slash)) {
      return true;
    }
  }
  return false;
}

}  // namespace deepdock::adapters::docker
