// deepdock-gcp-emulator --scenario FILE [--port N] [--port-file PATH] [--log PATH]
//                       [--realize-command CMD] [--unrealize-command CMD] [--work-dir DIR]
//                       [--build-command CMD]
// A loopback emulator of the Compute Engine, OAuth and metadata endpoints deepdock uses.
// Prints the port it listens on (127.0.0.1 only) and serves until SIGTERM or SIGINT.

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "emulator.hpp"

namespace {

const char* const kUsage =
    "usage: deepdock-gcp-emulator --scenario FILE [--port N] [--port-file PATH] [--log PATH]\n"
    "                             [--realize-command CMD] [--unrealize-command CMD]\n"
    "                             [--work-dir DIR] [--build-command CMD]\n";

std::map<std::string, std::string> parse_args(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag.rfind("--", 0) != 0 || i + 1 >= argc) {
      throw std::runtime_error("unexpected argument '" + flag + "'");
    }
    args[flag.substr(2)] = argv[++i];
  }
  for (const auto& [name, value] : args) {
    static const char* const known[] = {
        "scenario",          "port",     "port-file",    "log", "realize-command",
        "unrealize-command", "work-dir", "build-command"};
    if (std::find(std::begin(known), std::end(known), name) == std::end(known)) {
      throw std::runtime_error("unknown option --" + name);
    }
  }
  if (args.count("scenario") == 0) {
    throw std::runtime_error("--scenario is required");
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  try {
    args = parse_args(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "deepdock-gcp-emulator: " << error.what() << "\n" << kUsage;
    return 2;
  }
  // SIGTERM and SIGINT are taken by a thread of their own, which stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const std::filesystem::path work_dir =
      args.count("work-dir") != 0 ? std::filesystem::path(args["work-dir"])
                                  : std::filesystem::temp_directory_path() /
                                        ("deepdock-gcp-emulator-" + std::to_string(getpid()));
  std::unique_ptr<deepdock::gcpemu::Emulator> emulator;
  try {
    emulator = std::make_unique<deepdock::gcpemu::Emulator>(
        deepdock::gcpemu::load_scenario(args["scenario"]),
        deepdock::gcpemu::EmulatorOptions{
            .log_file = args["log"],
            .realize_command = args["realize-command"],
            .unrealize_command = args["unrealize-command"],
            .work_dir = work_dir,
            .build_command = args["build-command"],
            .cloud_build = deepdock::gcpemu::load_cloud_build_scenario(args["scenario"])});
  } catch (const std::exception& error) {
    std::cerr << "deepdock-gcp-emulator: " << error.what() << "\n";
    return 2;
  }
  int wanted_port = 0;
  try {
    wanted_port = args.count("port") != 0 ? std::stoi(args["port"]) : 0;
  } catch (const std::exception&) {
    std::cerr << "deepdock-gcp-emulator: --port takes a number, not '" << args["port"] << "'\n";
    return 2;
  }
  const int port = emulator->bind(wanted_port);
  if (port <= 0) {
    std::cerr << "deepdock-gcp-emulator: cannot listen on 127.0.0.1:" << args["port"] << "\n";
    return 1;
  }
  if (args.count("port-file") != 0) {
    const std::string temporary = args["port-file"] + ".tmp";
    std::ofstream(temporary) << port << "\n";
    std::filesystem::rename(temporary, args["port-file"]);  // readers never see half a file
  }
  std::cout << port << std::endl;

  std::atomic<bool> served{false};
  std::thread waiter([&] {
    const timespec interval{0, 200'000'000};
    while (!served) {
      if (sigtimedwait(&signals, nullptr, &interval) > 0) {
        emulator->stop();
        return;
      }
    }
  });
  const bool ok = emulator->serve();
  served = true;
  waiter.join();
  emulator.reset();
  if (args.count("work-dir") == 0) {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
  }
  return ok ? 0 : 1;
}
