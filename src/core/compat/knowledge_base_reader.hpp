#pragma once
// Fills a KnowledgeBase from a parsed compat.json, section by section, collecting every schema
// problem. Internal to the knowledge base's parser: knowledge_base_json.cpp reads the
// frameworks, knowledge_base_json_hw.cpp the CUDA, GPU, driver, cloud and Debian sections.

#include <string_view>

#include "core/compat/json_reader.hpp"
#include "core/compat/knowledge_base.hpp"

namespace deepdock::core {

class KnowledgeBaseReader {
 public:
  explicit KnowledgeBaseReader(KnowledgeBase& kb) : kb_(kb) {}

  void read_sources(const compat_json::Json& root);
  void read_tensorflow(const compat_json::Json& root);
  void read_pytorch(const compat_json::Json& root);
  void read_jax(const compat_json::Json& root);
  void read_cuda(const compat_json::Json& root);
  void read_gpus(const compat_json::Json& root);
  void read_driver_branches(const compat_json::Json& root);
  void read_gcp(const compat_json::Json& root);
  void read_debian(const compat_json::Json& root);
  // Names that one section uses and another defines: CUDA releases, driver branches, GPUs.
  void check_references();

  compat_json::Reader reader;

 private:
  VersionRange range(const compat_json::Json& entry, std::string_view path);
  KernelSet kernels(const compat_json::Json& entry, std::string_view path);

  KnowledgeBase& kb_;
};

}  // namespace deepdock::core
