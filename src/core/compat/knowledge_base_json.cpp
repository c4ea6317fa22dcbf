// KnowledgeBase::parse and the framework sections of compat.json.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/compat/knowledge_base.hpp"
#include "core/compat/knowledge_base_reader.hpp"
#include "util/strings.hpp"

namespace deepdock::core {

using compat_json::for_each_object;
using compat_json::join_path;
using compat_json::Json;

namespace {

constexpr int kSchemaVersion = 1;

template <typename T>
void sort_by_version(std::vector<T>& items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const T& a, const T& b) { return a.version < b.version; });
}

}  // namespace

VersionRange KnowledgeBaseReader::range(const Json& entry, std::string_view path) {
  VersionRange out;
  out.from = reader.version(entry, path, "from").value_or(Version{});
  out.through = reader.version(entry, path, "through", false);
  return out;
}

KernelSet KnowledgeBaseReader::kernels(const Json& entry, std::string_view path) {
  KernelSet out;
  out.sass = reader.capability_list(entry, path, "sass");
  out.ptx = reader.capability_list(entry, path, "ptx");
  out.min_cc = reader.capability(entry, path, "min_cc", false);
  out.provenance = reader.provenance(entry, path);
  return out;
}

void KnowledgeBaseReader::read_sources(const Json& root) {
  const Json* sources = reader.object(root, "", "sources");
  if (sources == nullptr) {
    return;
  }
  std::set<std::string, std::less<>> keys;
  for (const auto& [key, value] : sources->items()) {
    if (!value.is_string()) {
      reader.problem(join_path("sources", key), "expected the citation as a string");
      continue;
    }
    kb_.sources_.emplace(key, value.get<std::string>());
    keys.insert(key);
  }
  reader.check_source_keys(keys);
}

void KnowledgeBaseReader::read_tensorflow(const Json& root) {
  const Json* tf = reader.object(root, "", "tensorflow");
  if (tf == nullptr) {
    return;
  }
  const std::string path = "tensorflow";
  kb_.tf_image_ = reader.text(*tf, path, "image").value_or("");
  for_each_object(reader, *tf, path, "builds", [&](const Json& e, const std::string& at) {
    TfBuild b;
    b.version = reader.version(e, at, "version").value_or(Version{});
    b.python_min = reader.version(e, at, "python_min").value_or(Version{});
    b.python_max = reader.version(e, at, "python_max").value_or(Version{});
    b.python27 = reader.flag(e, at, "python27");
    b.cuda = reader.version(e, at, "cuda").value_or(Version{});
    b.cudnn = reader.version(e, at, "cudnn").value_or(Version{});
    b.pip_gpu = reader.text(e, at, "pip_gpu").value_or("");
    b.pip_cpu = reader.text(e, at, "pip_cpu").value_or("");
    b.pip_gpu_also = reader.text(e, at, "pip_gpu_also", false).value_or("");
    b.provenance = reader.provenance(e, at);
    kb_.tf_builds_.push_back(std::move(b));
  });
  sort_by_version(kb_.tf_builds_);
  for_each_object(reader, *tf, path, "kernels", [&](const Json& e, const std::string& at) {
    kb_.tf_kernels_.push_back({range(e, at), kernels(e, at)});
  });
  for_each_object(reader, *tf, path, "tag_eras", [&](const Json& e, const std::string& at) {
    TfTagEra era;
    era.versions = range(e, at);
    const auto tag = [&](std::string_view key, bool required) {
      return reader.text(e, at, key, required).value_or("");
    };
    era.gpu = tag("gpu", true);
    era.cpu = tag("cpu", true);
    era.gpu_jupyter = tag("gpu_jupyter", false);
    era.cpu_jupyter = tag("cpu_jupyter", false);
    era.py2_gpu = tag("py2_gpu", false);
    era.py2_cpu = tag("py2_cpu", false);
    era.latest_gpu = tag("latest_gpu", false);
    era.latest_gpu_jupyter = tag("latest_gpu_jupyter", false);
    era.latest_cpu = tag("latest_cpu", false);
    era.latest_cpu_jupyter = tag("latest_cpu_jupyter", false);
    era.provenance = reader.provenance(e, at);
    kb_.tf_tag_eras_.push_back(std::move(era));
  });
  for_each_object(reader, *tf, path, "image_python", [&](const Json& e, const std::string& at) {
    TfImagePython image;
    image.versions = range(e, at);
    image.ubuntu = reader.text(e, at, "ubuntu", false).value_or("");
    image.python = reader.version(e, at, "python", false);
    image.provenance = reader.provenance(e, at);
    kb_.tf_image_python_.push_back(std::move(image));
  });
}

void KnowledgeBaseReader::read_pytorch(const Json& root) {
  const Json* pt = reader.object(root, "", "pytorch");
  if (pt == nullptr) {
    return;
  }
  const std::string path = "pytorch";
  kb_.torch_index_template_ = reader.text(*pt, path, "index_url").value_or("");
  if (!kb_.torch_index_template_.empty() &&
      kb_.torch_index_template_.find("{cuda_nodot}") == std::string::npos) {
    reader.problem("pytorch.index_url", "expected a template with {cuda_nodot}");
  }
  kb_.torch_index_.sources = reader.text_list(*pt, path, "index_url_source");
  for_each_object(reader, *pt, path, "builds", [&](const Json& e, const std::string& at) {
    TorchBuild b;
    b.version = reader.version(e, at, "version").value_or(Version{});
    const std::string status = reader.text(e, at, "status").value_or("release");
    if (status != "release" && status != "rc") {
      reader.problem(join_path(at, "status"), "expected \"release\" or \"rc\"");
    }
    b.release_candidate = status == "rc";
    b.python_min = reader.version(e, at, "python_min").value_or(Version{});
    b.python_max = reader.version(e, at, "python_max").value_or(Version{});
    b.python_default = reader.version(e, at, "python_default").value_or(b.python_max);
    b.python27 = reader.flag(e, at, "python27");
    b.pypi_default_cuda = reader.version(e, at, "pypi_default_cuda", false);
    b.provenance = reader.provenance(e, at);
    for_each_object(reader, e, at, "variants", [&](const Json& v, const std::string& vat) {
      TorchVariant variant;
      variant.cuda = reader.version(v, vat, "cuda").value_or(Version{});
      variant.cudnn = reader.text(v, vat, "cudnn", false).value_or("");
      variant.kernels.sass = reader.capability_list(v, vat, "sass");
      variant.kernels.ptx = reader.capability_list(v, vat, "ptx");
      variant.kernels.provenance = b.provenance;
      variant.kernels.provenance.unverified =
          b.provenance.unverified || reader.flag(v, vat, "arch_unverified");
      variant.note = reader.text(v, vat, "note", false).value_or("");
      variant.unverified = reader.flag(v, vat, "unverified");
      b.variants.push_back(std::move(variant));
    });
    std::stable_sort(b.variants.begin(), b.variants.end(),
                     [](const TorchVariant& x, const TorchVariant& y) { return x.cuda < y.cuda; });
    kb_.torch_builds_.push_back(std::move(b));
  });
  sort_by_version(kb_.torch_builds_);
}

void KnowledgeBaseReader::read_jax(const Json& root) {
  const Json* jax = reader.object(root, "", "jax");
  if (jax == nullptr) {
    return;
  }
  kb_.jax_python_min_ = reader.version(*jax, "jax", "python_min").value_or(Version{});
  kb_.jax_python_default_ = reader.version(*jax, "jax", "python_default").value_or(Version{});
  for_each_object(reader, *jax, "jax", "variants", [&](const Json& e, const std::string& at) {
    JaxVariant v;
    v.extra = reader.text(e, at, "extra").value_or("");
    v.cuda = reader.version(e, at, "cuda").value_or(Version{});
    v.min_driver = reader.version(e, at, "min_driver").value_or(Version{});
    v.min_cc = reader.capability(e, at, "min_cc").value_or(ComputeCapability{});
    v.provenance = reader.provenance(e, at);
    kb_.jax_variants_.push_back(std::move(v));
  });
}

Result<KnowledgeBase> KnowledgeBase::parse(std::string_view json_text, std::string_view origin) {
  const std::string hint =
      "regenerate it with tools/build_compat.py, or leave --compat out to use the built-in one";
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::parse_error& error) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{}: not valid JSON (byte {}): {}", origin, error.byte, error.what()),
                hint);
  }
  if (!root.is_object()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: expected a JSON object", origin), hint);
  }
  const auto schema = root.find("schema_version");
  if (schema == root.end() || !schema->is_number_integer() ||
      schema->get<int>() != kSchemaVersion) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{}: schema_version: expected {}, got {}", origin, kSchemaVersion,
                            schema == root.end() ? std::string("nothing") : schema->dump()),
                "this deepdock reads schema_version 1; use a compat.json made for it");
  }
  KnowledgeBase kb;
  kb.schema_version_ = kSchemaVersion;
  kb.origin_ = std::string(origin);
  KnowledgeBaseReader read(kb);
  kb.snapshot_ = read.reader.text(root, "", "snapshot").value_or("");
  read.read_tensorflow(root);
  read.read_pytorch(root);
  read.read_jax(root);
  read.read_cuda(root);
  read.read_gpus(root);
  read.read_driver_branches(root);
  read.read_gcp(root);
  read.read_debian(root);
  read.read_sources(root);  // last: checks every source key cited above
  read.check_references();
  if (!read.reader.problems().empty()) {
    std::vector<std::string> lines;
    for (const auto& problem : read.reader.problems()) {
      lines.push_back(fmt::format("{}: {}", origin, problem));
    }
    return fail(ErrorCode::kInvalidInput, util::join(lines, "\n"), hint);
  }
  return kb;
}

}  // namespace deepdock::core
