#pragma once
// `--ship`: copies an image from one engine (this machine's) to another (a host's, through
// its socket forwarded over SSH) sending only the layers the receiver lacks. The receiver's
// layers are read from its images (their diff IDs give the chain IDs it stores); the
// sender writes an image archive with the tars of those layers left out, and the receiver
// loads it, reading the layers it has from its own store. An image already there (same ID)
// is not sent at all.

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/ports/container_engine.hpp"
#include "util/error.hpp"

namespace deepdock::app {

struct ShipResult {
  bool sent = false;            // false: the receiver had the image already
  size_t layers = 0;            // the image's layers
  size_t layers_sent = 0;       // how many of them went over
  uint64_t bytes_sent = 0;      // the archive's size
  uint64_t bytes_left_out = 0;  // the layer tars the receiver did not need
};

// Ships `ref` from `from` to `to`. The archive is written in `work_dir` and removed after.
Result<ShipResult> ship_image(core::ContainerEngine& from, core::ContainerEngine& to,
                              std::string_view ref, const std::filesystem::path& work_dir,
                              const core::ProgressFn& progress);

// "sent 1 of 5 layers (12.0 MB; 1.4 GB the host had)", or "already there".
std::string ship_summary(const ShipResult& result);

}  // namespace deepdock::app
