#pragma once
// An approximate hourly price of a GPU VM, to print in a plan so nobody is surprised by
// the bill. These are list prices for us-central1 kept in a small table (see the .cpp for
// where the numbers come from); real prices vary by region, change over time, and Spot
// prices move up to once a month. Always shown with kPriceNote.

#include <optional>
#include <string_view>

namespace deepdock::core {

inline constexpr std::string_view kPriceNote = "approximate list price, us-central1";

struct PriceEstimate {
  double on_demand_per_hour = 0;  // USD: the GPUs plus the machine's vCPUs and memory
  double spot_per_hour = 0;
};

// nullopt when the accelerator or the machine family is not in the table.
std::optional<PriceEstimate> estimate_price(std::string_view accelerator, int count,
                                            std::string_view machine_type, int guest_cpus);

}  // namespace deepdock::core
