#include "probe/driver_library.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "probe/cuda_checks.hpp"

namespace deepdock::probe {
namespace {

// A library every machine that runs these tests has (the HTTP and archive code link it).
constexpr const char* kZlib = "libz.so.1";
constexpr const char* kNoSuchLibrary = "libdeepdock-no-such-library.so.1";

// Sets an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DriverLibraryTest, MissingLibraryIsNotLoadedAndKeepsTheLoadersWords) {
  const NvmlLibrary nvml = load_nvml(kNoSuchLibrary);

  EXPECT_EQ(nvml.status.soname, kNoSuchLibrary);
  EXPECT_FALSE(nvml.status.loaded);
  EXPECT_FALSE(nvml.status.usable());
  EXPECT_NE(nvml.status.error.find(kNoSuchLibrary), std::string::npos) << nvml.status.error;
  EXPECT_NE(nvml.status.error.find("cannot open shared object file"), std::string::npos)
      << nvml.status.error;
  EXPECT_TRUE(nvml.status.missing_symbols.empty());
  EXPECT_EQ(nvml.status.path, "");
  EXPECT_EQ(nvml.api.nvmlInit_v2, nullptr);
  EXPECT_FALSE(nvml.library.loaded());
}

TEST(DriverLibraryTest, LoadedLibraryReportsTheFileTheLoaderPicked) {
  LibraryStatus status;
  const SharedLibrary zlib = open_library(kZlib, true, status);

  ASSERT_TRUE(status.loaded) << status.error;
  EXPECT_EQ(status.soname, kZlib);
  EXPECT_EQ(status.error, "");
  EXPECT_EQ(status.path.front(), '/') << status.path;
  EXPECT_NE(status.path.find("libz.so"), std::string::npos) << status.path;
  EXPECT_NE(zlib.symbol("zlibVersion"), nullptr);
  EXPECT_EQ(zlib.symbol("nvmlInit_v2"), nullptr);
}

TEST(DriverLibraryTest, LibraryWithoutNvmlListsEveryRequiredSymbolMissing) {
  const NvmlLibrary nvml = load_nvml(kZlib);

  EXPECT_TRUE(nvml.status.loaded);
  EXPECT_FALSE(nvml.status.usable());
  EXPECT_EQ(nvml.status.missing_symbols,
            (std::vector<std::string>{"nvmlInit_v2", "nvmlShutdown", "nvmlSystemGetDriverVersion",
                                      "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2",
                                      "nvmlDeviceGetName", "nvmlDeviceGetUUID"}));
  EXPECT_EQ(nvml.api.nvmlErrorString, nullptr);
  EXPECT_EQ(nvml.api.nvmlDeviceGetMigMode, nullptr);
}

TEST(DriverLibraryTest, LibraryWithoutCudaListsEveryRequiredSymbolMissingButNotTheOptional) {
  const CudaLibrary cuda = load_cuda(kZlib);

  EXPECT_TRUE(cuda.status.loaded);
  ASSERT_EQ(cuda.status.missing_symbols.size(), 24U);
  EXPECT_EQ(cuda.status.missing_symbols.front(), "cuInit");
  EXPECT_EQ(cuda.status.missing_symbols.back(), "cuEventDestroy_v2");
  for (const std::string& name : cuda.status.missing_symbols) {
    EXPECT_NE(name, "cuGetErrorName");
    EXPECT_NE(name, "cuGetErrorString");
  }
}

TEST(DriverLibraryTest, DefaultsAreTheDriversSonames) {
  const ScopedEnv nvml_env(kNvmlLibraryEnv, "");
  const ScopedEnv cuda_env(kCudaLibraryEnv, "");

  EXPECT_EQ(choose_library(nullptr, kNvmlLibraryEnv, kNvmlSoname), "libnvidia-ml.so.1");
  EXPECT_EQ(choose_library(nullptr, kCudaLibraryEnv, kCudaSoname), "libcuda.so.1");
  EXPECT_EQ(choose_library("", kCudaLibraryEnv, kCudaSoname), "libcuda.so.1");
}

TEST(DriverLibraryTest, EnvironmentVariableNamesTheLibraryToLoad) {
  const ScopedEnv env(kNvmlLibraryEnv, kZlib);
  const NvmlLibrary nvml = load_nvml(nullptr);

  EXPECT_EQ(nvml.status.soname, kZlib);
  EXPECT_TRUE(nvml.status.loaded);
}

TEST(DriverLibraryTest, ExplicitPathBeatsTheEnvironment) {
  const ScopedEnv env(kCudaLibraryEnv, kZlib);
  const CudaLibrary cuda = load_cuda(kNoSuchLibrary);

  EXPECT_EQ(cuda.status.soname, kNoSuchLibrary);
  EXPECT_FALSE(cuda.status.loaded);
}

TEST(DriverLibraryTest, MovedLibraryHandleHasOneOwner) {
  LibraryStatus status;
  SharedLibrary first = open_library(kZlib, true, status);
  ASSERT_TRUE(first.loaded());
  SharedLibrary second = std::move(first);

  EXPECT_FALSE(first.loaded());  // NOLINT(bugprone-use-after-move): that is the point
  EXPECT_TRUE(second.loaded());
  EXPECT_NE(second.symbol("zlibVersion"), nullptr);
}

// The CUDA toolkit's link stub exports every driver API function and answers each call
// with CUDA_ERROR_STUB_LIBRARY: the real ABI, through real function pointers, without a
// GPU. Containers that put the stubs directory on the library path fail exactly so.
TEST(DriverLibraryTest, CudaToolkitStubBindsEverySymbolAndIsReportedAsAStub) {
  const char* stub = "/usr/local/cuda/lib64/stubs/libcuda.so";
  if (access(stub, R_OK) != 0) {
    GTEST_SKIP() << "no CUDA toolkit stub at " << stub;
  }
  const CudaLibrary cuda = load_cuda(stub);
  ASSERT_TRUE(cuda.status.usable()) << cuda.status.error;
  EXPECT_NE(cuda.api.cuGetErrorName, nullptr);

  const CudaReport report = run_cuda_checks(cuda.api, cuda.status, CudaOptions{});

  EXPECT_EQ(report.error.call, "cuInit");
  EXPECT_EQ(report.error.code, 34);
  EXPECT_EQ(report.error.name, "CUDA_ERROR_STUB_LIBRARY");
  EXPECT_FALSE(report.kernel.ran);
  EXPECT_EQ(report.library.path, stub);
}

}  // namespace
}  // namespace deepdock::probe
