// SPDX-License-Identifier: MIT
// PMEVTYPER<31>_EL0 does not exist (its slot is PMCCFILTR_EL0).
// vpmu-expect-error: PMEVTYPER<n>_EL0: n must be in 0..30
#include "vpmu/arch/arm64.hpp"

constexpr auto e = vpmu::arm64::pmevtyper_el0<31>::encoding;
