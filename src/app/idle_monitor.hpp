#pragma once
// The idle check of a cloud VM (`deepdock idle-check`, run every minute by the idle-stop
// step's timer, core/bootstrap/idle_stop_step): it reads the activity signals of the host
// (app/idle_signals), keeps the time of the last activity in a state record, and decides
// whether the VM has been idle for the limit, with what each signal saw.
//
// Activity is any of: an established connection to a service port (Jupyter, TensorBoard,
// reached through a tunnel); an established SSH connection (deepdock's own ControlMaster
// keeps one open while `deepdock up` and `deepdock tunnel` run: that counts, on purpose);
// CPU used by the containers, or by users' processes, above a small share of one CPU
// averaged since the last check. A signal that cannot be read counts as activity: the VM
// is never stopped on a guess.
//
// The idle time counts from the first check of each boot (a record of another boot, or
// none, starts the count now), so a VM that `deepdock up` just started is never idle.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/ports/state_store.hpp"
#include "util/error.hpp"

namespace deepdock::app {

// The record in the state directory (/var/lib/deepdock/idle on the host).
inline constexpr const char* kIdleStateKey = "last-active.json";

struct IdleSettings {
  std::chrono::minutes limit{60};
  std::vector<uint16_t> service_ports;  // Jupyter, TensorBoard
  std::vector<uint16_t> ssh_ports{22};
  double cpu_percent = 2.0;          // of one CPU, averaged since the last check
  std::filesystem::path root = "/";  // a fixture tree in tests
};

struct IdleSignal {
  std::string name;  // "services", "ssh", "containers' CPU", "users' CPU"
  bool active = false;
  std::string seen;  // "1 connection to port 8888", "0.3% of one CPU over 60 s"
};

struct IdleDecision {
  bool idle = false;  // idle for at least the limit: power off
  std::chrono::seconds idle_for{0};
  std::chrono::minutes limit{0};
  std::vector<IdleSignal> signals;
  std::string note;  // why the count starts now, when it does
};

// One line for the journal: the verdict, then what each signal saw.
std::string idle_decision_text(const IdleDecision& decision);

// Reads the signals below settings.root at `now`, decides, and (when `record`) writes the
// new record. Errors only when the record cannot be written.
Result<IdleDecision> check_idle(const IdleSettings& settings, core::StateStore& state,
                                std::chrono::system_clock::time_point now, bool record = true);

}  // namespace deepdock::app
