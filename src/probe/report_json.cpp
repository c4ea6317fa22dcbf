#include "probe/report_json.hpp"

#include "probe/json_writer.hpp"

namespace deepdock::probe {
namespace {

void write_library(JsonWriter& out, const LibraryStatus& library) {
  out.key("library");
  out.begin_object();
  out.field("soname", library.soname);
  out.field("loaded", library.loaded);
  out.field("path", library.path);
  out.field("error", library.error);
  out.field("missing_symbols", library.missing_symbols);
  out.end_object();
}

void write_call_error(JsonWriter& out, const CallError& error) {
  out.begin_object();
  out.field("call", error.call);
  out.field("code", error.code);
  out.field("name", error.name);
  out.field("text", error.text);
  out.end_object();
}

// A call that failed, or null.
void write_call_error(JsonWriter& out, std::string_view name, const CallError& error) {
  out.key(name);
  if (error.failed()) {
    write_call_error(out, error);
  } else {
    out.null();
  }
}

std::string compute_capability(const GpuDetails& gpu) {
  if (gpu.compute_major < 0) {
    return {};
  }
  return std::to_string(gpu.compute_major) + "." + std::to_string(gpu.compute_minor);
}

void write_gpu(JsonWriter& out, const GpuDetails& gpu) {
  out.begin_object();
  out.field("index", gpu.index);
  out.field("name", gpu.name);
  out.field("uuid", gpu.uuid);
  out.field("pci_bus_id", gpu.pci_bus_id);
  out.field("compute_capability", compute_capability(gpu));
  out.field("memory_total_bytes", gpu.memory_total_bytes);
  out.key("pcie");
  out.begin_object();
  out.field("generation", gpu.pcie_generation);
  out.field("width", gpu.pcie_width);
  out.field("max_generation", gpu.pcie_max_generation);
  out.field("max_width", gpu.pcie_max_width);
  out.end_object();
  out.field("ecc", to_string(gpu.ecc));
  out.field("mig", to_string(gpu.mig));
  out.key("errors");
  out.begin_array();
  for (const CallError& error : gpu.errors) {
    write_call_error(out, error);
  }
  out.end_array();
  out.end_object();
}

void write_nvml(JsonWriter& out, const NvmlReport& nvml) {
  out.key("nvml");
  out.begin_object();
  write_library(out, nvml.library);
  write_call_error(out, "error", nvml.init);
  out.field("driver_version", nvml.driver_version);
  out.field("cuda_driver_version", cuda_version_text(nvml.cuda_driver_version));
  out.key("gpus");
  out.begin_array();
  for (const GpuDetails& gpu : nvml.gpus) {
    write_gpu(out, gpu);
  }
  out.end_array();
  out.end_object();
}

void write_cuda(JsonWriter& out, const CudaReport& cuda) {
  out.key("cuda");
  out.begin_object();
  write_library(out, cuda.library);
  write_call_error(out, "error", cuda.error);
  out.field("driver_version", cuda_version_text(cuda.driver_version));
  out.field("device_count", cuda.device_count);
  out.field("device_name", cuda.device_name);
  out.key("kernel");
  out.begin_object();
  out.field("ran", cuda.kernel.ran);
  out.field("correct", cuda.kernel.correct);
  out.field("elements", cuda.kernel.elements);
  out.field("mismatches", cuda.kernel.mismatches);
  out.field("seconds", cuda.kernel.seconds);
  out.field("jit_log", cuda.kernel.jit_log);
  out.end_object();
  out.key("bandwidth");
  out.begin_object();
  out.field("measured", cuda.bandwidth.measured);
  out.field("bytes", cuda.bandwidth.bytes);
  out.field("repetitions", cuda.bandwidth.repetitions);
  out.field("device_to_device_gbps", cuda.bandwidth.device_to_device_gbps);
  out.field("host_to_device_gbps", cuda.bandwidth.host_to_device_gbps);
  out.end_object();
  out.end_object();
}

void write_framework(JsonWriter& out, const FrameworkCheck& framework) {
  out.key("framework");
  if (!framework.requested) {
    out.null();
    return;
  }
  out.begin_object();
  out.field("ran", framework.ran);
  // The program's own JSON, kept as text: deepdock parses it, and a malformed line must not
  // spoil the rest of the report.
  out.field("result", framework.result_json);
  out.field("summary", framework.summary);
  out.field("exit_code", framework.exit_code);
  out.field("error_tail", framework.error_tail);
  out.field("seconds", framework.seconds);
  out.end_object();
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kGpuReady:
      return "gpu-ready";
    case Verdict::kNoGpu:
      return "no-gpu";
    case Verdict::kGpuBroken:
      return "gpu-broken";
  }
  return "gpu-broken";
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

std::string_view to_string(FeatureState state) {
  switch (state) {
    case FeatureState::kOn:
      return "on";
    case FeatureState::kOff:
      return "off";
    case FeatureState::kUnsupported:
      return "unsupported";
    case FeatureState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string cuda_version_text(int version) {
  if (version <= 0) {
    return {};
  }
  return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

std::string report_json(const ProbeReport& report) {
  JsonWriter out;
  out.begin_object();
  out.field("schema", kReportSchema);
  out.field("verdict", to_string(report.verdict));
  out.field("seconds", report.seconds);
  out.key("device_nodes");
  out.begin_object();
  out.field("gpus", report.nodes.gpus);
  out.field("control", report.nodes.control);
  out.field("uvm", report.nodes.uvm);
  out.field("uvm_tools", report.nodes.uvm_tools);
  out.field("caps", report.nodes.caps);
  out.end_object();
  write_nvml(out, report.nvml);
  write_cuda(out, report.cuda);
  write_framework(out, report.framework);
  out.key("problems");
  out.begin_array();
  for (const Problem& problem : report.problems) {
    out.begin_object();
    out.field("severity", to_string(problem.severity));
    out.field("what", problem.what);
    out.field("fix", problem.fix);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return out.text();
}

}  // namespace deepdock::probe
