#pragma once
// One resolver per framework and per kind of base, all pure: the context in, a Resolution or
// a Conflict out. Internal to the resolver; resolver.cpp picks one.

#include "core/resolve/resolve_context.hpp"

namespace deepdock::core::resolve_detail {

Outcome resolve_tensorflow(Context& ctx);
Outcome resolve_pytorch(Context& ctx);
Outcome resolve_jax(Context& ctx);
Outcome resolve_no_framework(Context& ctx);
// The framework's resolver for a base that is not debootstrap (resolver.cpp).
Outcome resolve_framework(Context& ctx);
// base: debootstrap:<suite>: the framework from Debian's packages, CPU only.
Outcome resolve_debootstrap(Context& ctx);

}  // namespace deepdock::core::resolve_detail
