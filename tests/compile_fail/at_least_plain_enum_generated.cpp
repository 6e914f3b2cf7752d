// SPDX-License-Identifier: MIT
// at_least on a generated plain `Enum` (ID_AA64MMFR0_EL1.ASIDBITS: spec says Enum, no sign)
// must not compile.
// vpmu-expect-error: plain `Enum` whose signedness
#include "vpmu/arch/arm64.hpp"

using mmfr0 = vpmu::arm64::id_aa64mmfr0_el1;
bool b = vpmu::at_least(mmfr0::value{}, mmfr0::asidbits_t::bits16);
