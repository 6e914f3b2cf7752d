// SPDX-License-Identifier: MIT
// IA32_PERFEVTSEL8 is beyond the architectural MSR slots (0x186-0x18D).
// vpmu-expect-error: index beyond the architectural MSR slots
#include "vpmu/arch/x86.hpp"

constexpr auto m = vpmu::x86::ia32_perfevtsel<8>::msr;
