#include "app/ship_image.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <set>
#include <system_error>

#include "core/model/image_layers.hpp"

namespace deepdock::app {
namespace fs = std::filesystem;

namespace {

// The chain IDs of every layer of every image `engine` holds.
Result<std::set<std::string>> chains_held(core::ContainerEngine& engine) {
  TRY_ASSIGN(const std::vector<core::ImageInfo> images, engine.list_images({}));
  std::set<std::string> seen_ids;
  std::set<std::string> chains;
  for (const core::ImageInfo& listed : images) {
    if (!seen_ids.insert(listed.id).second) {
      continue;
    }
    auto image = engine.inspect_image(listed.id);
    if (!image) {
      if (image.error().code == ErrorCode::kNotFound) {
        continue;  // removed since the listing
      }
      return fail(image.error());
    }
    for (std::string& chain : core::chain_ids(image->layers)) {
      chains.insert(std::move(chain));
    }
  }
  return chains;
}

std::string size_text(uint64_t bytes) {
  constexpr double kMega = 1e6;
  constexpr double kGiga = 1e9;
  const auto value = static_cast<double>(bytes);
  return value >= kGiga ? fmt::format("{:.2f} GB", value / kGiga)
                        : fmt::format("{:.1f} MB", value / kMega);
}

// Removes the archive whatever happens.
struct ArchiveFile {
  fs::path path;
  ~ArchiveFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
};

}  // namespace

Result<ShipResult> ship_image(core::ContainerEngine& from, core::ContainerEngine& to,
                              std::string_view ref, const fs::path& work_dir,
                              const core::ProgressFn& progress) {
  const std::string action = fmt::format("shipping image {} to {}", ref, to.endpoint());
  auto local = from.inspect_image(ref);
  if (!local) {
    return fail(local.error().context(action));
  }
  ShipResult result;
  result.layers = local->layers.size();
  const auto there = to.inspect_image(ref);
  if (there && there->id == local->id) {
    return result;
  }
  if (!there && there.error().code != ErrorCode::kNotFound) {
    return fail(there.error().context(action));
  }
  auto held = chains_held(to);
  if (!held) {
    return fail(held.error().context(action));
  }
  const std::set<std::string> omit = core::layers_present(local->layers, *held);

  std::error_code error;
  fs::create_directories(work_dir, error);
  const ArchiveFile archive{work_dir / fmt::format("ship-{}.tar", ::getpid())};
  auto saved = from.save_image(ref, omit, archive.path);
  if (!saved) {
    return fail(saved.error().context(action));
  }
  if (auto loaded = to.load_image(archive.path, progress); !loaded) {
    return fail(loaded.error().context(action));
  }
  auto arrived = to.inspect_image(ref);
  if (!arrived) {
    return fail(arrived.error().context(action));
  }
  if (arrived->id != local->id) {
    return fail(
        ErrorCode::kFailure,
        fmt::format("{}: the host loaded {} as {}, not {}", action, ref, arrived->id, local->id),
        "run the command again; if it repeats, remove the image on the host");
  }
  result.sent = true;
  for (const std::string& layer : local->layers) {
    if (!omit.contains(layer)) {
      ++result.layers_sent;
    }
  }
  result.bytes_sent = saved->bytes;
  result.bytes_left_out = saved->bytes_left_out;
  return result;
}

std::string ship_summary(const ShipResult& result) {
  if (!result.sent) {
    return "already there";
  }
  if (result.bytes_left_out == 0) {
    return fmt::format("sent {} of {} layers ({})", result.layers_sent, result.layers,
                       size_text(result.bytes_sent));
  }
  return fmt::format("sent {} of {} layers ({}; {} the host had)", result.layers_sent,
                     result.layers, size_text(result.bytes_sent), size_text(result.bytes_left_out));
}

}  // namespace deepdock::app
