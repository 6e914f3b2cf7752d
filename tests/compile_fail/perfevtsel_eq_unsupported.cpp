// SPDX-License-Identifier: MIT
// A PERFEVTSEL literal using EQ for caps without CPUID.0x23 EQ support must not compile.
// vpmu-expect-error: field_not_supported_by_these_caps<.*ia32_perfevtselx, 36, 36
#include "vpmu/arch/x86.hpp"

using namespace vpmu::x86;
constexpr intel_caps caps = decode_intel_cpuid({0x0830'0805, 0, 0, 0x0603}, {0, 0, 0, 0});
constexpr auto v = perfevtsel_for(
    caps, 0, ia32_perfevtselx::value{}.with(ia32_perfevtselx::en = 1, ia32_perfevtselx::eq = 1));
