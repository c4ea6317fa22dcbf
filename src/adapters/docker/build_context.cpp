#include "adapters/docker/build_context.hpp"

#include <fmt/format.h>
#include <stdlib.h>  // mkstemp
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "adapters/docker/archive.hpp"
#include "adapters/docker/docker_ignore.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace fs = std::filesystem;

Result<TempFile> TempFile::create(std::string_view prefix) {
  std::error_code error;
  fs::path dir = fs::temp_directory_path(error);
  if (error) {
    dir = "/tmp";
  }
  std::string name = (dir / (std::string(prefix) + "XXXXXX")).string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot create a temporary file in {}: {}", dir.string(),
                            std::error_code(errno, std::generic_category()).message()),
                "check that TMPDIR points at a writable directory with free space");
  }
  ::close(fd);
  return TempFile(fs::path(name));
}

TempFile::TempFile(fs::path path) : path_(std::move(path)) {}

TempFile::~TempFile() {
  remove();
}

TempFile::TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

void TempFile::remove() {
  if (!path_.empty()) {
    std::error_code ignored;
    fs::remove(path_, ignored);
    path_.clear();
  }
}

const fs::path& TempFile::path() const {
  return path_;
}

uint64_t TempFile::size() const {
  std::error_code error;
  const auto size = fs::file_size(path_, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

core::BodySource TempFile::body_source() const {
  return file_body_source(path_);
}

core::BodySource file_body_source(const fs::path& file) {
  auto stream = std::make_shared<std::ifstream>(file, std::ios::binary);
  return [stream, path = file](char* buffer, size_t capacity) -> Result<size_t> {
    if (!stream->is_open()) {
      return fail(ErrorCode::kFailure, fmt::format("cannot read {}", path.string()));
    }
    stream->read(buffer, static_cast<std::streamsize>(capacity));
    if (stream->bad()) {
      return fail(ErrorCode::kFailure, fmt::format("reading {} failed", path.string()));
    }
    return static_cast<size_t>(stream->gcount());
  };
}

namespace {

// One tar entry: from disk, or from memory when `content` is set.
struct ContextEntry {
  std::string name;
  fs::path path;
  const std::string* content = nullptr;
};

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The .dockerignore that applies: one given in memory wins over the one on disk.
Result<DockerIgnore> load_ignore(const core::BuildRequest& request, const std::string& dockerfile) {
  std::string text;
  if (const auto given = request.extra_files.find(".dockerignore");
      given != request.extra_files.end()) {
    text = given->second;
  } else if (!request.context_dir.empty()) {
    const fs::path file = request.context_dir / ".dockerignore";
    std::error_code error;
    if (fs::exists(file, error)) {
      auto read = read_text(file);
      if (!read) {
        return fail(ErrorCode::kInvalidInput, fmt::format("cannot read {}", file.string()),
                    "check its permissions");
      }
      text = std::move(*read);
    }
  }
  DockerIgnore ignore = DockerIgnore::parse(text);
  if (!ignore.invalid_patterns().empty()) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format(".dockerignore of {} has malformed patterns: {}", request.context_dir.string(),
                    util::join(ignore.invalid_patterns(), ", ")),
        "fix the brackets or trailing backslashes; see "
        "https://docs.docker.com/build/concepts/context/#dockerignore-files");
  }
  // As the docker CLI does: these two always reach the engine.
  ignore.add_exception(".dockerignore");
  ignore.add_exception(dockerfile);
  return ignore;
}

Result<std::vector<ContextEntry>> disk_entries(const core::BuildRequest& request,
                                               const DockerIgnore& ignore) {
  std::vector<ContextEntry> entries;
  if (request.context_dir.empty()) {
    return entries;
  }
  std::error_code error;
  if (!fs::is_directory(request.context_dir, error)) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the build context {} {}", request.context_dir.string(),
                            fs::exists(request.context_dir, error) ? "is not a directory"
                                                                   : "does not exist"),
                "give the directory that holds the Dockerfile and the files it copies");
  }
  std::set<std::string> replaced;
  for (const auto& extra : request.extra_files) {
    replaced.insert(clean_path(extra.first));
  }
  auto filter = [&](std::string_view relative, bool is_directory) {
    if (replaced.count(std::string(relative)) != 0) {
      return WalkDecision{false, false};  // replaced by the in-memory file
    }
    if (!ignore.excluded(relative)) {
      return WalkDecision{true, true};
    }
    return WalkDecision{false, is_directory && ignore.may_reinclude_below(relative)};
  };
  TRY_ASSIGN(std::vector<TreeEntry> tree, list_tree(request.context_dir, filter));
  entries.reserve(tree.size());
  for (TreeEntry& entry : tree) {
    entries.push_back(ContextEntry{std::move(entry.relative), std::move(entry.path), nullptr});
  }
  return entries;
}

}  // namespace

Result<TempFile> write_build_context(const core::BuildRequest& request) {
  const std::string dockerfile =
      clean_path(request.dockerfile.empty() ? "Dockerfile" : request.dockerfile);
  if (dockerfile.front() == '/' || dockerfile == ".." || dockerfile.rfind("../", 0) == 0) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("the Dockerfile path \"{}\" is outside the build context", request.dockerfile),
        "give its path relative to the context directory");
  }
  if (request.context_dir.empty() && request.extra_files.empty()) {
    return fail(ErrorCode::kInvalidInput, "nothing to build: no context directory and no files");
  }
  TRY_ASSIGN(const DockerIgnore ignore, load_ignore(request, dockerfile));
  TRY_ASSIGN(std::vector<ContextEntry> entries, disk_entries(request, ignore));
  for (const auto& [name, content] : request.extra_files) {
    entries.push_back(ContextEntry{clean_path(name), {}, &content});
  }
  std::sort(entries.begin(), entries.end(),
            [](const ContextEntry& a, const ContextEntry& b) { return a.name < b.name; });
  const bool has_dockerfile =
      std::any_of(entries.begin(), entries.end(),
                  [&](const ContextEntry& entry) { return entry.name == dockerfile; });
  if (!has_dockerfile) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("no {} in the build context {}", dockerfile,
                            request.context_dir.empty() ? "(in-memory files only)"
                                                        : request.context_dir.string()),
                "create it, or name another file with the dockerfile setting");
  }

  TRY_ASSIGN(TempFile file, TempFile::create("deepdock-context-"));
  TRY_ASSIGN(TarWriter writer, TarWriter::to_file(file.path()));
  for (const ContextEntry& entry : entries) {
    if (entry.content != nullptr) {
      TRY(writer.add_file(entry.name, *entry.content, 0644, kGeneratedFileMtime));
    } else {
      TRY(writer.add_from_disk(entry.name, entry.path));
    }
  }
  TRY(writer.finish());
  log::debug("build context: {} entries, {} bytes in {}", entries.size(), file.size(),
             file.path().string());
  return file;
}

}  // namespace deepdock::adapters::docker
