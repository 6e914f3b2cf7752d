// SPDX-License-Identifier: MIT
// Runtime validation of guest-written x86 PMU values: Intel faults name the field, AMD drops.
#include <cstdint>
#include <doctest/doctest.h>

#include "support/splitmix.hpp"
#include "vpmu/arch/x86.hpp"

using namespace vpmu::x86;

namespace {
std::uint64_t opaque(std::uint64_t v) {
  volatile std::uint64_t x = v;
  return x;
}
const intel_caps v4 = decode_intel_cpuid({0x0730'0804, 0x0, 0x0, 0x0603});
}  // namespace

TEST_CASE("Intel PERFEVTSEL: AnyThread is refused and named") {
  const auto v = ia32_perfevtselx::value::from_hardware(opaque(0x0063'003c));  // EN|INT|ANY|OS|USR
  const auto r = validate_perfevtsel(v4, 0, v);
  REQUIRE_FALSE(r.has_value());
  CHECK(vpmu::equal_strings(r.error_value().field, "ANY"));
  CHECK(r.error_value().bits == (1ULL << 21));
  CHECK(
      validate_perfevtsel(v4, 0, ia32_perfevtselx::value::from_hardware(0x0043'003c)).has_value());
}

TEST_CASE("Intel PERFEVTSEL: EQ and UMASK2 follow CPUID.0x23") {
  const auto eq = ia32_perfevtselx::value::from_hardware(opaque(1ULL << 36 | 0x0041'00c0));
  CHECK(vpmu::equal_strings(validate_perfevtsel(v4, 0, eq).error_value().field, "EQ"));
  intel_caps with_eq = v4;
  with_eq.eq = true;
  CHECK(validate_perfevtsel(with_eq, 0, eq).has_value());
}

TEST_CASE("Intel PERFEVTSEL: every single reserved bit is refused / every other accepted") {
  for (unsigned counter = 0; counter < 4; ++counter) {
    for (unsigned b = 0; b < 64; ++b) {
      const auto v = ia32_perfevtselx::value::from_hardware(opaque(1ULL << b));
      const bool reserved = b == 21 || b >= 32;  // KVM's base mask, no TSX/PEBS/EQ/UMASK2
      CAPTURE(b);
      CHECK(validate_perfevtsel(v4, counter, v).has_value() == !reserved);
    }
  }
}

TEST_CASE("Intel FIXED_CTR_CTRL: only OS/USR/PMI of existing counters") {
  for (unsigned b = 0; b < 64; ++b) {
    const auto v = ia32_fixed_ctr_ctrl::value::from_hardware(opaque(1ULL << b));
    const bool allowed = b < 12 && (b % 4) != 2;  // three counters, AnyThread (bit 4i+2) refused
    CAPTURE(b);
    CHECK(validate_fixed_ctr_ctrl(v4, v).has_value() == allowed);
  }
}

TEST_CASE("AMD PerfEvtSel: reserved bits vanish / the rest stays") {
  test_support::splitmix64 rng{7};
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t w = rng.next();
    const auto s = sanitize_perf_ctl(opaque(w));
    CHECK((s.raw() & amd_perf_ctl_reserved) == 0);
    CHECK((s.raw() | (w & amd_perf_ctl_reserved)) == w);
  }
}

TEST_CASE(
    "IA32_PERF_CAPABILITIES (MSR 0x345) adds FW_WRITES (bit 13), PEBS_BASELINE (14), "
    "PERF_METRICS (15) to the CPUID caps") {
  // SDM Vol. 4, IA32_PERF_CAPABILITIES: bit 13 full-width writes, bit 14 PEBS baseline, bit 15
  // PERF_METRICS available.
  CHECK_FALSE(v4.fw_writes);
  const intel_caps fw = with_perf_capabilities(
      v4, ia32_perf_capabilities::value::from_hardware(opaque(std::uint64_t{1} << 13)));
  CHECK(fw.fw_writes);
  CHECK_FALSE(fw.pebs_baseline);
  CHECK_FALSE(fw.perf_metrics);
  const intel_caps all = with_perf_capabilities(
      v4, ia32_perf_capabilities::value::from_hardware(opaque(std::uint64_t{7} << 13)));
  CHECK(all.fw_writes);
  CHECK(all.pebs_baseline);
  CHECK(all.perf_metrics);
  CHECK(all.gp_counters == v4.gp_counters);  // the CPUID part is left as it was
}
