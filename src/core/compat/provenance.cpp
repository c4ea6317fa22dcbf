#include "core/compat/provenance.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace deepdock::core {

std::string Provenance::cite() const {
  return util::join(sources, ", ");
}

bool Provenance::field_unverified(std::string_view field) const {
  return unverified || std::find(unverified_fields.begin(), unverified_fields.end(), field) !=
                           unverified_fields.end();
}

}  // namespace deepdock::core
