#pragma once
// Specs, hosts and lookups for the resolver's scenario tests. Every scenario runs against the
// knowledge base built into the binary, so a change of facts shows up as a changed scenario.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/model/resolution.hpp"
#include "core/resolve/resolver.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::core::resolve_test {

inline const KnowledgeBase& kb() {
  return KnowledgeBase::embedded();
}

inline Spec spec(Framework framework, std::string version = "") {
  Spec out;
  out.framework = framework;
  out.version = std::move(version);
  return out;
}
inline Spec tf(std::string version = "") {
  return spec(Framework::kTensorflow, std::move(version));
}
inline Spec torch(std::string version = "") {
  return spec(Framework::kPytorch, std::move(version));
}

// A host with `count` GPUs of one model (name only: the resolver looks the capability up)
// and the given driver; nullopt = no driver installed.
inline HostFacts host(const std::string& gpu, std::optional<std::string> driver, int count = 1) {
  HostFacts out;
  for (int i = 0; i < count; ++i) {
    out.gpus.push_back({gpu, "", 0});
  }
  out.driver_version = std::move(driver);
  out.os_id = "ubuntu";
  out.os_version = "22.04";
  out.origin = "test";
  return out;
}
// A host where deepdock installs the driver (ssh or Google Cloud), with none installed yet.
inline HostFacts managed(const std::string& gpu) {
  HostFacts out = host(gpu, std::nullopt);
  out.driver_managed = true;
  return out;
}
inline HostFacts no_gpu() {
  return host("", std::nullopt, 0);
}

inline tl::expected<Resolution, Conflict> run(const Spec& s, const HostFacts& h) {
  return resolve(s, h, kb());
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline const Violation* violation(const Conflict& c, const std::string& constraint,
                                  const std::string& part = "") {
  for (const auto& v : c.violations) {
    if (v.constraint == constraint && contains(v.detail, part)) {
      return &v;
    }
  }
  return nullptr;
}

inline const Alternative* alternative(const Conflict& c, const std::string& part) {
  for (const auto& a : c.alternatives) {
    if (contains(a.summary, part)) {
      return &a;
    }
  }
  return nullptr;
}

inline const Reason* reason(const Resolution& r, const std::string& subject) {
  for (const auto& x : r.reasons) {
    if (x.subject == subject) {
      return &x;
    }
  }
  return nullptr;
}

inline bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return contains(line, part); });
}

inline bool has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Everything the resolver said, for failure messages.
inline std::string dump(const tl::expected<Resolution, Conflict>& outcome) {
  std::string out;
  if (outcome) {
    out = "resolution " + outcome->framework_version + " " + outcome->base_image + "\n";
    for (const auto& w : outcome->warnings) {
      out += "  warning: " + w + "\n";
    }
    return out;
  }
  for (const auto& v : outcome.error().violations) {
    out += "  x " + v.constraint + ": " + v.detail + "\n";
  }
  for (const auto& a : outcome.error().alternatives) {
    out += "  - " + a.summary + "\n";
  }
  return out;
}

}  // namespace deepdock::core::resolve_test
