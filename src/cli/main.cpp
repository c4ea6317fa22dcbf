// deepdock: from a bare machine to a running, verified GPU deep-learning container.
#include "cli/run.hpp"

int main(int argc, char** argv) {
  return deepdock::cli::run(argc, argv);
}
