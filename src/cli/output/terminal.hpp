#pragma once
// Facts about where output goes: a terminal or not, its width, whether colour is allowed.

#include <cstdio>

namespace deepdock::cli {

bool is_terminal(std::FILE* stream);
// Columns of the terminal on `stream`, or 80 when unknown.
int terminal_width(std::FILE* stream);
// Colour only on a terminal and only when NO_COLOR is unset (https://no-color.org).
bool use_color(std::FILE* stream);

}  // namespace deepdock::cli
