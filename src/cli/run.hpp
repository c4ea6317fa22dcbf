#pragma once
// The CLI's entry point: parse, dispatch to a command, turn an Error into a message and an
// exit code (0 ok, 1 failure, 2 usage or invalid spec, 3 incompatible or precondition
// unmet, 130 interrupted).

namespace deepdock::cli {

int run(int argc, char** argv);

}  // namespace deepdock::cli
