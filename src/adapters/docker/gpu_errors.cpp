#include "adapters/docker/gpu_errors.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace deepdock::adapters::docker {
namespace {

constexpr std::string_view kDoctor = "run `deepdock doctor` to check the whole GPU chain";

struct CudaDriverBranch {
  int major;
  int minor;
  int branch;
};

// The first Linux driver branch that reports each CUDA version (CUDA toolkit release notes,
// "CUDA Toolkit and Corresponding Driver Versions"). nvidia-container-cli compares the
// image's `cuda>=X.Y` requirement against exactly this driver-reported version.
constexpr std::array<CudaDriverBranch, 19> kCudaDriverBranches{{
    {11, 0, 450}, {11, 1, 455}, {11, 2, 460}, {11, 3, 465}, {11, 4, 470},
    {11, 5, 495}, {11, 6, 510}, {11, 7, 515}, {11, 8, 520}, {12, 0, 525},
    {12, 1, 530}, {12, 2, 535}, {12, 3, 545}, {12, 4, 550}, {12, 5, 555},
    {12, 6, 560}, {12, 8, 570}, {12, 9, 575}, {13, 0, 580},
}};

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

// Reads "12.4" at the start of text into major/minor.
bool parse_major_minor(std::string_view text, int& major, int& minor) {
  const char* end = text.data() + text.size();
  auto [after_major, e1] = std::from_chars(text.data(), end, major);
  if (e1 != std::errc{} || after_major == end || *after_major != '.') {
    return false;
  }
  auto [after_minor, e2] = std::from_chars(after_major + 1, end, minor);
  return e2 == std::errc{};
}

std::optional<Error> cuda_requirement_error(std::string_view message) {
  constexpr std::string_view kCondition = "cuda>=";
  const size_t at = message.find(kCondition);
  if (!contains(message, "unsatisfied condition") || at == std::string_view::npos) {
    return std::nullopt;
  }
  int major = 0;
  int minor = 0;
  if (!parse_major_minor(message.substr(at + kCondition.size()), major, minor)) {
    return Error{ErrorCode::kIncompatible,
                 "the image needs a newer CUDA than the host driver supports",
                 fmt::format("install a newer NVIDIA driver, or choose an image built for an "
                             "older CUDA (`deepdock plan --explain` shows what fits); {}",
                             kDoctor)};
  }
  const std::string branch = min_driver_branch_for_cuda(major, minor);
  const std::string driver =
      branch.empty() ? std::string("a newer NVIDIA driver")
                     : fmt::format("NVIDIA driver R{} or newer (the first to support CUDA {}.{})",
                                   branch, major, minor);
  return Error{
      ErrorCode::kIncompatible,
      fmt::format("the image needs CUDA {}.{} but the host driver supports less", major, minor),
      fmt::format("install {}, or choose an image built for an older CUDA "
                  "(`deepdock plan --explain` shows what fits this driver)",
                  driver)};
}

}  // namespace

std::string min_driver_branch_for_cuda(int major, int minor) {
  for (const auto& row : kCudaDriverBranches) {
    if (row.major == major && row.minor == minor) {
      return std::to_string(row.branch);
    }
  }
  return {};
}

std::optional<Error> classify_gpu_error(std::string_view message) {
  if (contains(message, "could not select device driver \"cdi\"")) {
    return Error{ErrorCode::kPrecondition,
                 "CDI is not enabled in the Docker engine, so it cannot hand CDI GPU devices to "
                 "containers",
                 fmt::format("add `\"features\": {{\"cdi\": true}}` to /etc/docker/daemon.json, "
                             "then `sudo systemctl restart docker` (Docker 25 to 28.1; 28.2 and "
                             "newer enable CDI by default); {}",
                             kDoctor)};
  }
  if (contains(message, "could not select device driver")) {
    return Error{ErrorCode::kPrecondition,
                 "the Docker engine has no NVIDIA GPU support (the NVIDIA container toolkit is "
                 "missing or dockerd was not restarted after installing it)",
                 "install nvidia-container-toolkit, then `sudo nvidia-ctk runtime configure "
                 "--runtime=docker && sudo systemctl restart docker`; run `deepdock doctor`"};
  }
  if (contains(message, "unresolvable CDI devices")) {
    return Error{ErrorCode::kPrecondition,
                 "the host has no CDI specification for the requested GPU devices",
                 fmt::format("generate one with `sudo nvidia-ctk cdi generate "
                             "--output=/etc/cdi/nvidia.yaml` (`nvidia-ctk cdi list` shows the "
                             "device names); {}",
                             kDoctor)};
  }
  if (auto cuda = cuda_requirement_error(message)) {
    return cuda;
  }
  if (contains(message, "load library failed: libnvidia-ml.so")) {
    return Error{ErrorCode::kPrecondition,
                 "the NVIDIA driver's libraries (libnvidia-ml.so.1) are not installed on the host",
                 fmt::format("install the NVIDIA driver and reboot; {}", kDoctor)};
  }
  if (contains(message, "Failed to initialize NVML") ||
      contains(message, "nvidia-container-cli: initialization error") ||
      contains(message, "driver/library version mismatch")) {
    return Error{
        ErrorCode::kPrecondition, "NVML cannot talk to the NVIDIA driver",
        fmt::format("after a driver upgrade the loaded kernel module and the libraries differ "
                    "(driver/library version mismatch): reboot the host. If GPUs vanished from "
                    "running containers after `sudo systemctl daemon-reload`, restart the "
                    "container, and avoid it for good with CDI or `no-cgroups = true` in "
                    "/etc/nvidia-container-runtime/config.toml; {}",
                    kDoctor)};
  }
  return std::nullopt;
}

}  // namespace deepdock::adapters::docker
