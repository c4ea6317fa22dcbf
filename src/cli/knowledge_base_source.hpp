#pragma once
// The knowledge base a command uses: the one built into the binary, or --compat FILE.

#include <memory>
#include <string>

#include "core/compat/knowledge_base.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

// Never null on success. The built-in base is shared; a --compat file is parsed and checked.
Result<std::shared_ptr<const core::KnowledgeBase>> load_knowledge_base(
    const std::string& compat_file);

}  // namespace deepdock::cli
