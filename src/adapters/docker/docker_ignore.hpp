#pragma once
// .dockerignore, with the semantics of Docker's own matcher (moby/patternmatcher and the
// CLI's ignorefile reader): '#' comments, blank lines skipped, patterns cleaned like Go's
// filepath.Clean (so a leading or trailing '/' does not matter), filepath.Match-style
// '*', '?' and '[...]' that never cross '/', '**' spanning directories, and '!' exceptions
// where the last matching rule wins. A path is excluded when it or one of its parent
// directories matches.

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::adapters::docker {

class DockerIgnore {
 public:
  static DockerIgnore parse(std::string_view text);

  // True when relative_path ("dir/file", '/'-separated) is left out of the context.
  [[nodiscard]] bool excluded(std::string_view relative_path) const;

  // For an excluded directory: true when an exception pattern names something below it
  // (e.g. "!dir/keep"), so a walk must still descend into it. Docker's rule: a prefix test
  // on the exception's text, so "!**/keep" does not reopen excluded directories.
  [[nodiscard]] bool may_reinclude_below(std::string_view directory) const;

  // Appends "!path": what the docker CLI does so the Dockerfile and .dockerignore are sent.
  void add_exception(std::string_view path);

  [[nodiscard]] bool empty() const { return patterns_.empty(); }
  // Patterns Docker would reject ("!", an unclosed '[', a trailing '\'); they match nothing.
  [[nodiscard]] const std::vector<std::string>& invalid_patterns() const { return invalid_; }

 private:
  enum class MatchType { kExact, kPrefix, kSuffix, kRegex };
  struct Pattern {
    std::string cleaned;  // without the leading '!'
    bool exclusion = false;
    MatchType type = MatchType::kExact;
    std::regex regex;
    [[nodiscard]] bool matches(const std::string& path) const;
  };

  void add(std::string_view raw);

  std::vector<Pattern> patterns_;
  std::vector<std::string> invalid_;
  bool has_exclusions_ = false;
};

// Go's filepath.Clean for '/'-separated paths: "a//b/./c/.." → "a/b", "" → ".".
std::string clean_path(std::string_view path);

}  // namespace deepdock::adapters::docker
