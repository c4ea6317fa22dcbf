#include "core/spec/spec_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <string>
#include <vector>

namespace deepdock::core::spec_yaml {
namespace {

SourceLocation location_of(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) {
    return {};
  }
  return SourceLocation{mark.line + 1, mark.column + 1};
}

// Records where each document starts; the events themselves are not needed.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnScalar(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {}
  void OnSequenceStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {}
  void OnMapEnd() override {}
};

// A first pass over the event stream: how many documents, and whether yaml-cpp got stuck.
// yaml-cpp 0.7 does not consume a stray ',' outside [] and {}: each call starts the same
// empty document again, and YAML::LoadAll loops forever growing memory
// (jbeder/yaml-cpp#1040, fixed upstream by #1319). A document that starts where the
// previous one did is that case. Throws YAML::Exception on a syntax error.
std::optional<SpecProblem> check_documents(const std::string& text) {
  constexpr size_t kEnoughDocuments = 64;
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts events;
  while (events.starts.size() < kEnoughDocuments && parser.HandleNextDocument(events)) {
    const size_t count = events.starts.size();
    if (count >= 2 && events.starts[count - 1].pos == events.starts[count - 2].pos) {
      const YAML::Mark& mark = events.starts.back();
      const auto at = static_cast<size_t>(mark.pos);
      const char unexpected = at < text.size() ? text[at] : '?';
      return SpecProblem{location_of(mark), "",
                         fmt::format("invalid YAML: unexpected '{}'", unexpected),
                         unexpected == ',' ? "a ',' separates items only inside [ ] or { }" : ""};
    }
  }
  if (events.starts.size() > 1) {
    const size_t count = events.starts.size();
    return SpecProblem{location_of(events.starts[1]), "",
                       fmt::format("a spec is one YAML document, this file holds {}{}",
                                   count >= kEnoughDocuments ? "at least " : "", count),
                       "remove the '---' separators"};
  }
  return std::nullopt;
}

}  // namespace

LoadedDocument load_one_document(std::string_view text) {
  const std::string owned(text);
  try {
    if (std::optional<SpecProblem> problem = check_documents(owned)) {
      return LoadedDocument{YAML::Node(), std::move(problem)};
    }
    return LoadedDocument{YAML::Load(owned), std::nullopt};
  } catch (const YAML::Exception& error) {
    return LoadedDocument{
        YAML::Node(),
        SpecProblem{location_of(error.mark), "", fmt::format("invalid YAML: {}", error.msg), ""}};
  }
}

}  // namespace deepdock::core::spec_yaml
