// DockerEngine: the error mapping (engine_errors.cpp, gpu_errors.cpp), one case per row.
#include <gtest/gtest.h>

#include "adapters/docker/engine_errors.hpp"
#include "adapters/docker/gpu_errors.hpp"
#include "docker_engine_test_support.hpp"

namespace deepdock::adapters::docker::test {
namespace {

constexpr std::string_view kEndpoint = "unix:///fake/docker.sock";

std::string message_body(std::string_view message) {
  return nlohmann::json{{"message", message}}.dump();
}

// What starting a container returns when the engine answers 500 with `message`.
Error start_error(std::string_view message) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/c1/start",
                       reply(500, message_body(message)));
  auto started = engine->start_container("c1");
  EXPECT_FALSE(started);
  return started ? Error{} : started.error();
}

bool has(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

TEST(DockerEngineErrorsTest, DaemonMessageReadsDockerAndPodmanBodies) {
  EXPECT_EQ(daemon_message(R"({"message":"No such container: x"})"), "No such container: x");
  EXPECT_EQ(daemon_message(R"({"cause":"no such container","message":"x","response":404})"), "x");
  EXPECT_EQ(daemon_message("  plain text\n"), "plain text");
  EXPECT_EQ(daemon_message(""), "");
}

TEST(DockerEngineErrorsTest, NoGpuDriverIsAPreconditionWithTheToolkitFix) {
  const Error error =
      start_error(R"(could not select device driver "" with capabilities: [[gpu]])");
  EXPECT_EQ(error.code, ErrorCode::kPrecondition);
  EXPECT_TRUE(has(error.message,
                  "starting container c1: the Docker engine has no NVIDIA GPU "
                  "support (the NVIDIA container toolkit is missing or dockerd was "
                  "not restarted after installing it)"));
  EXPECT_TRUE(has(error.message, "could not select device driver"));  // the engine's own words
  EXPECT_TRUE(has(error.hint, "install nvidia-container-toolkit"));
  EXPECT_TRUE(has(error.hint,
                  "sudo nvidia-ctk runtime configure --runtime=docker && sudo "
                  "systemctl restart docker"));
  EXPECT_TRUE(has(error.hint, "deepdock doctor"));
}

TEST(DockerEngineErrorsTest, CdiDriverMissingMeansCdiIsNotEnabled) {
  const Error error = start_error(R"(could not select device driver "cdi" with capabilities: [])");
  EXPECT_EQ(error.code, ErrorCode::kPrecondition);
  EXPECT_TRUE(has(error.message, "CDI is not enabled"));
  EXPECT_TRUE(has(error.hint, "\"features\": {\"cdi\": true}"));
  EXPECT_TRUE(has(error.hint, "/etc/docker/daemon.json"));
  EXPECT_TRUE(has(error.hint, "sudo systemctl restart docker"));
}

TEST(DockerEngineErrorsTest, UnresolvableCdiDevicesSaysToGenerateTheSpec) {
  const Error error =
      start_error("CDI device injection failed: unresolvable CDI devices nvidia.com/gpu=all");
  EXPECT_EQ(error.code, ErrorCode::kPrecondition);
  EXPECT_TRUE(has(error.hint, "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"));
}

TEST(DockerEngineErrorsTest, CudaRequirementIsIncompatibleWithTheDriverBranch) {
  const Error error = start_error(
      "failed to create shim task: OCI runtime create failed: runc create failed: unable to start "
      "container process: error during container init: error running hook #0: error running "
      "hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\n"
      "nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.4, please update "
      "your driver to a newer version, or use an earlier cuda container: unknown");
  EXPECT_EQ(error.code, ErrorCode::kIncompatible);
  EXPECT_TRUE(has(error.message,
                  "starting container c1: the image needs CUDA 12.4 but the host driver supports "
                  "less"));
  EXPECT_TRUE(has(error.hint, "R550"));
  EXPECT_TRUE(has(error.hint, "older CUDA"));
  EXPECT_TRUE(has(error.hint, "deepdock plan --explain"));
}

TEST(DockerEngineErrorsTest, CudaRequirementOutsideTheTableStillExplains) {
  const auto error = classify_gpu_error("unsatisfied condition: cuda>=99.1, please update");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kIncompatible);
  EXPECT_TRUE(has(error->message, "CUDA 99.1"));
  EXPECT_TRUE(has(error->hint, "a newer NVIDIA driver"));
}

TEST(DockerEngineErrorsTest, DriverBranchTable) {
  EXPECT_EQ(min_driver_branch_for_cuda(11, 8), "520");
  EXPECT_EQ(min_driver_branch_for_cuda(12, 2), "535");
  EXPECT_EQ(min_driver_branch_for_cuda(12, 8), "570");
  EXPECT_EQ(min_driver_branch_for_cuda(10, 2), "");
}

TEST(DockerEngineErrorsTest, NvmlFailuresExplainMismatchAndLostCgroups) {
  for (const std::string_view message :
       {"nvidia-container-cli: initialization error: nvml error: driver/library version mismatch",
        "Failed to initialize NVML: Unknown Error",
        "nvidia-container-cli: initialization error: nvml error: driver not loaded"}) {
    const Error error = start_error(message);
    EXPECT_EQ(error.code, ErrorCode::kPrecondition) << message;
    EXPECT_TRUE(has(error.message, "NVML cannot talk to the NVIDIA driver")) << message;
    EXPECT_TRUE(has(error.hint, "reboot")) << message;
    EXPECT_TRUE(has(error.hint, "daemon-reload")) << message;
    EXPECT_TRUE(has(error.hint, "no-cgroups")) << message;
    EXPECT_TRUE(has(error.hint, "deepdock doctor")) << message;
  }
}

TEST(DockerEngineErrorsTest, UnknownServerErrorIsAFailureWithTheDaemonMessage) {
  const Error error = start_error("something odd happened");
  EXPECT_EQ(error.code, ErrorCode::kFailure);
  EXPECT_EQ(error.message, "starting container c1: something odd happened");
}

TEST(DockerEngineErrorsTest, StatusCodesMapToErrorCodes) {
  const auto code = [](int status) {
    return http_error(status, message_body("m"), "doing x", kEndpoint).code;
  };
  EXPECT_EQ(code(400), ErrorCode::kInvalidInput);
  EXPECT_EQ(code(401), ErrorCode::kPermissionDenied);
  EXPECT_EQ(code(403), ErrorCode::kPermissionDenied);
  EXPECT_EQ(code(404), ErrorCode::kNotFound);
  EXPECT_EQ(code(409), ErrorCode::kConflict);
  EXPECT_EQ(code(500), ErrorCode::kFailure);
  EXPECT_EQ(code(503), ErrorCode::kUnavailable);
  EXPECT_EQ(http_error(500, "", "doing x", kEndpoint).message,
            "doing x: the engine answered HTTP 500");
}

TEST(DockerEngineErrorsTest, ClientVersionTooOldIsAPrecondition) {
  const Error error = http_error(
      400,
      message_body("client version 1.24 is too old. Minimum supported API version is 1.40, please "
                   "upgrade your client to a newer version"),
      "listing containers", kEndpoint);
  EXPECT_EQ(error.code, ErrorCode::kPrecondition);
  EXPECT_TRUE(has(error.message, kEndpoint));
}

TEST(DockerEngineErrorsTest, TransportFailuresNameTheEndpoint) {
  const Error unreachable = transport_error(
      Error{ErrorCode::kUnavailable, "connection refused", {}}, "pulling image x:1", kEndpoint);
  EXPECT_EQ(unreachable.code, ErrorCode::kPrecondition);
  EXPECT_EQ(unreachable.message,
            "pulling image x:1: cannot reach the Docker engine at unix:///fake/docker.sock "
            "(connection refused)");
  const Error denied = transport_error(Error{ErrorCode::kPermissionDenied, "EACCES", {}},
                                       "pulling image x:1", kEndpoint);
  EXPECT_EQ(denied.code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(has(denied.hint, "sudo usermod -aG docker $USER"));
  const Error timeout =
      transport_error(Error{ErrorCode::kTimeout, "60 s", {}}, "pulling image x:1", kEndpoint);
  EXPECT_EQ(timeout.code, ErrorCode::kTimeout);
  const Error cancelled = transport_error(Error{ErrorCode::kCancelled, "interrupted", {}},
                                          "pulling image x:1", kEndpoint);
  EXPECT_EQ(cancelled.code, ErrorCode::kCancelled);
}

TEST(DockerEngineErrorsTest, StreamErrorsAreClassifiedByMessage) {
  EXPECT_EQ(
      stream_error(Error{ErrorCode::kFailure, "manifest unknown: manifest unknown", {}}, "a").code,
      ErrorCode::kNotFound);
  EXPECT_EQ(stream_error(Error{ErrorCode::kFailure,
                               "denied: requested access to the resource is "
                               "denied",
                               {}},
                         "a")
                .code,
            ErrorCode::kPermissionDenied);
  const Error http_registry = stream_error(
      Error{ErrorCode::kFailure, "http: server gave HTTP response to HTTPS client", {}}, "a");
  EXPECT_EQ(http_registry.code, ErrorCode::kPrecondition);
  EXPECT_TRUE(has(http_registry.hint, "insecure-registries"));
  const Error other = stream_error(Error{ErrorCode::kFailure, "boom", {}}, "building image x");
  EXPECT_EQ(other.code, ErrorCode::kFailure);
  EXPECT_EQ(other.message, "building image x: boom");
}

}  // namespace
}  // namespace deepdock::adapters::docker::test
