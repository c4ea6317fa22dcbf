// The few C++ runtime entry points the probe's header-only library code calls. The probe is
// built without exceptions and linked with libstdc++ statically; libstdc++'s own versions of
// these throw, and throwing pulls in the unwinder, which needs symbols from glibc 2.34 and
// 2.35. Here they end the program with a message instead. (The probe's containers are small:
// running out of memory there is fatal anyway.)

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace {

[[noreturn]] void die(const char* what, const char* detail) {
  std::fprintf(stderr, "deepdock-probe: %s%s%s\n", what, detail != nullptr ? ": " : "",
               detail != nullptr ? detail : "");
  std::abort();
}

}  // namespace

void* operator new(std::size_t size) {
  void* memory = std::malloc(size != 0 ? size : 1);  // NOLINT(cppcoreguidelines-no-malloc)
  if (memory == nullptr) {
    die("out of memory", nullptr);
  }
  return memory;
}
void* operator new[](std::size_t size) {
  return ::operator new(size);
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}  // NOLINT
void operator delete[](void* memory) noexcept {
  std::free(memory);
}  // NOLINT
void operator delete(void* memory, std::size_t /*size*/) noexcept {
  std::free(memory);
}  // NOLINT
void operator delete[](void* memory, std::size_t /*size*/) noexcept {  // NOLINT
  std::free(memory);                                                   // NOLINT
}

// libstdc++'s own entry points, defined here on purpose.
// NOLINTBEGIN(cert-dcl58-cpp,bugprone-reserved-identifier)
namespace std {
void __throw_bad_alloc() {
  die("out of memory", nullptr);
}
void __throw_bad_array_new_length() {
  die("bad array length", nullptr);
}
void __throw_length_error(const char* what) {
  die("length error", what);
}
void __throw_logic_error(const char* what) {
  die("logic error", what);
}
void __throw_out_of_range(const char* what) {
  die("out of range", what);
}
void __throw_out_of_range_fmt(const char* what, ...) {
  die("out of range", what);
}
void __throw_invalid_argument(const char* what) {
  die("invalid argument", what);
}
}  // namespace std
// NOLINTEND(cert-dcl58-cpp,bugprone-reserved-identifier)
