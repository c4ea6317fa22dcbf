#include "app/idle_monitor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/idle_signals.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using std::chrono::seconds;

// What the last check left for the next one.
struct IdleRecord {
  std::string boot_id;
  int64_t last_active = 0;  // seconds since the epoch
  int64_t last_check = 0;
  std::map<std::string, uint64_t> cpu_usec;  // by cgroup, containers' and users'
};

std::optional<IdleRecord> parse_record(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || !json.contains("last_active") ||
      !json["last_active"].is_number_integer()) {
    return std::nullopt;
  }
  IdleRecord record;
  record.boot_id = json.value("boot_id", "");
  record.last_active = json["last_active"].get<int64_t>();
  record.last_check = json.value("last_check", int64_t{0});
  if (const auto cpu = json.find("cpu_usec"); cpu != json.end() && cpu->is_object()) {
    for (const auto& [cgroup, usec] : cpu->items()) {
      if (usec.is_number_unsigned()) {
        record.cpu_usec[cgroup] = usec.get<uint64_t>();
      }
    }
  }
  return record;
}

std::string record_json(const IdleRecord& record) {
  return nlohmann::json{{"boot_id", record.boot_id},
                        {"last_active", record.last_active},
                        {"last_check", record.last_check},
                        {"cpu_usec", record.cpu_usec}}
             .dump(2) +
         "\n";
}

std::string port_list(const std::vector<uint16_t>& ports) {
  std::vector<std::string> texts;
  texts.reserve(ports.size());
  for (const uint16_t port : ports) {
    texts.push_back(std::to_string(port));
  }
  return util::join(texts, ", ");
}

IdleSignal connection_signal(std::string name, const std::vector<uint16_t>& ports,
                             const std::optional<ConnectionCounts>& counts,
                             const std::filesystem::path& root) {
  IdleSignal signal{.name = std::move(name), .active = false, .seen = {}};
  if (ports.empty()) {
    signal.seen = "no port to watch";
    return signal;
  }
  if (!counts) {
    signal.active = true;
    signal.seen =
        fmt::format("cannot read {}: counted as activity", (root / "proc/net/tcp").string());
    return signal;
  }
  std::vector<std::string> seen;
  for (const uint16_t port : ports) {
    if (const auto it = counts->find(port); it != counts->end()) {
      seen.push_back(
          fmt::format("{} connection{} to port {}", it->second, it->second == 1 ? "" : "s", port));
    }
  }
  signal.active = !seen.empty();
  signal.seen = signal.active ? util::join(seen, ", ")
                              : "no connection to port" +
                                    std::string(ports.size() == 1 ? " " : "s ") + port_list(ports);
  return signal;
}

// CPU used since the last check by the cgroups of `usage`: a cgroup the last check did not
// see (a container started since) counts with all its time, a counter that went back (a
// cgroup made again) from zero.
IdleSignal cpu_signal(std::string name, const CpuUsage& usage, const IdleRecord* previous,
                      int64_t now, double threshold_percent) {
  IdleSignal signal{.name = std::move(name), .active = false, .seen = {}};
  if (usage.hierarchy.empty()) {
    signal.active = true;
    signal.seen = "no cgroup CPU accounting found: counted as activity";
    return signal;
  }
  if (usage.usec_by_cgroup.empty()) {
    signal.seen = "no cgroup to measure";
    return signal;
  }
  if (previous == nullptr || now <= previous->last_check) {
    signal.seen =
        fmt::format("{} cgroup{}: first sample, measured from the next check",
                    usage.usec_by_cgroup.size(), usage.usec_by_cgroup.size() == 1 ? "" : "s");
    return signal;
  }
  uint64_t used = 0;
  for (const auto& [cgroup, usec] : usage.usec_by_cgroup) {
    const auto before = previous->cpu_usec.find(cgroup);
    used +=
        before != previous->cpu_usec.end() && before->second <= usec ? usec - before->second : usec;
  }
  const int64_t interval = now - previous->last_check;
  const double percent = 100.0 * static_cast<double>(used) / (static_cast<double>(interval) * 1e6);
  signal.active = percent > threshold_percent;
  signal.seen = fmt::format("{:.1f}% of one CPU over {} s ({} cgroup{}, {})", percent, interval,
                            usage.usec_by_cgroup.size(),
                            usage.usec_by_cgroup.size() == 1 ? "" : "s", usage.hierarchy);
  return signal;
}

std::string minutes_text(seconds duration) {
  return fmt::format("{} min", duration.count() / 60);
}

}  // namespace

std::string idle_decision_text(const IdleDecision& decision) {
  std::string verdict;
  if (decision.idle) {
    verdict = fmt::format("idle for {} (limit {} min): powering off",
                          minutes_text(decision.idle_for), decision.limit.count());
  } else if (std::any_of(decision.signals.begin(), decision.signals.end(),
                         [](const IdleSignal& s) { return s.active; })) {
    verdict = fmt::format("active (limit {} min)", decision.limit.count());
  } else {
    verdict = fmt::format("idle for {} of {} min", minutes_text(decision.idle_for),
                          decision.limit.count());
  }
  std::vector<std::string> parts{verdict};
  if (!decision.note.empty()) {
    parts.push_back(decision.note);
  }
  for (const IdleSignal& signal : decision.signals) {
    parts.push_back(
        fmt::format("{}{}: {}", signal.name, signal.active ? " (active)" : "", signal.seen));
  }
  return util::join(parts, "; ");
}

Result<IdleDecision> check_idle(const IdleSettings& settings, core::StateStore& state,
                                std::chrono::system_clock::time_point now, bool record) {
  const int64_t now_s = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  const std::string boot_id = read_boot_id(settings.root);
  TRY_ASSIGN(const std::optional<std::string> stored, state.read(kIdleStateKey));
  std::optional<IdleRecord> previous = stored ? parse_record(*stored) : std::nullopt;

  IdleDecision decision;
  decision.limit = settings.limit;
  if (!stored) {
    decision.note = "first check: the idle time counts from now";
  } else if (!previous) {
    decision.note = "the last check's record is unreadable: the idle time counts from now";
  } else if (previous->boot_id != boot_id) {
    decision.note = "first check of this boot: the idle time counts from now";
    previous.reset();
  }

  std::vector<uint16_t> watched = settings.service_ports;
  watched.insert(watched.end(), settings.ssh_ports.begin(), settings.ssh_ports.end());
  const auto connections = established_connections(settings.root, watched);
  const CpuUsage containers = container_cpu_usage(settings.root);
  const CpuUsage users = user_cpu_usage(settings.root);
  const IdleRecord* before = previous ? &*previous : nullptr;
  decision.signals = {
      connection_signal("services", settings.service_ports, connections, settings.root),
      connection_signal("ssh", settings.ssh_ports, connections, settings.root),
      cpu_signal("containers' CPU", containers, before, now_s, settings.cpu_percent),
      cpu_signal("users' CPU", users, before, now_s, settings.cpu_percent)};
  const bool active = std::any_of(decision.signals.begin(), decision.signals.end(),
                                  [](const IdleSignal& s) { return s.active; });

  // A clock that went back makes the last activity now rather than in the future.
  const int64_t last_active =
      before == nullptr || active ? now_s : std::min(before->last_active, now_s);
  decision.idle_for = seconds(now_s - last_active);
  decision.idle = !active && decision.idle_for >= settings.limit;

  if (record) {
    IdleRecord next{.boot_id = boot_id,
                    .last_active = last_active,
                    .last_check = now_s,
                    .cpu_usec = containers.usec_by_cgroup};
    next.cpu_usec.insert(users.usec_by_cgroup.begin(), users.usec_by_cgroup.end());
    TRY(state.write(kIdleStateKey, record_json(next)));
  }
  return decision;
}

}  // namespace deepdock::app
