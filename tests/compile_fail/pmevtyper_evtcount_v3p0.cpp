// SPDX-License-Identifier: MIT
// evtCount above 0x3FF needs FEAT_PMUv3p1; on PMUv3p0 the literal must not compile.
// vpmu-expect-error: field_not_supported_by_these_caps<.*pmevtypern_el0, 15, 0
#include "vpmu/arch/arm64.hpp"

using namespace vpmu::arm64;
constexpr pmu_caps v3p0{pmuver::imp, 6};
constexpr auto v =
    pmevtyper_for(v3p0, pmevtypern_el0::value{}.with(pmevtypern_el0::evtcount = 0x400));
