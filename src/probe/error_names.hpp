#pragma once
// Names of NVML and CUDA driver API result codes, as nvml.h and cuda.h spell them. The probe
// uses them when the library's own naming functions are missing (cuGetErrorName came with
// CUDA 6) and for the codes NVML only describes in words; diagnosis matches on them.

#include <string>

namespace deepdock::probe {

// "NVML_ERROR_DRIVER_NOT_LOADED" for 9, "NVML_SUCCESS" for 0; "NVML error 42" for a code
// this probe does not know.
std::string nvml_return_name(int code);

// "CUDA_ERROR_NO_DEVICE" for 100, "CUDA_SUCCESS" for 0; "CUDA error 42" for a code this
// probe does not know.
std::string cuda_result_name(int code);

}  // namespace deepdock::probe
