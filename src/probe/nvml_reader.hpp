#pragma once
// The driver and each GPU as NVML sees them: versions, names, PCI addresses, compute
// capability, memory, the PCIe link, ECC and MIG.

#include "probe/nvml_api.hpp"
#include "probe/probe_report.hpp"

namespace deepdock::probe {

// Starts NVML, reads the driver's versions and every GPU's details, and shuts NVML down.
// Calls nothing when `library` is not usable. A failed nvmlInit_v2 (or a failed
// nvmlDeviceGetCount_v2, which leaves NVML as unable to list GPUs) goes to report.init and
// ends the reading. Per GPU: NVML_ERROR_NOT_SUPPORTED means "this board lacks it" (ECC and
// MIG become kUnsupported, other fields stay unknown); any other failure is recorded in
// GpuDetails::errors and the next query goes on; an optional function the driver lacks
// leaves its field unknown without an error.
NvmlReport read_nvml(const NvmlApi& api, const LibraryStatus& library);

}  // namespace deepdock::probe
