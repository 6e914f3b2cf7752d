// SPDX-License-Identifier: MIT
// Taking the value of a result that holds an error inside a constant expression must not
// compile (at run time it is VPMU_ASSERT).
// vpmu-expect-error: (__builtin_trap|not a constant expression|non-constant condition)
#include "support/test_layouts.hpp"

static_assert(test_regs::ctrl::n.checked(1000).value().bits != 0);
