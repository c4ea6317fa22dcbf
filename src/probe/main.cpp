// deepdock-probe: checks, inside a container, that the GPU is usable end to end, and
// reports what it found (a human summary, or JSON with --json). deepdock copies it into an
// environment's container and runs it there (`deepdock verify`, and `up` before it calls
// an environment ready); it also runs directly on a host.
//
// Exit status: 0 when the GPU is ready (or, without --expect-gpu, when there is none),
// 1 when something in the chain is broken, 2 for bad arguments.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "probe/cuda_checks.hpp"
#include "probe/device_nodes.hpp"
#include "probe/diagnosis.hpp"
#include "probe/driver_library.hpp"
#include "probe/framework_runner.hpp"
#include "probe/nvml_reader.hpp"
#include "probe/report_json.hpp"
#include "probe/report_text.hpp"
#include "probe/stopwatch.hpp"

namespace {

using namespace deepdock::probe;  // NOLINT(google-build-using-namespace)

constexpr const char* kUsage = R"(usage: deepdock-probe [options]
Checks that this machine or container can use its NVIDIA GPU: device nodes, NVML (driver and
GPU details), libcuda (a real kernel and copy bandwidth), and optionally the framework.

  --json                  print the report as JSON
  --expect-gpu            a missing GPU is an error (exit 1)
  --framework-check FILE  also run this framework check program with python3
  --python PATH           the Python for --framework-check (default: python3)
  --no-bandwidth          skip the bandwidth measurement
  --bandwidth-mib N       size of one copy in MiB (default 256)
  --root DIR              read device nodes below DIR (default /)
  --nvml-library PATH     load NVML from PATH instead of libnvidia-ml.so.1
  --cuda-library PATH     load libcuda from PATH instead of libcuda.so.1
  --help                  show this text
Environment: DEEPDOCK_PROBE_NVML_LIBRARY, DEEPDOCK_PROBE_CUDA_LIBRARY name the libraries too.
)";

struct Options {
  bool json = false;
  bool expect_gpu = false;
  std::string framework_check;
  std::string python = "python3";
  std::string root;
  std::string nvml_library;
  std::string cuda_library;
  CudaOptions cuda;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "deepdock-probe: %s\n%s", message.c_str(), kUsage);
  std::exit(2);  // NOLINT(concurrency-mt-unsafe)
}

Options parse(int argc, char** argv) {
  Options options;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) {
        usage_error(std::string(arg) + " needs a value");
      }
      return std::string(args[++i]);
    };
    if (arg == "--json") {
      options.json = true;
    } else if (arg == "--expect-gpu") {
      options.expect_gpu = true;
    } else if (arg == "--framework-check") {
      options.framework_check = value();
    } else if (arg == "--python") {
      options.python = value();
    } else if (arg == "--no-bandwidth") {
      options.cuda.measure_bandwidth = false;
    } else if (arg == "--bandwidth-mib") {
      const std::string text = value();
      char* end = nullptr;
      const unsigned long mib = std::strtoul(text.c_str(), &end, 10);
      if (end == text.c_str() || *end != '\0' || mib == 0 || mib > 16384) {
        usage_error("--bandwidth-mib takes a whole number of MiB from 1 to 16384, not " + text);
      }
      options.cuda.bandwidth_bytes = static_cast<uint64_t>(mib) * 1024U * 1024U;
    } else if (arg == "--root") {
      options.root = value();
    } else if (arg == "--nvml-library") {
      options.nvml_library = value();
    } else if (arg == "--cuda-library") {
      options.cuda_library = value();
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);  // NOLINT(concurrency-mt-unsafe)
    } else {
      usage_error("unknown option " + std::string(arg));
    }
  }
  return options;
}

const char* or_null(const std::string& text) {
  return text.empty() ? nullptr : text.c_str();
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const Stopwatch stopwatch;
  ProbeReport report;
  report.nodes = find_device_nodes(options.root);
  const NvmlLibrary nvml = load_nvml(or_null(options.nvml_library));
  report.nvml = read_nvml(nvml.api, nvml.status);
  const CudaLibrary cuda = load_cuda(or_null(options.cuda_library));
  report.cuda = run_cuda_checks(cuda.api, cuda.status, options.cuda);
  if (!options.framework_check.empty()) {
    report.framework = run_framework_check({options.python, options.framework_check});
  }
  diagnose(report, options.expect_gpu);
  report.seconds = stopwatch.seconds();
  const std::string out = options.json ? report_json(report) + "\n" : report_text(report);
  std::fputs(out.c_str(), stdout);
  const bool ok = report.verdict == Verdict::kGpuReady ||
                  (report.verdict == Verdict::kNoGpu && !options.expect_gpu);
  return ok ? 0 : 1;
}
