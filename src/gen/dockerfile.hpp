#pragma once
// A Dockerfile as a list of instructions, rendered to text in one place. Generators build
// the model; nothing pastes Dockerfile strings together. RUN commands are argument vectors
// quoted by util::shell_quote, so a package name can never break out of its line (and no
// word is globbed: write `find DIR -mindepth 1 -delete`, not `rm -rf DIR/*`).

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace deepdock::gen {

struct From {
  std::string image;
  std::string alias;
};
struct Run {
  // Each inner vector is one command; several are chained with && in one layer.
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> env;  // "KEY=value" set for this RUN only
};
struct Copy {
  std::vector<std::string> sources;
  std::string destination;
  std::string chown;
};
struct Env {
  std::map<std::string, std::string> values;
};
struct Label {
  std::map<std::string, std::string> values;
};
struct User {
  std::string name;
};
struct Workdir {
  std::string path;
};
struct Expose {
  int port = 0;
};
struct Healthcheck {
  std::vector<std::string> command;  // exec form
  int interval_seconds = 30;
  int timeout_seconds = 5;
  int start_period_seconds = 10;
  int retries = 3;
};
struct Cmd {
  std::vector<std::string> argv;  // exec form
};
struct Comment {
  std::string text;
};

using Instruction =
    std::variant<Comment, From, Run, Copy, Env, Label, User, Workdir, Expose, Healthcheck, Cmd>;

class Dockerfile {
 public:
  Dockerfile& add(Instruction instruction) {
    instructions_.push_back(std::move(instruction));
    return *this;
  }
  [[nodiscard]] const std::vector<Instruction>& instructions() const { return instructions_; }
  // Renders the text, ending with a newline.
  [[nodiscard]] std::string render() const;

 private:
  std::vector<Instruction> instructions_;
};

}  // namespace deepdock::gen
