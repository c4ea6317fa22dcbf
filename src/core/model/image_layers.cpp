#include "core/model/image_layers.hpp"

#include "util/sha256.hpp"

namespace deepdock::core {

std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids) {
  std::vector<std::string> chains;
  chains.reserve(diff_ids.size());
  for (const std::string& diff : diff_ids) {
    chains.push_back(chains.empty() ? diff
                                    : "sha256:" + util::sha256_hex(chains.back() + " " + diff));
  }
  return chains;
}

std::set<std::string> layers_present(const std::vector<std::string>& image_layers,
                                     const std::set<std::string>& present) {
  const std::vector<std::string> chains = chain_ids(image_layers);
  std::set<std::string> held;
  std::set<std::string> missing;
  for (size_t i = 0; i < image_layers.size(); ++i) {
    (present.contains(chains[i]) ? held : missing).insert(image_layers[i]);
  }
  for (const std::string& diff : missing) {
    held.erase(diff);
  }
  return held;
}

}  // namespace deepdock::core
