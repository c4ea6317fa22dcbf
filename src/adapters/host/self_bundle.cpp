#include "adapters/host/self_bundle.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <elf.h>
#include <fmt/format.h>
#include <link.h>
#include <sys/utsname.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "util/sha256.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kNotFound, fmt::format("cannot read {} for the bundle", path.string()));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The PT_INTERP path of an ELF64 executable ("/lib64/ld-linux-x86-64.so.2").
Result<std::string> interpreter_of(const fs::path& executable, std::string_view image) {
  const auto bad = [&] {
    return fail(ErrorCode::kFailure,
                fmt::format("{} is not a dynamically linked ELF64 executable", executable.string()),
                "the bundle needs deepdock as built, not a static or foreign binary");
  };
  Elf64_Ehdr header{};
  if (image.size() < sizeof header) {
    return bad();
  }
  std::copy_n(image.data(), sizeof header, reinterpret_cast<char*>(&header));
  if (std::string_view(reinterpret_cast<const char*>(header.e_ident), SELFMAG) != ELFMAG ||
      header.e_ident[EI_CLASS] != ELFCLASS64) {
    return bad();
  }
  for (size_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr program{};
    const size_t at = header.e_phoff + i * header.e_phentsize;
    if (at + sizeof program > image.size()) {
      return bad();
    }
    std::copy_n(image.data() + at, sizeof program, reinterpret_cast<char*>(&program));
    if (program.p_type == PT_INTERP && program.p_offset + program.p_filesz <= image.size()) {
      std::string path(image.substr(program.p_offset, program.p_filesz));
      path.erase(std::find(path.begin(), path.end(), '\0'), path.end());
      return path;
    }
  }
  return bad();
}

int collect_object(dl_phdr_info* info, size_t /*size*/, void* data) {
  auto* objects = static_cast<std::vector<fs::path>*>(data);
  const std::string_view name = info->dlpi_name != nullptr ? info->dlpi_name : "";
  // The executable has an empty name, the vDSO one without a '/' (linux-vdso.so.1).
  if (name.find('/') != std::string_view::npos) {
    objects->emplace_back(name);
  }
  return 0;
}

la_ssize_t append_to_string(archive* /*a*/, void* data, const void* buffer, size_t length) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

std::vector<fs::path> loaded_objects() {
  std::vector<fs::path> objects;
  ::dl_iterate_phdr(collect_object, &objects);
  return objects;
}

Result<SelfBundle> bundle_of(const fs::path& executable, const std::vector<fs::path>& objects) {
  TRY_ASSIGN(const std::string image, read_whole(executable));
  TRY_ASSIGN(const std::string interpreter_path, interpreter_of(executable, image));
  SelfBundle bundle;
  bundle.interpreter = fs::path(interpreter_path).filename().string();
  bundle.files.push_back({"bin/deepdock", executable, true});
  std::set<std::string> names = {"lib/" + bundle.interpreter};
  bundle.files.push_back({"lib/" + bundle.interpreter, interpreter_path, true});
  for (const fs::path& object : objects) {
    const std::string name = "lib/" + object.filename().string();
    if (names.insert(name).second) {
      bundle.files.push_back({name, object, false});
    }
  }
  std::sort(bundle.files.begin(), bundle.files.end(),
            [](const BundleFile& a, const BundleFile& b) { return a.name < b.name; });
  util::ContentHasher hasher;
  for (const BundleFile& file : bundle.files) {
    if (file.name == "bin/deepdock") {
      hasher.add(file.name, image);
      continue;
    }
    TRY_ASSIGN(const std::string content, read_whole(file.source));
    hasher.add(file.name, content);
  }
  bundle.hash = hasher.finish();
  return bundle;
}

Result<SelfBundle> self_bundle() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot find this executable: {}", error.message()));
  }
  return bundle_of(self, loaded_objects());
}

Result<std::string> bundle_archive(const SelfBundle& bundle) {
  std::string bytes;
  const std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                       archive_write_free);
  const auto failed = [&](std::string_view what) {
    return fail(ErrorCode::kFailure, fmt::format("cannot pack the deepdock bundle ({}): {}", what,
                                                 archive_error_string(writer.get())));
  };
  if (archive_write_set_format_pax_restricted(writer.get()) != ARCHIVE_OK ||
      archive_write_add_filter_gzip(writer.get()) != ARCHIVE_OK ||
      // Packed once per build and sent over SSH: speed matters more than the last MB.
      archive_write_set_filter_option(writer.get(), "gzip", "compression-level", "1") !=
          ARCHIVE_OK ||
      archive_write_open(writer.get(), &bytes, nullptr, append_to_string, nullptr) != ARCHIVE_OK) {
    return failed("open");
  }
  for (const BundleFile& file : bundle.files) {
    TRY_ASSIGN(const std::string content, read_whole(file.source));
    const std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                              archive_entry_free);
    archive_entry_set_pathname(entry.get(), file.name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), file.executable ? 0755 : 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
    if (archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(writer.get(), content.data(), content.size()) !=
            static_cast<la_ssize_t>(content.size())) {
      return failed(file.name);
    }
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    return failed("close");
  }
  return bytes;
}

std::string machine_name() {
  utsname names{};
  return ::uname(&names) == 0 ? std::string(names.machine) : std::string();
}

}  // namespace deepdock::adapters::host
