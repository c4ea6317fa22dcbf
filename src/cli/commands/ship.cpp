// `deepdock ship IMAGE [--host ssh://user@host]`: sends an image of this machine's engine to
// an SSH host's engine, only the layers that host lacks, over the SSH connection (what
// `docker save | ssh host docker load` does, without sending what is there). `up --ship`
// does the same for the environment image.
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/ship_image.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/ssh_connection.hpp"

namespace deepdock::cli::commands {
namespace {

struct ShipFlags {
  std::string image;
  std::string host;
};

}  // namespace

CommandAction setup_ship(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<ShipFlags>();
  sub.add_option("image", flags->image, "The image of this machine's engine (name:tag or ID)")
      ->required();
  sub.add_option("--host", flags->host,
                 "ssh://[user@]host[:port] (default: the spec's ssh target)");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const auto target, ssh_target_of(flags->host, global.spec_file));
    if (!target) {
      return fail(ErrorCode::kInvalidInput, "ship: no SSH host to ship to",
                  "give --host ssh://user@host, or run it beside a spec whose target is ssh");
    }
    TRY_ASSIGN(auto local, connect_engine(std::nullopt));
    TRY_ASSIGN(auto remote, connect_engine(target));
    TRY_ASSIGN(
        const app::ShipResult shipped,
        app::ship_image(*local, *remote, flags->image, std::filesystem::temp_directory_path(), {}));
    if (global.json) {
      fmt::print("{}\n", nlohmann::json{{"image", flags->image},
                                        {"host", target->url()},
                                        {"sent", shipped.sent},
                                        {"layers", shipped.layers},
                                        {"layers_sent", shipped.layers_sent},
                                        {"bytes_sent", shipped.bytes_sent},
                                        {"bytes_left_out", shipped.bytes_left_out}}
                             .dump(2));
    } else if (!global.quiet) {
      fmt::print("{} on {}: {}\n", flags->image, target->url(), app::ship_summary(shipped));
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
