#pragma once
// Where a knowledge-base entry's facts come from, and whether they are confirmed.

#include <string>
#include <string_view>
#include <vector>

namespace deepdock::core {

// Keys of KnowledgeBase::sources(), and whether the reference marks the facts as not
// confirmed in a primary source (the whole entry, or only the fields listed).
struct Provenance {
  std::vector<std::string> sources;
  bool unverified = false;
  std::vector<std::string> unverified_fields;

  [[nodiscard]] std::string cite() const;  // "tf_source_md, tf_pip_md"
  // Whether `field` is unconfirmed: the entry as a whole, or that field.
  [[nodiscard]] bool field_unverified(std::string_view field) const;
};

}  // namespace deepdock::core
