// SPDX-License-Identifier: MIT
// The validation API in static_assert form: "this PERFEVTSEL is valid for these caps" and
// "this PMEVTYPER is valid for PMUv3p1" are constant expressions.
#include "vpmu/vpmu.hpp"

namespace {
namespace a = vpmu::arm64;
namespace x = vpmu::x86;

constexpr a::pmu_caps v3p0{a::pmuver::imp, 6};
constexpr a::pmu_caps v3p1{a::pmuver::v3p1, 6};
constexpr auto evt_0x4000 = a::pmevtypern_el0::value{}.with(a::pmevtypern_el0::evtcount = 0x4000);
static_assert(a::validate_pmevtyper(v3p1, evt_0x4000).has_value());
static_assert(!a::validate_pmevtyper(v3p0, evt_0x4000).has_value());
static_assert(a::validate_pmevtyper(v3p0, evt_0x4000).error_value().bits == 0x4000);

constexpr x::intel_caps skylake_like = x::decode_intel_cpuid({0x0430'0804, 0, 0, 0x0603});
constexpr auto inst_retired = x::ia32_perfevtselx::value{}.with(
    x::ia32_perfevtselx::event = 0xc0, x::ia32_perfevtselx::usr = 1, x::ia32_perfevtselx::os = 1,
    x::ia32_perfevtselx::en = 1);
static_assert(x::validate_perfevtsel(skylake_like, 0, inst_retired).has_value());
static_assert(x::perfevtsel_for(skylake_like, 0, inst_retired).raw() == 0x0043'00c0);
static_assert(!x::validate_perfevtsel(skylake_like, 0,
                                      inst_retired.with(x::ia32_perfevtselx::in_tx = 1))
                   .has_value());
}  // namespace
