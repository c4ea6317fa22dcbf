#pragma once
// Which of an image's layers another engine already holds. An engine keys the layers it
// stores by chain ID: the first layer's is its diff ID, and each next one is
// sha256("<parent chain ID> <diff ID>"), so the same content on another base is another
// layer. An engine that loads an image archive skips every layer whose chain ID it has
// without reading its tar, which is what lets `--ship` leave those tars out.

#include <set>
#include <string>
#include <vector>

namespace deepdock::core {

// The chain ID of each prefix of `diff_ids` (base first), in the same order.
std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids);

// The diff IDs of `image_layers` whose content need not be sent to an engine holding the
// chains `present`: every place the diff ID occurs in the image has its chain there (a
// layer tar that repeats in the image is one file in the archive).
std::set<std::string> layers_present(const std::vector<std::string>& image_layers,
                                     const std::set<std::string>& present);

}  // namespace deepdock::core
