#include "probe/cuda_checks.hpp"

#include <gtest/gtest.h>

#include <string>

#include "fakes/fake_cuda.hpp"
#include "probe/axpy_kernel.hpp"

namespace deepdock::probe {
namespace {

using testing::FakeCuda;
using testing::FakeCudaDevice;

constexpr uint64_t kMiB = 1ULL << 20;

// Small enough for the fake to hold in memory; 1000 elements is not a multiple of the
// block size, so the grid's rounding is exercised.
CudaOptions small_options() {
  return {.kernel_elements = 1000, .bandwidth_bytes = kMiB, .repetitions = 4};
}

CudaReport run(const FakeCuda& fake, const CudaOptions& options = small_options()) {
  return run_cuda_checks(fake.api(), FakeCuda::usable_library(), options);
}

TEST(CudaChecksTest, HealthyDeviceRunsTheKernelCorrectlyAndMeasuresBandwidth) {
  FakeCuda fake;
  const CudaReport report = run(fake);

  EXPECT_FALSE(report.error.failed()) << report.error.call << ": " << report.error.name;
  EXPECT_EQ(report.driver_version, 12040);
  EXPECT_EQ(report.device_count, 1);
  EXPECT_EQ(report.device_name, "NVIDIA H100 80GB HBM3");
  EXPECT_TRUE(report.kernel.ran);
  EXPECT_TRUE(report.kernel.correct);
  EXPECT_EQ(report.kernel.elements, 1000U);
  EXPECT_EQ(report.kernel.mismatches, 0U);
  EXPECT_EQ(report.kernel.jit_log, "");
  EXPECT_GE(report.kernel.seconds, 0);
  EXPECT_TRUE(report.bandwidth.measured);
  EXPECT_EQ(report.bandwidth.bytes, kMiB);
  EXPECT_EQ(report.bandwidth.repetitions, 4);
  EXPECT_NEAR(report.bandwidth.device_to_device_gbps, 2000, 1);
  EXPECT_NEAR(report.bandwidth.host_to_device_gbps, 25, 0.01);

  EXPECT_EQ(fake.contexts_created, 1);
  EXPECT_EQ(fake.contexts_destroyed, 1);
  EXPECT_EQ(fake.modules_unloaded, 1);
  EXPECT_EQ(fake.allocations, 4);
  EXPECT_EQ(fake.frees, 4);
  EXPECT_EQ(fake.host_frees, 1);
  EXPECT_EQ(fake.events_destroyed, 2);
  EXPECT_TRUE(fake.released_everything());
  EXPECT_EQ(fake.calls.back(), "cuCtxDestroy_v2");
}

TEST(CudaChecksTest, LoadsTheEmbeddedPtxAndLaunchesEnoughThreadsForEveryElement) {
  FakeCuda fake;
  const CudaReport report = run(fake);

  EXPECT_EQ(fake.loaded_image, kAxpyPtx);
  EXPECT_GE(fake.launched_threads, 1000U);
  EXPECT_LT(fake.launched_threads, 1000U + 256U);
}

TEST(CudaChecksTest, TimedCopiesAreTheRequestedRepetitionsAfterOneWarmUp) {
  FakeCuda fake;
  const CudaReport report = run(fake);

  EXPECT_EQ(fake.count("cuMemcpyDtoD_v2"), 5U);
  EXPECT_EQ(fake.count("cuMemcpyHtoD_v2"), 2U + 5U);  // the kernel's two inputs, then timing
  EXPECT_EQ(fake.copy_sizes.back(), kMiB);
}

TEST(CudaChecksTest, WrongKernelResultIsCountedAsMismatches) {
  FakeCuda fake(FakeCudaDevice{.wrong_result = true});
  const CudaReport report = run(fake);

  EXPECT_FALSE(report.error.failed());
  EXPECT_TRUE(report.kernel.ran);
  EXPECT_FALSE(report.kernel.correct);
  EXPECT_EQ(report.kernel.mismatches, 1U);
  EXPECT_EQ(report.kernel.elements, 1000U);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, FailedModuleLoadKeepsTheJitLogAndFreesEverything) {
  FakeCuda fake(FakeCudaDevice{
      .module_load_result = cuda::kErrorUnsupportedPtxVersion,
      .jit_log = "ptxas application ptx input, line 4; fatal   : Unsupported .version 6.0\n\n"});
  const CudaReport report = run(fake);

  ASSERT_TRUE(report.error.failed());
  EXPECT_EQ(report.error.call, "cuModuleLoadDataEx");
  EXPECT_EQ(report.error.code, 222);
  EXPECT_EQ(report.error.name, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION");
  EXPECT_EQ(report.error.text, "fake description of CUDA error 222");
  EXPECT_EQ(report.kernel.jit_log,
            "ptxas application ptx input, line 4; fatal   : Unsupported .version 6.0");
  EXPECT_FALSE(report.kernel.ran);
  EXPECT_FALSE(report.bandwidth.measured);
  EXPECT_EQ(fake.count("cuMemAlloc_v2"), 0U);
  EXPECT_EQ(fake.contexts_destroyed, 1);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, LongJitLogIsCutToTheBufferNotOverrun) {
  FakeCuda fake(FakeCudaDevice{.module_load_result = cuda::kErrorInvalidPtx,
                               .jit_log = std::string(20000, 'e')});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.error.name, "CUDA_ERROR_INVALID_PTX");
  EXPECT_FALSE(report.kernel.jit_log.empty());
  EXPECT_LT(report.kernel.jit_log.size(), 20000U);
  EXPECT_EQ(report.kernel.jit_log.find_first_not_of('e'), std::string::npos);
}

TEST(CudaChecksTest, InitFailureIsRecordedAndNothingElseIsCalled) {
  FakeCuda fake(FakeCudaDevice{.init_result = cuda::kErrorUnknown});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.error.call, "cuInit");
  EXPECT_EQ(report.error.code, 999);
  EXPECT_EQ(report.error.name, "CUDA_ERROR_UNKNOWN");
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"cuInit", "cuGetErrorName", "cuGetErrorString"}));
}

TEST(CudaChecksTest, ZeroDevicesIsRecordedAsNoDevice) {
  FakeCuda fake(FakeCudaDevice{.device_count = 0});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.device_count, 0);
  EXPECT_EQ(report.error.call, "cuDeviceGetCount");
  EXPECT_EQ(report.error.code, 100);
  EXPECT_EQ(report.error.name, "CUDA_ERROR_NO_DEVICE");
  EXPECT_EQ(fake.contexts_created, 0);
  EXPECT_FALSE(report.kernel.ran);
}

TEST(CudaChecksTest, FirstFailureIsKeptAndLaterStepsAreSkipped) {
  FakeCuda fake(FakeCudaDevice{.failing_call = "cuLaunchKernel",
                               .failing_result = cuda::kErrorLaunchOutOfResources});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.error.call, "cuLaunchKernel");
  EXPECT_EQ(report.error.name, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES");
  EXPECT_FALSE(report.kernel.ran);
  EXPECT_FALSE(report.bandwidth.measured);
  EXPECT_EQ(fake.count("cuCtxSynchronize"), 0U);
  EXPECT_EQ(fake.count("cuMemcpyDtoH_v2"), 0U);
  EXPECT_EQ(fake.count("cuMemcpyDtoD_v2"), 0U);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, FailedSynchronizeMeansTheKernelDidNotRun) {
  FakeCuda fake(FakeCudaDevice{.failing_call = "cuCtxSynchronize",
                               .failing_result = cuda::kErrorIllegalAddress});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.error.call, "cuCtxSynchronize");
  EXPECT_EQ(report.error.name, "CUDA_ERROR_ILLEGAL_ADDRESS");
  EXPECT_FALSE(report.kernel.ran);
  EXPECT_FALSE(report.kernel.correct);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, SecondAllocationFailingFreesTheFirst) {
  FakeCuda fake(FakeCudaDevice{.failing_call = "cuMemAlloc_v2",
                               .failing_occurrence = 2,
                               .failing_result = cuda::kErrorUnknown});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.error.call, "cuMemAlloc_v2");
  EXPECT_EQ(fake.allocations, 1);
  EXPECT_EQ(fake.frees, 1);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, FailedCopyDuringBandwidthFreesPinnedMemoryEventsAndBuffers) {
  // Two copies of the kernel's inputs, the warm-up, then the first timed copy fails.
  FakeCuda fake(FakeCudaDevice{.failing_call = "cuMemcpyHtoD_v2",
                               .failing_occurrence = 4,
                               .failing_result = cuda::kErrorLaunchFailed});
  const CudaReport report = run(fake);

  EXPECT_TRUE(report.kernel.correct);
  EXPECT_EQ(report.error.call, "cuMemcpyHtoD_v2");
  EXPECT_EQ(report.error.name, "CUDA_ERROR_LAUNCH_FAILED");
  EXPECT_FALSE(report.bandwidth.measured);
  EXPECT_EQ(fake.host_allocations, 1);
  EXPECT_EQ(fake.host_frees, 1);
  EXPECT_EQ(fake.events_created, 2);
  EXPECT_EQ(fake.events_destroyed, 2);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, FailureOfEveryCallLeavesNothingBehind) {
  const char* calls[] = {"cuDeviceGet",         "cuDeviceGetName",    "cuCtxCreate_v2",
                         "cuModuleGetFunction", "cuMemcpyDtoH_v2",    "cuEventCreate",
                         "cuEventRecord",       "cuEventSynchronize", "cuEventElapsedTime",
                         "cuMemcpyDtoD_v2",     "cuMemHostAlloc"};
  for (const char* call : calls) {
    FakeCuda fake(FakeCudaDevice{.failing_call = call, .failing_result = cuda::kErrorUnknown});
    const CudaReport report = run(fake);
    EXPECT_EQ(report.error.call, call);
    EXPECT_FALSE(report.bandwidth.measured) << call;
    EXPECT_TRUE(fake.released_everything()) << call;
  }
}

TEST(CudaChecksTest, BandwidthHalvesTheCopyWhileTheGpuIsOutOfMemory) {
  FakeCuda fake(FakeCudaDevice{.memory_bytes = 3 * kMiB});
  CudaOptions options = small_options();
  options.bandwidth_bytes = 4 * kMiB;
  const CudaReport report = run(fake, options);

  EXPECT_FALSE(report.error.failed()) << report.error.call << ": " << report.error.name;
  EXPECT_TRUE(report.bandwidth.measured);
  EXPECT_EQ(report.bandwidth.bytes, kMiB);
  EXPECT_NEAR(report.bandwidth.device_to_device_gbps, 2000, 1);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, OutOfMemoryEvenForTheSmallestCopyIsAnError) {
  FakeCuda fake(FakeCudaDevice{.memory_bytes = kMiB});
  const CudaReport report = run(fake);

  EXPECT_TRUE(report.kernel.correct);
  EXPECT_EQ(report.error.call, "cuMemAlloc_v2");
  EXPECT_EQ(report.error.name, "CUDA_ERROR_OUT_OF_MEMORY");
  EXPECT_FALSE(report.bandwidth.measured);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, NoBandwidthMeasurementWhenNotAsked) {
  FakeCuda fake;
  CudaOptions options = small_options();
  options.measure_bandwidth = false;
  const CudaReport report = run(fake, options);

  EXPECT_TRUE(report.kernel.correct);
  EXPECT_FALSE(report.bandwidth.measured);
  EXPECT_EQ(fake.count("cuMemcpyDtoD_v2"), 0U);
  EXPECT_EQ(fake.count("cuEventCreate"), 0U);
  EXPECT_TRUE(fake.released_everything());
}

TEST(CudaChecksTest, ZeroKernelElementsRunsOne) {
  FakeCuda fake;
  CudaOptions options = small_options();
  options.kernel_elements = 0;
  const CudaReport report = run(fake, options);

  EXPECT_EQ(report.kernel.elements, 1U);
  EXPECT_TRUE(report.kernel.correct);
}

TEST(CudaChecksTest, ErrorNamesComeFromOurTableWithoutCuGetErrorName) {
  FakeCuda fake(FakeCudaDevice{.init_result = cuda::kErrorStubLibrary, .error_functions = false});
  const CudaReport report = run(fake);

  EXPECT_EQ(report.error.call, "cuInit");
  EXPECT_EQ(report.error.code, 34);
  EXPECT_EQ(report.error.name, "CUDA_ERROR_STUB_LIBRARY");
  EXPECT_EQ(report.error.text, "");
}

TEST(CudaChecksTest, UnusableLibraryIsNotCalled) {
  FakeCuda fake;
  LibraryStatus lacking = FakeCuda::usable_library();
  lacking.missing_symbols = {"cuLaunchKernel"};
  const CudaReport report = run_cuda_checks(fake.api(), lacking, small_options());

  EXPECT_TRUE(fake.calls.empty());
  EXPECT_FALSE(report.error.failed());
  EXPECT_EQ(report.library.missing_symbols, std::vector<std::string>{"cuLaunchKernel"});
}

}  // namespace
}  // namespace deepdock::probe
