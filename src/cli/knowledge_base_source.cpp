#include "cli/knowledge_base_source.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace deepdock::cli {

Result<std::shared_ptr<const core::KnowledgeBase>> load_knowledge_base(
    const std::string& compat_file) {
  if (compat_file.empty()) {
    // Non-owning: the embedded base lives for the whole program.
    return std::shared_ptr<const core::KnowledgeBase>(&core::KnowledgeBase::embedded(),
                                                      [](const core::KnowledgeBase*) {});
  }
  std::ifstream in(compat_file, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("--compat {}: cannot read the file", compat_file),
                "give the path of a compat.json, or leave --compat out to use the built-in one");
  }
  std::stringstream text;
  text << in.rdbuf();
  TRY_ASSIGN(auto kb, core::KnowledgeBase::parse(text.str(), compat_file));
  return std::make_shared<const core::KnowledgeBase>(std::move(kb));
}

}  // namespace deepdock::cli
