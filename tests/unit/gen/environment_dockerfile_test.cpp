#include "gen/environment_dockerfile.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gen/start_script.hpp"
#include "support/golden.hpp"

namespace deepdock::gen {
namespace {

using core::BaseKind;
using core::Framework;
using core::JupyterMode;

core::Spec spec_named(const std::string& name, Framework framework, JupyterMode jupyter) {
  core::Spec spec;
  spec.name = name;
  spec.framework = framework;
  spec.jupyter = jupyter;
  return spec;
}

core::Resolution tf215_gpu() {
  core::Resolution r;
  r.framework = Framework::kTensorflow;
  r.framework_version = "2.15.1";
  r.python = "3.11";
  r.gpu = true;
  r.cuda = "12.2";
  r.cudnn = "8.9";
  r.min_driver = "525.60.13";
  r.driver_branch = "R535";
  r.base_kind = BaseKind::kOfficialImage;
  r.base_image = "tensorflow/tensorflow:2.15.0-gpu-jupyter";
  return r;
}

core::Resolution debian_pytorch() {
  core::Resolution r;
  r.framework = Framework::kPytorch;
  r.framework_version = "debian";
  r.python = "3.11";
  r.base_kind = BaseKind::kDebootstrap;
  r.base_image = "debootstrap:bookworm";
  r.apt_packages = {"python3-torch"};
  return r;
}

GenOptions default_options() {
  return {.debootstrap_image = "deepdock/bookworm:minbase", .requirements_name = ""};
}

TEST(EnvironmentDockerfileTest, Tf215GpuOfficialImageWithAptPipRequirementsAndLab) {
  auto spec = spec_named("bert-score", Framework::kTensorflow, JupyterMode::kLab);
  spec.apt = {"git", "graphviz"};
  spec.pip = {"pandas==2.1.4", "transformers>=4.38; python_version >= '3.10'"};
  spec.requirements = "requirements.txt";
  const auto out = generate_environment(
      spec, tf215_gpu(), {.debootstrap_image = "unused", .requirements_name = "requirements.txt"});
  testing::expect_golden("gen/environment_tf215_gpu_lab.Dockerfile", out.dockerfile.render());
  EXPECT_TRUE(out.notes.empty());
}

TEST(EnvironmentDockerfileTest, Tf21Py3EraImageWithNotebook) {
  auto spec = spec_named("legacy", Framework::kTensorflow, JupyterMode::kNotebook);
  spec.ports = {.jupyter = 8890, .tensorboard = 8891};
  core::Resolution r = tf215_gpu();
  r.framework_version = "2.1.0";
  r.python = "3.6";
  r.cuda = "10.1";
  r.cudnn = "7.6";
  r.min_driver = "418.39";
  r.driver_branch = "R470";
  r.base_image = "tensorflow/tensorflow:2.1.0-gpu-py3-jupyter";
  testing::expect_golden("gen/environment_tf21_py3_notebook.Dockerfile",
                         generate_environment(spec, r, default_options()).dockerfile.render());
}

TEST(EnvironmentDockerfileTest, PytorchCudaWheelsFromTheResolversIndex) {
  // As the resolver answers `framework: pytorch`: a Python image, the CUDA wheels from the
  // PyTorch index (they bring the CUDA runtime and cuDNN; the host needs only the driver).
  auto spec = spec_named("vision", Framework::kPytorch, JupyterMode::kLab);
  spec.apt = {"libgl1"};
  spec.pip = {"torchvision==0.16.*"};
  core::Resolution r;
  r.framework = Framework::kPytorch;
  r.framework_version = "2.1.2";
  r.python = "3.11";
  r.gpu = true;
  r.cuda = "12.1";
  r.cudnn = "8.9";
  r.min_driver = "530.30.02";
  r.driver_branch = "R535";
  r.base_kind = BaseKind::kOfficialImage;
  r.base_image = "python:3.11-slim";
  r.pip_packages = {"torch==2.1.*"};
  r.pip_index_url = "https://download.pytorch.org/whl/cu121";
  testing::expect_golden("gen/environment_pytorch_cuda_index.Dockerfile",
                         generate_environment(spec, r, default_options()).dockerfile.render());
}

TEST(EnvironmentDockerfileTest, DebootstrapOfflinePytorchNotebook) {
  auto spec = spec_named("offline-pytorch", Framework::kPytorch, JupyterMode::kNotebook);
  spec.base = "debootstrap:bookworm";
  spec.apt = {"python3-torch", "jupyter-notebook"};
  spec.network = core::NetworkMode::kHost;
  const auto out = generate_environment(spec, debian_pytorch(), default_options());
  testing::expect_golden("gen/environment_debootstrap_pytorch_notebook.Dockerfile",
                         out.dockerfile.render());
  // TensorBoard is on by default, but Debian has no package for it: said, not hidden.
  ASSERT_EQ(out.notes.size(), 1U);
  EXPECT_NE(out.notes[0].find("TensorBoard"), std::string::npos);
}

TEST(EnvironmentDockerfileTest, CpuImageWithoutFramework) {
  auto spec = spec_named("scratch", Framework::kNone, JupyterMode::kLab);
  spec.tensorboard = false;
  spec.pip = {"numpy"};
  core::Resolution r;
  r.framework = Framework::kNone;
  r.python = "3.11";
  r.base_kind = BaseKind::kImageRef;
  r.base_image = "python:3.11-slim-bookworm";
  testing::expect_golden("gen/environment_cpu_framework_none.Dockerfile",
                         generate_environment(spec, r, default_options()).dockerfile.render());
}

TEST(EnvironmentDockerfileTest, NoJupyterChecksTheFrameworkImports) {
  auto spec = spec_named("batch", Framework::kTensorflow, JupyterMode::kNone);
  core::Resolution r = tf215_gpu();
  r.gpu = false;
  r.cuda = r.cudnn = r.min_driver = r.driver_branch = "";
  r.base_image = "tensorflow/tensorflow:2.15.0";
  const auto out = generate_environment(spec, r, default_options());
  testing::expect_golden("gen/environment_jupyter_none.Dockerfile", out.dockerfile.render());
  EXPECT_EQ(out.files.size(), 1U) << "only the start script without Jupyter";
}

TEST(EnvironmentDockerfileTest, GeneratedFilesAreGolden) {
  const auto out =
      generate_environment(spec_named("files", Framework::kPytorch, JupyterMode::kNotebook),
                           debian_pytorch(), default_options());
  ASSERT_EQ(out.files.size(), 5U);
  testing::expect_golden("gen/environment_start.sh", out.files.at("deepdock/start.sh"));
  testing::expect_golden("gen/environment_jupyter_healthcheck.py",
                         out.files.at("deepdock/jupyter_healthcheck.py"));
  EXPECT_EQ(out.files.at("deepdock/jupyter/jupyter_server_config.json"),
            "{\n  \"ServerApp\": {\n    \"root_dir\": \"/workspace\",\n"
            "    \"open_browser\": false\n  }\n}\n");
  EXPECT_EQ(out.files.at("deepdock/jupyter/jupyter_notebook_config.json"),
            "{\n  \"NotebookApp\": {\n    \"notebook_dir\": \"/workspace\",\n"
            "    \"open_browser\": false\n  }\n}\n");
  // Debian's own kernel spec names /usr/bin/python3, which cannot see the venv's packages.
  EXPECT_EQ(out.files.at("deepdock/share/jupyter/kernels/python3/kernel.json"),
            "{\n \"argv\": [\n  \"/opt/deepdock/venv/bin/python3\",\n  \"-m\",\n"
            "  \"ipykernel_launcher\",\n  \"-f\",\n  \"{connection_file}\"\n ],\n"
            " \"display_name\": \"Python 3 (ipykernel)\",\n \"language\": \"python\"\n}\n");
}

TEST(EnvironmentDockerfileTest, DebootstrapLabFallsBackToDebiansNotebookAndSaysSo) {
  const auto out = generate_environment(spec_named("lab", Framework::kPytorch, JupyterMode::kLab),
                                        debian_pytorch(), default_options());
  EXPECT_EQ(out.labels.at("deepdock.jupyter"), "notebook");
  const std::string text = out.dockerfile.render();
  EXPECT_NE(text.find("jupyter-notebook"), std::string::npos);
  EXPECT_NE(text.find("DEEPDOCK_JUPYTER=\"notebook\""), std::string::npos);
  EXPECT_NE(text.find("# Note: Debian packages Jupyter Notebook but not JupyterLab"),
            std::string::npos);
  EXPECT_EQ(out.notes.size(), 2U);  // JupyterLab and TensorBoard
}

TEST(EnvironmentDockerfileTest, TheContextSaysWhatTheImageServes) {
  const auto debian =
      generate_environment(spec_named("lab", Framework::kPytorch, JupyterMode::kLab),
                           debian_pytorch(), default_options());
  EXPECT_EQ(debian.jupyter, JupyterMode::kNotebook);
  EXPECT_FALSE(debian.serves_tensorboard) << "Debian does not package TensorBoard";
  auto with_pip = spec_named("lab", Framework::kPytorch, JupyterMode::kLab);
  with_pip.pip = {"tensorboard"};
  EXPECT_TRUE(
      generate_environment(with_pip, debian_pytorch(), default_options()).serves_tensorboard);
  const auto official = generate_environment(
      spec_named("tf", Framework::kTensorflow, JupyterMode::kLab), tf215_gpu(), default_options());
  EXPECT_EQ(official.jupyter, JupyterMode::kLab);
  EXPECT_TRUE(official.serves_tensorboard);
}

TEST(EnvironmentDockerfileTest, DebootstrapLabStaysLabWhenThePipListHasJupyterlab) {
  auto spec = spec_named("lab", Framework::kPytorch, JupyterMode::kLab);
  spec.tensorboard = false;
  spec.pip = {"JupyterLab>=4"};
  const auto out = generate_environment(spec, debian_pytorch(), default_options());
  EXPECT_EQ(out.labels.at("deepdock.jupyter"), "lab");
  EXPECT_TRUE(out.notes.empty());
  const std::string text = out.dockerfile.render();
  EXPECT_EQ(text.find("jupyter-notebook"), std::string::npos);
  EXPECT_NE(text.find("python3 -m pip install --no-cache-dir 'JupyterLab>=4'"), std::string::npos);
}

TEST(EnvironmentDockerfileTest, UserPinOfAnAptPackageWinsOverTheResolutions) {
  auto spec = spec_named("pinned", Framework::kPytorch, JupyterMode::kNone);
  spec.apt = {"python3-torch=1.13.1+dfsg-4", "git"};
  const std::string text =
      generate_environment(spec, debian_pytorch(), default_options()).dockerfile.render();
  EXPECT_NE(text.find("--no-install-recommends python3-torch=1.13.1+dfsg-4 python3 python3-venv "
                      "git \\\n"),
            std::string::npos)
      << text;
}

TEST(EnvironmentDockerfileTest, LabelsRecordTheResolution) {
  const auto out =
      generate_environment(spec_named("bert-score", Framework::kTensorflow, JupyterMode::kLab),
                           tf215_gpu(), default_options());
  const std::map<std::string, std::string> expected = {
      {"deepdock.base", "tensorflow/tensorflow:2.15.0-gpu-jupyter"},
      {"deepdock.cuda", "12.2"},
      {"deepdock.cudnn", "8.9"},
      {"deepdock.framework", "tensorflow"},
      {"deepdock.framework_version", "2.15.1"},
      {"deepdock.generator", "deepdock"},
      {"deepdock.gpu", "true"},
      {"deepdock.jupyter", "lab"},
      {"deepdock.min_driver", "525.60.13"},
      {"deepdock.python", "3.11"},
      {"deepdock.spec.name", "bert-score"}};
  EXPECT_EQ(out.labels, expected);
}

TEST(EnvironmentDockerfileTest, NoTokenAndNoBindAddressIsBakedIn) {
  for (const auto mode : {JupyterMode::kLab, JupyterMode::kNotebook, JupyterMode::kNone}) {
    const std::string text = generate_environment(spec_named("t", Framework::kTensorflow, mode),
                                                  tf215_gpu(), default_options())
                                 .dockerfile.render();
    EXPECT_EQ(text.find("TOKEN"), std::string::npos) << text;
    EXPECT_EQ(text.find(kEnvBindIp), std::string::npos) << text;
    EXPECT_EQ(text.find("0.0.0.0"), std::string::npos) << text;
  }
}

TEST(EnvironmentDockerfileTest, HeavyLayersComeBeforeTheOnesThatChangeOften) {
  auto spec = spec_named("order", Framework::kPytorch, JupyterMode::kNotebook);
  spec.apt = {"git"};
  spec.pip = {"pandas"};
  const std::string text =
      generate_environment(spec, debian_pytorch(),
                           {.debootstrap_image = "base", .requirements_name = "requirements.txt"})
          .dockerfile.render();
  const std::vector<std::string> in_order = {"RUN export DEBIAN_FRONTEND",
                                             "useradd",
                                             "python3 -m venv",
                                             "-r /opt/deepdock/requirements",
                                             "install --no-cache-dir pandas",
                                             "COPY [\"deepdock/\"",
                                             "LABEL",
                                             "USER 1000:1000",
                                             "CMD"};
  size_t previous = 0;
  for (const auto& marker : in_order) {
    const size_t at = text.find(marker);
    ASSERT_NE(at, std::string::npos) << marker << "\n" << text;
    EXPECT_GT(at, previous) << marker << " is out of order\n" << text;
    previous = at;
  }
}

}  // namespace
}  // namespace deepdock::gen
