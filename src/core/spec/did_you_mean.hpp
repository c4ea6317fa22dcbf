#pragma once
// "did you mean 'framework'?" for a misspelt key or value: the closest candidate by edit
// distance (case-insensitive, a swap of two neighbours counts as one edit), if it is close
// enough to be a plausible typo rather than a different word.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace deepdock::core {

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
// transpositions, each costing one. Case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, or nothing when none is within a typo's reach
// (one edit for short words, up to a third of the word's length, at most three).
std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates);

}  // namespace deepdock::core
