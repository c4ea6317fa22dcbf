#include "probe/driver_library.hpp"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <utility>

namespace deepdock::probe {
namespace {

// Looks each function of a table up by name (the visitor of for_each_symbol).
class SymbolBinder {
 public:
  SymbolBinder(const SharedLibrary& library, LibraryStatus& status)
      : library_(library), status_(status) {}

  template <typename Function>
  void required(const char* name, Function*& slot) {
    slot = lookup<Function>(name);
    if (slot == nullptr) {
      status_.missing_symbols.emplace_back(name);
    }
  }

  template <typename Function>
  void optional(const char* name, Function*& slot) {
    slot = lookup<Function>(name);
  }

 private:
  template <typename Function>
  Function* lookup(const char* name) const {
    // The probe's one conversion of dlsym's object pointer to a function pointer, which
    // POSIX requires to work.
    return reinterpret_cast<Function*>(library_.symbol(name));
  }

  const SharedLibrary& library_;
  LibraryStatus& status_;
};

template <typename Api>
void bind_table(const SharedLibrary& library, Api& api, LibraryStatus& status) {
  api = Api{};
  if (!library.loaded()) {
    return;
  }
  SymbolBinder binder(library, status);
  for_each_symbol(api, binder);
}

// The file the dynamic loader mapped for `handle`: the path it found for a soname.
std::string loaded_path(void* handle) {
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr || map->l_name == nullptr) {
    return {};
  }
  return map->l_name;
}

template <typename Library>
Library load(const char* override_path, const char* env_var, const char* soname,
             bool close_on_destruction) {
  Library result;
  result.library = open_library(choose_library(override_path, env_var, soname),
                                close_on_destruction, result.status);
  bind_symbols(result.library, result.api, result.status);
  return result;
}

}  // namespace

SharedLibrary::~SharedLibrary() {
  reset();
}

SharedLibrary::SharedLibrary(SharedLibrary&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), close_(other.close_) {}

SharedLibrary& SharedLibrary::operator=(SharedLibrary&& other) noexcept {
  if (this != &other) {
    reset();
    handle_ = std::exchange(other.handle_, nullptr);
    close_ = other.close_;
  }
  return *this;
}

void SharedLibrary::reset() {
  if (handle_ != nullptr && close_) {
    dlclose(handle_);
  }
  handle_ = nullptr;
}

void* SharedLibrary::symbol(const char* name) const {
  return handle_ == nullptr ? nullptr : dlsym(handle_, name);
}

std::string choose_library(const char* explicit_name, const char* env_var, const char* soname) {
  if (explicit_name != nullptr && *explicit_name != '\0') {
    return explicit_name;
  }
  // The probe reads the environment from one thread, before anything could change it.
  const char* from_env =
      env_var == nullptr ? nullptr : std::getenv(env_var);  // NOLINT(concurrency-mt-unsafe)
  if (from_env != nullptr && *from_env != '\0') {
    return from_env;
  }
  return soname;
}

SharedLibrary open_library(const std::string& name, bool close_on_destruction,
                           LibraryStatus& status) {
  status.soname = name;
  dlerror();  // forget any earlier failure, so that the words below are this one's
  void* handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    status.loaded = false;
    status.error = error != nullptr ? error : "dlopen failed";
    return {};
  }
  status.loaded = true;
  status.path = loaded_path(handle);
  return {handle, close_on_destruction};
}

void bind_symbols(const SharedLibrary& library, NvmlApi& api, LibraryStatus& status) {
  bind_table(library, api, status);
}

void bind_symbols(const SharedLibrary& library, CudaApi& api, LibraryStatus& status) {
  bind_table(library, api, status);
}

NvmlLibrary load_nvml(const char* override_path) {
  return load<NvmlLibrary>(override_path, kNvmlLibraryEnv, kNvmlSoname,
                           /*close_on_destruction=*/true);
}

CudaLibrary load_cuda(const char* override_path) {
  return load<CudaLibrary>(override_path, kCudaLibraryEnv, kCudaSoname,
                           /*close_on_destruction=*/false);
}

}  // namespace deepdock::probe
