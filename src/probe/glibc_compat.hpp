#pragma once
// Force-included into every translation unit of the deepdock-probe binary (not of the
// unit-test library). The probe is built on a current glibc and must run in images as old
// as Ubuntu 18.04 (glibc 2.27). A symbol reference is bound to the version the build's
// glibc calls default, so calls to functions that glibc 2.34 moved from libdl into libc
// would ask for GLIBC_2.34 and fail to load on older systems. These directives bind them to
// the original versions instead, which every glibc still exports; CMake also names
// libdl.so.2, where the old versions live before 2.34. tests/integration/
// probe_binary_test.cpp reads the built binary's version needs so that a new call needing
// a newer glibc fails the suite rather than a user's container.

#if defined(__x86_64__)
#define DEEPDOCK_GLIBC_BASE_VERSION "GLIBC_2.2.5"
#define DEEPDOCK_GLIBC_DLINFO_VERSION "GLIBC_2.3.3"
#elif defined(__aarch64__)
#define DEEPDOCK_GLIBC_BASE_VERSION "GLIBC_2.17"
#define DEEPDOCK_GLIBC_DLINFO_VERSION "GLIBC_2.17"
#else
#error "deepdock-probe: add the oldest glibc symbol versions of this architecture"
#endif

__asm__(".symver dlopen,dlopen@" DEEPDOCK_GLIBC_BASE_VERSION);
__asm__(".symver dlsym,dlsym@" DEEPDOCK_GLIBC_BASE_VERSION);
__asm__(".symver dlerror,dlerror@" DEEPDOCK_GLIBC_BASE_VERSION);
__asm__(".symver dlclose,dlclose@" DEEPDOCK_GLIBC_BASE_VERSION);
__asm__(".symver dladdr,dladdr@" DEEPDOCK_GLIBC_BASE_VERSION);
__asm__(".symver dlinfo,dlinfo@" DEEPDOCK_GLIBC_DLINFO_VERSION);
