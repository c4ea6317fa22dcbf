#pragma once
// Deleting one of deepdock's VMs and waiting until Compute no longer knows it: the delete
// is retried with the same request id when its answer is lost, its operation is awaited,
// and the VM's absence is checked rather than assumed. Used by the cleanup of a failed
// create and by `down --delete`; both run it with cancellation set aside, since stopping a
// cleanup half-way is what would leak a VM.

#include <chrono>
#include <string>

#include "app/gcp_deps.hpp"

namespace deepdock::app {

// Clears a pending cancellation for its lifetime and restores it afterwards, so that the
// calls of a cleanup are not refused; a new Ctrl-C meanwhile still stops them.
class CancelSetAside {
 public:
  CancelSetAside();
  ~CancelSetAside();
  CancelSetAside(const CancelSetAside&) = delete;
  CancelSetAside& operator=(const CancelSetAside&) = delete;

  [[nodiscard]] bool was_cancelled() const { return was_cancelled_; }

 private:
  bool was_cancelled_ = false;
};

// Deletes `name` in `zone` (refusing one without the deepdock-managed label) and waits
// until instances.get says it is gone. Ok(false) when it was already gone.
Result<bool> delete_vm_and_wait(GcpDeps& deps, const std::string& project, const std::string& zone,
                                const std::string& name, std::chrono::seconds timeout);

}  // namespace deepdock::app
