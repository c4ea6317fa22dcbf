#include "util/shell_quote.hpp"

#include <algorithm>
#include <cctype>

namespace deepdock::util {
namespace {

bool is_safe(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  if (std::isalnum(c) != 0) {
    return true;
  }
  switch (ch) {
    case '-':
    case '_':
    case '.':
    case '/':
    case ':':
    case '=':
    case '+':
    case ',':
    case '@':
    case '%':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string shell_quote(std::string_view word) {
  if (!word.empty() && std::all_of(word.begin(), word.end(), is_safe)) {
    return std::string(word);
  }
  std::string out = "'";
  for (const char ch : word) {
    if (ch == '\'') {
      out += R"('\'')";
    } else {
      out += ch;
    }
  }
  out += '\'';
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) {
      out += ' ';
    }
    out += shell_quote(arg);
  }
  return out;
}

}  // namespace deepdock::util
