#pragma once
// The world the emulator answers for, read from a YAML (or JSON) scenario file: the project,
// its zones and regions with quotas, the tokens it accepts, and the faults it injects.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace deepdock::gcpemu {

struct ZoneSpec {
  std::string name;                       // us-west1-b
  std::vector<std::string> accelerators;  // accelerator types offered: nvidia-tesla-t4, ...
  // Stockout: -1 never, 0 always, N > 0: the next N creations (inserts and starts) fail.
  int stockout = -1;
  std::string status = "UP";
};

// A burst of error answers: the next `count` requests whose method and path match.
struct BurstSpec {
  std::string method;  // empty: any
  std::string path;    // ECMAScript regex searched in the path
  int status = 429;
  int count = 1;
};

// Operations of one zone and type (empty: any) take this long.
struct SlowOperationSpec {
  std::string zone;
  std::string type;  // insert, delete, start, stop, setMetadata
  int64_t delay_ms = 0;
};

struct ServiceAccountSpec {
  std::string email;
  std::string public_key_pem;  // verifies the RS256 signature of its JWTs
};

struct OAuthSpec {
  std::vector<ServiceAccountSpec> service_accounts;
  std::vector<std::string> refresh_tokens;
  std::vector<std::string> audiences;  // the emulator's own /token URL is always accepted
  int64_t expires_in = 3599;
};

enum class QuotaErrorWhere { kOperation, kSync };

struct Scenario {
  std::string project = "deepdock-test";
  std::string project_number = "123456789012";
  std::vector<std::string> tokens;  // bearer tokens accepted (besides those /token issues)
  std::vector<ZoneSpec> zones;
  std::map<std::string, std::map<std::string, double>> region_quotas;  // region → metric → limit
  std::map<std::string, double> project_quotas;                        // GPUS_ALL_REGIONS, ...
  std::map<std::string, std::vector<std::string>> images;              // image project → families
  std::vector<std::string> serial_output;  // lines on serial port 1 once RUNNING
  int64_t operation_delay_ms = 0;
  // The most items a list page holds whatever maxResults asks (0: Google's 500), so that a
  // client's page following is exercised with a handful of resources.
  int64_t page_size = 0;
  OAuthSpec oauth;
  std::vector<BurstSpec> bursts;
  std::vector<SlowOperationSpec> slow_operations;
  QuotaErrorWhere quota_errors = QuotaErrorWhere::kOperation;

  [[nodiscard]] const ZoneSpec* find_zone(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> regions() const;  // sorted, from zones and quotas
};

// The region of a zone: us-west1-b → us-west1.
std::string region_of(const std::string& zone);

// Throws std::runtime_error naming the file and the problem.
Scenario load_scenario(const std::filesystem::path& file);

}  // namespace deepdock::gcpemu
