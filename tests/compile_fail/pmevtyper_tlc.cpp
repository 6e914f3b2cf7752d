// SPDX-License-Identifier: MIT
// PMEVTYPER<n>.TLC [55:54] needs FEAT_PMUv3_TH2, which vpmu does not probe: a compile-time value
// that sets it must not build, even on the newest PMU version (Arm ARM M.a.a D24.5).
// vpmu-expect-error: field_not_supported_by_these_caps<.*pmevtypern_el0, 55, 54
#include "vpmu/arch/arm64.hpp"

using namespace vpmu::arm64;
constexpr pmu_caps v3p9{pmuver::v3p9, 6};
constexpr auto v = pmevtyper_for(v3p9, pmevtypern_el0::value{}.with(pmevtypern_el0::tlc = 1));
