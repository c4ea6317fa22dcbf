# Warnings every target of ours compiles with; CI turns them into errors.
add_library(deepdock_warnings INTERFACE)
target_compile_options(deepdock_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough
  # Designated initializers that leave members at their defaults are intended.
  # (-Wnull-dereference is left out: GCC 12 reports false positives inside libstdc++
  # through CLI11 at -O2.)
  -Wno-missing-field-initializers)
if(DEEPDOCK_WERROR)
  target_compile_options(deepdock_warnings INTERFACE -Werror)
endif()
