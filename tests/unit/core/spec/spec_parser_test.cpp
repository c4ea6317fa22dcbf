#include "core/spec/spec_parser.hpp"

#include <gtest/gtest.h>

#include "unit/core/spec/spec_test_support.hpp"

namespace deepdock::core {
namespace {

using testing::parsed;
using testing::problem_lines;

constexpr std::string_view kFullSpec = R"(# every key, none at its default
name: bert-score
framework: pytorch
version: "2.1.2"
gpu: 2
python: "3.10"
base: nvcr.io/nvidia/pytorch:23.10-py3
apt: [git, libsndfile1=1.2.0-1]
pip: [pandas, "torch>=2.1; python_version >= '3.10'"]
requirements: envs/requirements.txt
jupyter: notebook
tensorboard: false
ports: {jupyter: 8890, tensorboard: 6007}
mounts: ["./work:/workspace", "/srv/data:/data:ro"]
network: host
target:
  kind: gcp
  host: ssh://whale@203.0.113.7:2222
  gcp:
    project: learning-deeply
    zones: [us-west1-b, us-central1-a]
    machine_type: n1-standard-8
    accelerator: nvidia-l4
    count: 2
    disk_gb: 200
    image_family: ubuntu-2204-lts
    spot: true
    idle_stop_minutes: 60
build: cloudbuild
registry: us-west1-docker.pkg.dev/learning-deeply/envs
)";

TEST(SpecParserTest, DefaultSpecIsTheDocumentedDefaultEnvironment) {
  const Spec spec = default_spec();
  EXPECT_EQ(spec.name, "deepdock");
  EXPECT_EQ(spec.framework, Framework::kTensorflow);
  EXPECT_EQ(spec.version, "");
  EXPECT_EQ(spec.gpu.mode, GpuMode::kAuto);
  EXPECT_EQ(spec.python, "");
  EXPECT_EQ(spec.base, "auto");
  EXPECT_EQ(spec.jupyter, JupyterMode::kLab);
  EXPECT_TRUE(spec.tensorboard);
  EXPECT_EQ(spec.ports.jupyter, 8888);
  EXPECT_EQ(spec.ports.tensorboard, 6006);
  EXPECT_EQ(spec.network, NetworkMode::kBridge);
  EXPECT_EQ(spec.target.kind, TargetKind::kLocal);
  EXPECT_EQ(spec.target.gcp.accelerator, "nvidia-tesla-t4");
  EXPECT_EQ(spec.target.gcp.count, 1);
  EXPECT_EQ(spec.target.gcp.disk_gb, 100);
  EXPECT_EQ(spec.build, BuildMode::kLocal);
  EXPECT_TRUE(spec.file.empty());
  EXPECT_TRUE(spec.locations.empty());
}

TEST(SpecParserTest, EmptyOrCommentOnlyFileIsTheDefaultEnvironment) {
  for (const std::string_view text : {"", "\n\n", "# nothing yet\n", "---\n", "~\n"}) {
    const auto spec = parse_spec(text, "dir/deepdock.yaml");
    ASSERT_TRUE(spec.has_value()) << text;
    EXPECT_EQ(spec->name, "deepdock");
    EXPECT_EQ(spec->framework, Framework::kTensorflow);
    EXPECT_EQ(spec->file, "dir/deepdock.yaml");
    EXPECT_TRUE(spec->locations.empty());
  }
}

TEST(SpecParserTest, FullSpecReadsEveryKey) {
  const Spec spec = parsed(kFullSpec);
  EXPECT_EQ(spec.name, "bert-score");
  EXPECT_EQ(spec.framework, Framework::kPytorch);
  EXPECT_EQ(spec.version, "2.1.2");
  EXPECT_EQ(spec.gpu.mode, GpuMode::kCount);
  EXPECT_EQ(spec.gpu.count, 2);
  EXPECT_EQ(spec.python, "3.10");
  EXPECT_EQ(spec.base, "nvcr.io/nvidia/pytorch:23.10-py3");
  EXPECT_EQ(spec.apt, (std::vector<std::string>{"git", "libsndfile1=1.2.0-1"}));
  EXPECT_EQ(spec.pip, (std::vector<std::string>{"pandas", "torch>=2.1; python_version >= '3.10'"}));
  EXPECT_EQ(spec.requirements, "envs/requirements.txt");
  EXPECT_EQ(spec.jupyter, JupyterMode::kNotebook);
  EXPECT_FALSE(spec.tensorboard);
  EXPECT_EQ(spec.ports.jupyter, 8890);
  EXPECT_EQ(spec.ports.tensorboard, 6007);
  EXPECT_EQ(spec.mounts, (std::vector<std::string>{"./work:/workspace", "/srv/data:/data:ro"}));
  EXPECT_EQ(spec.network, NetworkMode::kHost);
  EXPECT_EQ(spec.target.kind, TargetKind::kGcp);
  EXPECT_EQ(spec.target.host, "ssh://whale@203.0.113.7:2222");
  const GcpTarget& gcp = spec.target.gcp;
  EXPECT_EQ(gcp.project, "learning-deeply");
  EXPECT_EQ(gcp.zones, (std::vector<std::string>{"us-west1-b", "us-central1-a"}));
  EXPECT_EQ(gcp.machine_type, "n1-standard-8");
  EXPECT_EQ(gcp.accelerator, "nvidia-l4");
  EXPECT_EQ(gcp.count, 2);
  EXPECT_EQ(gcp.disk_gb, 200);
  EXPECT_EQ(gcp.image_family, "ubuntu-2204-lts");
  EXPECT_TRUE(gcp.spot);
  EXPECT_EQ(gcp.idle_stop_minutes, 60);
  EXPECT_EQ(spec.build, BuildMode::kCloudbuild);
  EXPECT_EQ(spec.registry, "us-west1-docker.pkg.dev/learning-deeply/envs");
  EXPECT_EQ(spec.file, "deepdock.yaml");
}

TEST(SpecParserTest, RecordsWhereEveryKeyWasSet) {
  const Spec spec = parsed(kFullSpec);
  EXPECT_EQ(spec.locations.size(), spec_keys().size());
  for (const std::string& key : spec_keys()) {
    EXPECT_TRUE(spec.locations.contains(key)) << key;
  }
  EXPECT_EQ(spec.locations.at("name").line, 2);
  EXPECT_EQ(spec.locations.at("name").column, 1);
  EXPECT_EQ(spec.locations.at("target.kind").line, 17);
  EXPECT_EQ(spec.locations.at("target.kind").column, 3);
  EXPECT_EQ(spec.locations.at("target.gcp.zones").line, 21);
  EXPECT_EQ(spec.locations.at("target.gcp.zones").column, 5);
  EXPECT_EQ(spec.locations.at("ports.tensorboard").line, 13);
}

TEST(SpecParserTest, VersionsAreReadAsWrittenEvenUnquoted) {
  // YAML would make 2.10 the float 2.1; the spec keeps the text the user wrote.
  EXPECT_EQ(parsed("version: 2.10\n").version, "2.10");
  EXPECT_EQ(parsed("python: 3.10\n").python, "3.10");
  EXPECT_EQ(parsed("version: '2.15.1'\n").version, "2.15.1");
  EXPECT_EQ(parsed("version: latest\n").version, "");
  EXPECT_EQ(parsed("version: \"\"\n").version, "");
}

TEST(SpecParserTest, EmptyValuesKeepTheirDefaults) {
  const Spec spec = parsed("name:\ngpu: ~\napt:\ntarget:\nports: null\n");
  EXPECT_EQ(spec.name, "deepdock");
  EXPECT_EQ(spec.gpu.mode, GpuMode::kAuto);
  EXPECT_TRUE(spec.apt.empty());
  EXPECT_EQ(spec.target.kind, TargetKind::kLocal);
  EXPECT_EQ(spec.ports.jupyter, 8888);
  EXPECT_EQ(spec.locations.at("gpu").line, 2);
}

TEST(SpecParserTest, GpuModesAndCounts) {
  EXPECT_EQ(parsed("gpu: required\n").gpu.mode, GpuMode::kRequired);
  EXPECT_EQ(parsed("gpu: none\n").gpu.mode, GpuMode::kNone);
  EXPECT_EQ(parsed("gpu: 16\n").gpu.count, 16);
  EXPECT_EQ(parsed("gpu: 1\n").gpu.mode, GpuMode::kCount);
}

TEST(SpecParserTest, ExplicitCoreTagsCountAsTheirType) {
  EXPECT_FALSE(parsed("tensorboard: !!bool false\n").tensorboard);
  EXPECT_EQ(parsed("ports: {jupyter: !!int 9000}\n").ports.jupyter, 9000);
}

TEST(SpecParserTest, TargetShorthands) {
  EXPECT_EQ(parsed("target: gcp\n").target.kind, TargetKind::kGcp);
  const Spec ssh = parsed("target: ssh://whale@gpu-box.lan\n");
  EXPECT_EQ(ssh.target.kind, TargetKind::kSsh);
  EXPECT_EQ(ssh.target.host, "ssh://whale@gpu-box.lan");
  EXPECT_EQ(ssh.locations.at("target.host").line, 1);
  EXPECT_EQ(parsed("target: {kind: ssh, host: 'ssh://[2001:db8::1]:22'}\n").target.host,
            "ssh://[2001:db8::1]:22");
}

TEST(SpecParserTest, BasesAcceptAutoImagesAndDebootstrap) {
  EXPECT_EQ(parsed("base: debootstrap:bookworm\n").base, "debootstrap:bookworm");
  EXPECT_EQ(parsed("base: 127.0.0.1:5000/base/debian:12\n").base, "127.0.0.1:5000/base/debian:12");
  EXPECT_EQ(parsed("base: ubuntu\n").base, "ubuntu");
  EXPECT_TRUE(problem_lines("base: auto\n").empty());
}

TEST(SpecParserTest, ParseSpecFoldsEveryProblemIntoOneInvalidInputError) {
  const auto result = parse_spec("framwork: tensorflow\ngpu: sometimes\n", "env/deepdock.yaml");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(result.error().exit_code(), 2);
  EXPECT_EQ(result.error().message,
            "env/deepdock.yaml:1:1: unknown key 'framwork' (did you mean 'framework'?)\n"
            "env/deepdock.yaml:2:6: gpu: 'sometimes' is not one of auto, required, none, or a "
            "count 1-16");
  EXPECT_NE(result.error().hint.find("docs/spec.md"), std::string::npos);
  EXPECT_NE(result.error().hint.find("2 problems"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::core
