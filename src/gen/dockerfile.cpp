#include "gen/dockerfile.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::gen {
namespace {

// JSON array form, as Dockerfile exec-form instructions expect.
std::string exec_form(const std::vector<std::string>& argv) {
  return nlohmann::json(argv).dump();
}

// A value in KEY=value pairs of ENV and LABEL: JSON string quoting is valid Dockerfile quoting.
std::string quoted(const std::string& value) {
  return nlohmann::json(value).dump();
}

std::string pairs(const std::map<std::string, std::string>& values) {
  std::vector<std::string> parts;
  parts.reserve(values.size());
  for (const auto& [key, value] : values) {
    parts.push_back(fmt::format("{}={}", key, quoted(value)));
  }
  return util::join(parts, " \\\n    ");
}

struct Renderer {
  std::string& out;

  void operator()(const Comment& c) const {
    for (const auto& line : util::split(c.text, '\n')) {
      out += fmt::format("# {}\n", line);
    }
  }
  void operator()(const From& f) const {
    out += f.alias.empty() ? fmt::format("FROM {}\n", f.image)
                           : fmt::format("FROM {} AS {}\n", f.image, f.alias);
  }
  void operator()(const Run& r) const {
    std::vector<std::string> commands;
    commands.reserve(r.commands.size());
    for (const auto& argv : r.commands) {
      commands.push_back(util::shell_join(argv));
    }
    std::string prefix;
    for (const auto& kv : r.env) {
      prefix += util::shell_quote(kv) + " ";
    }
    if (!prefix.empty()) {
      // env assignments apply to the first command; export them for the whole chain.
      prefix = "export " + prefix.substr(0, prefix.size() - 1) + " && \\\n    ";
    }
    out += fmt::format("RUN {}{}\n", prefix, util::join(commands, " \\\n && "));
  }
  void operator()(const Copy& c) const {
    std::vector<std::string> args = c.sources;
    args.push_back(c.destination);
    out += c.chown.empty() ? fmt::format("COPY {}\n", exec_form(args))
                           : fmt::format("COPY --chown={} {}\n", c.chown, exec_form(args));
  }
  void operator()(const Env& e) const { out += fmt::format("ENV {}\n", pairs(e.values)); }
  void operator()(const Label& l) const { out += fmt::format("LABEL {}\n", pairs(l.values)); }
  void operator()(const User& u) const { out += fmt::format("USER {}\n", u.name); }
  void operator()(const Workdir& w) const { out += fmt::format("WORKDIR {}\n", w.path); }
  void operator()(const Expose& e) const { out += fmt::format("EXPOSE {}\n", e.port); }
  void operator()(const Healthcheck& h) const {
    out += fmt::format(
        "HEALTHCHECK --interval={}s --timeout={}s --start-period={}s --retries={} CMD {}\n",
        h.interval_seconds, h.timeout_seconds, h.start_period_seconds, h.retries,
        exec_form(h.command));
  }
  void operator()(const Cmd& c) const { out += fmt::format("CMD {}\n", exec_form(c.argv)); }
};

}  // namespace

std::string Dockerfile::render() const {
  std::string out;
  for (const auto& instruction : instructions_) {
    std::visit(Renderer{out}, instruction);
  }
  return out;
}

}  // namespace deepdock::gen
