#include "adapters/docker/dockerfile_bases.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include "util/strings.hpp"

namespace deepdock::adapters::docker {

std::vector<core::ImageRef> dockerfile_base_images(std::string_view dockerfile) {
  std::vector<core::ImageRef> images;
  std::set<std::string> stages;
  for (const auto& raw_line : util::split(dockerfile, '\n')) {
    std::istringstream words{std::string(util::trim(raw_line))};
    std::string word;
    if (!(words >> word) || util::to_lower(word) != "from") {
      continue;
    }
    std::string image;
    while (words >> word) {
      if (!word.starts_with("--")) {
        image = word;
        break;
      }
    }
    std::string as_word;
    std::string stage;
    const bool names_stage = words >> as_word >> stage && util::to_lower(as_word) == "as";
    // Only earlier stages count: "FROM x AS x" still pulls the image x.
    const bool is_image = !image.empty() && image.find('$') == std::string::npos &&
                          util::to_lower(image) != "scratch" &&
                          !stages.contains(util::to_lower(image));
    if (names_stage) {
      stages.insert(util::to_lower(stage));
    }
    if (!is_image) {
      continue;
    }
    auto ref = core::ImageRef::parse(image);
    if (!ref || std::find(images.begin(), images.end(), *ref) != images.end()) {
      continue;
    }
    images.push_back(*ref);
  }
  return images;
}

}  // namespace deepdock::adapters::docker
