// The probe's program entry, in place of the C library's start files (the binary links with
// -nostartfiles). The start files of glibc 2.34 and later call __libc_start_main@GLIBC_2.34,
// which older systems do not have; this entry calls the original version, which every glibc
// exports. In that interface the caller runs the program's initialisers, so
// deepdock_probe_init walks the init arrays as the old start files did.

extern "C" {

using InitFunction = void (*)(int, char**, char**);

// Provided by the linker's default script around the executable's init arrays.
extern InitFunction __preinit_array_start[] __attribute__((visibility("hidden")));  // NOLINT
extern InitFunction __preinit_array_end[] __attribute__((visibility("hidden")));    // NOLINT
extern InitFunction __init_array_start[] __attribute__((visibility("hidden")));     // NOLINT
extern InitFunction __init_array_end[] __attribute__((visibility("hidden")));       // NOLINT

// Normally defined by crtbegin.o: identifies this module to __cxa_atexit.
__attribute__((visibility("hidden"))) void* __dso_handle = &__dso_handle;  // NOLINT

__attribute__((used)) void deepdock_probe_init(int argc, char** argv, char** envp) {
  for (InitFunction* f = __preinit_array_start; f != __preinit_array_end; ++f) {
    (*f)(argc, argv, envp);
  }
  for (InitFunction* f = __init_array_start; f != __init_array_end; ++f) {
    (*f)(argc, argv, envp);
  }
}

}  // extern "C"

// __libc_start_main(main, argc, argv, init, fini, rtld_fini, stack_end), as glibc's own
// start files call it; fini is left null because the dynamic linker runs the fini arrays.
#if defined(__x86_64__)
__asm__(R"(
  .symver __libc_start_main,__libc_start_main@GLIBC_2.2.5
  .text
  .globl _start
  .type _start,@function
_start:
  xor %ebp, %ebp
  mov %rdx, %r9
  pop %rsi
  mov %rsp, %rdx
  and $-16, %rsp
  push %rax
  push %rsp
  lea deepdock_probe_init(%rip), %rcx
  xor %r8d, %r8d
  lea main(%rip), %rdi
  call *__libc_start_main@GOTPCREL(%rip)
  hlt
  .size _start, .-_start
)");
#elif defined(__aarch64__)
// Written from glibc's aarch64 start.S; not yet run on an arm64 machine.
__asm__(R"(
  .symver __libc_start_main,__libc_start_main@GLIBC_2.17
  .text
  .globl _start
  .type _start,%function
_start:
  mov x29, #0
  mov x30, #0
  mov x5, x0
  ldr x1, [sp]
  add x2, sp, #8
  mov x6, sp
  adrp x0, :got:main
  ldr x0, [x0, #:got_lo12:main]
  adrp x3, deepdock_probe_init
  add x3, x3, :lo12:deepdock_probe_init
  mov x4, #0
  bl __libc_start_main
  bl abort
  .size _start, .-_start
)");
#else
#error "deepdock-probe: write the program entry for this architecture"
#endif
