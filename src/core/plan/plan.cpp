#include "core/plan/plan.hpp"

#include <fmt/format.h>

#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace deepdock::core {
namespace {

std::string short_hash(util::ContentHasher& hasher) {
  return hasher.finish().substr(0, 12);
}

std::string gpu_words(const Spec& spec, const Resolution& resolution) {
  if (!resolution.gpu) {
    return "no GPUs (CPU environment)";
  }
  if (spec.gpu.mode == GpuMode::kCount) {
    return fmt::format("{} GPU(s)", spec.gpu.count);
  }
  return "all GPUs";
}

void add_target_steps(const Spec& spec, const Resolution& resolution,
                      std::vector<PlanStep>& steps) {
  const Target& target = spec.target;
  if (target.kind == TargetKind::kGcp) {
    const GcpTarget& gcp = target.gcp;
    util::ContentHasher hasher;
    hasher.add("project", gcp.project)
        .add("zones", util::join(gcp.zones, ","))
        .add("accelerator", gcp.accelerator)
        .add("count", std::to_string(gcp.count))
        .add("machine", gcp.machine_type)
        .add("spot", gcp.spot ? "1" : "0");
    steps.push_back(
        {"gcp-quota", "check GPU quota",
         fmt::format("read the regional quota for {} ({}) and GPUS_ALL_REGIONS before "
                     "creating anything; skip regions where {} GPU(s) cannot fit",
                     gcp.accelerator, gcp.spot ? "preemptible" : "on-demand", gcp.count),
         ""});
    steps.push_back(
        {"gcp-instance",
         fmt::format("create VM {} with {}x {}", spec.name, gcp.count, gcp.accelerator),
         fmt::format("zones {} in order, failing over on stockout or quota; on-host-maintenance "
                     "TERMINATE, image family {}, {} GB disk{}",
                     gcp.zones.empty() ? "offering the accelerator" : util::join(gcp.zones, ", "),
                     gcp.image_family, gcp.disk_gb, gcp.spot ? ", Spot" : ""),
         short_hash(hasher)});
  }
  if (target.kind == TargetKind::kSsh || target.kind == TargetKind::kGcp) {
    const std::string where = target.kind == TargetKind::kSsh ? target.host : "the VM";
    util::ContentHasher hasher;
    hasher.add("driver_branch", resolution.driver_branch).add("gpu", resolution.gpu ? "1" : "0");
    steps.push_back(
        {"bootstrap", fmt::format("bootstrap {}", where),
         resolution.gpu
             ? fmt::format("install what is missing: Docker engine, NVIDIA driver {} (held), "
                           "NVIDIA container toolkit with CDI; resumable, checked at every boot",
                           resolution.driver_branch.empty() ? "(already present)"
                                                            : resolution.driver_branch)
             : "install the Docker engine if missing; resumable, checked at every boot",
         short_hash(hasher)});
  }
}

}  // namespace

std::string image_tag_for(const std::string& name, const std::string& content_hash) {
  return fmt::format("deepdock/{}:{}", name, content_hash.substr(0, 12));
}

std::vector<PlanStep> plan_up(const PlanInputs& in) {
  const Spec& spec = *in.spec;
  const Resolution& resolution = *in.resolution;
  std::vector<PlanStep> steps;
  steps.push_back({"probe", "probe the host",
                   fmt::format("GPUs, driver and OS ({}); the engine and its GPU support",
                               in.host->origin.empty() ? "not probed" : in.host->origin),
                   ""});
  add_target_steps(spec, resolution, steps);

  const std::string tag_hash = in.image_tag.substr(in.image_tag.rfind(':') + 1);
  if (in.cloud_build) {
    steps.push_back({"cloud-build",
                     fmt::format("build image {} with Cloud Build, push it to {}", in.image_tag,
                                 in.push_registry),
                     "the context is uploaded to Cloud Storage and built by Cloud Build, whose "
                     "log is followed here; skipped when the target has an image with this tag",
                     tag_hash});
    steps.push_back({"pull-image", fmt::format("pull it on {}", in.ship_to),
                     "the target's engine pulls it from the registry and tags it as the "
                     "environment image",
                     tag_hash});
  } else {
    if (resolution.base_kind == BaseKind::kDebootstrap) {
      steps.push_back(
          {"base-image", fmt::format("make base image {}", in.base_image),
           fmt::format("debootstrap --variant=minbase {} from the Debian mirror and "
                       "import it; skipped when the engine has it",
                       resolution.base_image.substr(resolution.base_image.find(':') + 1)),
           util::sha256_hex(resolution.base_image).substr(0, 12)});
    } else {
      steps.push_back({"base-image", fmt::format("pull {}", in.base_image),
                       "skipped when the engine already has it",
                       util::sha256_hex(in.base_image).substr(0, 12)});
    }

    steps.push_back({"build-image", fmt::format("build image {}", in.image_tag),
                     "from the generated Dockerfile; skipped when an image with this tag exists, "
                     "otherwise only the layers from the first changed input are rebuilt",
                     tag_hash});

    if (!in.ship_to.empty() && !in.push_registry.empty()) {
      steps.push_back({"push-image",
                       fmt::format("push image {} to {}", in.image_tag, in.push_registry),
                       "made on this machine's engine, then pushed with this machine's "
                       "credentials; only layers the registry lacks are uploaded",
                       tag_hash});
      steps.push_back({"pull-image", fmt::format("pull it on {}", in.ship_to),
                       "the host's engine pulls it through the Engine API with this machine's "
                       "credentials, and tags it as the environment image",
                       tag_hash});
    } else if (!in.ship_to.empty()) {
      steps.push_back({"ship-image", fmt::format("ship image {} to {}", in.image_tag, in.ship_to),
                       "made on this machine's engine, then sent to the host's engine with only "
                       "the layers it lacks; skipped when the host has an image with this tag",
                       tag_hash});
    }
  }

  util::ContentHasher container_hash;
  container_hash.add("image", in.image_tag)
      .add("gpus", gpu_words(spec, resolution))
      .add("ports", fmt::format("{}/{}", spec.ports.jupyter, spec.ports.tensorboard))
      .add("mounts", util::join(spec.mounts, ","))
      .add("network", std::string(to_string(spec.network)));
  std::string ports;
  if (spec.jupyter != JupyterMode::kNone) {
    ports += fmt::format("Jupyter 127.0.0.1:{}", spec.ports.jupyter);
  }
  if (spec.tensorboard) {
    ports += fmt::format("{}TensorBoard 127.0.0.1:{}", ports.empty() ? "" : ", ",
                         spec.ports.tensorboard);
  }
  steps.push_back({"container", fmt::format("run container {}", in.container_name),
                   fmt::format("{}; {}; reused when image and configuration are unchanged, "
                               "replaced otherwise",
                               gpu_words(spec, resolution), ports.empty() ? "no ports" : ports),
                   short_hash(container_hash)});
  if (spec.target.kind != TargetKind::kLocal && !ports.empty()) {
    steps.push_back({"tunnel", "open SSH tunnels",
                     "forward local ports to Jupyter and TensorBoard; a busy port moves to a free "
                     "one",
                     ""});
  }
  if (spec.jupyter != JupyterMode::kNone || spec.tensorboard) {
    steps.push_back({"await", "wait for the services", ports, ""});
  }
  steps.push_back(
      {"verify", "verify the environment",
       resolution.gpu
           ? fmt::format("{} {} imports and runs an op on the GPU; `up` fails rather than fall "
                         "back to the CPU",
                         to_string(resolution.framework), resolution.framework_version)
           : fmt::format("{} {} imports and runs an op on the CPU", to_string(resolution.framework),
                         resolution.framework_version),
       ""});
  return steps;
}

}  // namespace deepdock::core
