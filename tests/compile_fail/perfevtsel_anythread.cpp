// SPDX-License-Identifier: MIT
// A PERFEVTSEL literal with AnyThread for any Intel caps must not compile (vpmu reserves it: a
// guest must not count its sibling thread's events).
// vpmu-expect-error: field_not_supported_by_these_caps<.*ia32_perfevtselx, 21, 21
#include "vpmu/arch/x86.hpp"

using namespace vpmu::x86;
constexpr intel_caps caps = decode_intel_cpuid({0x0730'0804, 0, 0, 0x0603});
constexpr auto v = perfevtsel_for(
    caps, 0, ia32_perfevtselx::value{}.with(ia32_perfevtselx::en = 1, ia32_perfevtselx::any = 1));
