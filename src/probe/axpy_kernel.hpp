#pragma once
// The probe's test kernel as PTX text, compiled by the driver's JIT at run time: y = a*x + y
// over n floats, one thread per element. PTX ISA 6.0 for sm_50 is the oldest form every
// driver from CUDA 9 on accepts, and a driver JIT-compiles it for any newer GPU (Maxwell to
// Blackwell), so one text serves every GPU the probe can meet. Written by hand, not by
// nvcc, to keep the probe free of a CUDA toolkit; ptxas accepts it (axpy_kernel_test runs
// ptxas when one is installed).

#include <string_view>

namespace deepdock::probe {

inline constexpr std::string_view kAxpyEntry = "deepdock_axpy";

// Parameters, in order: y (.u64, a device pointer to n floats, read and written), x (.u64,
// n floats), a (.f32), n (.u32). Threads with index ctaid.x * ntid.x + tid.x >= n do
// nothing. Both views end in a string literal's terminating NUL, so .data() can go to the
// C API as it is.
inline constexpr std::string_view kAxpyPtx = R"ptx(//
// deepdock-probe: y[i] = a * x[i] + y[i] for i < n
//
.version 6.0
.target sm_50
.address_size 64

.visible .entry deepdock_axpy(
	.param .u64 deepdock_axpy_y,
	.param .u64 deepdock_axpy_x,
	.param .f32 deepdock_axpy_a,
	.param .u32 deepdock_axpy_n
)
{
	.reg .pred %p<2>;
	.reg .b32 %r<6>;
	.reg .f32 %f<5>;
	.reg .b64 %rd<8>;

	ld.param.u64 %rd1, [deepdock_axpy_y];
	ld.param.u64 %rd2, [deepdock_axpy_x];
	ld.param.f32 %f1, [deepdock_axpy_a];
	ld.param.u32 %r1, [deepdock_axpy_n];
	mov.u32 %r2, %ctaid.x;
	mov.u32 %r3, %ntid.x;
	mov.u32 %r4, %tid.x;
	mad.lo.u32 %r5, %r2, %r3, %r4;
	setp.ge.u32 %p1, %r5, %r1;
	@%p1 bra $L_done;
	cvta.to.global.u64 %rd3, %rd1;
	cvta.to.global.u64 %rd4, %rd2;
	mul.wide.u32 %rd5, %r5, 4;
	add.s64 %rd6, %rd3, %rd5;
	add.s64 %rd7, %rd4, %rd5;
	ld.global.f32 %f2, [%rd7];
	ld.global.f32 %f3, [%rd6];
	fma.rn.f32 %f4, %f1, %f2, %f3;
	st.global.f32 [%rd6], %f4;
$L_done:
	ret;
}
)ptx";

}  // namespace deepdock::probe
