// SPDX-License-Identifier: MIT
// Capabilities from ID register values, and caps-dependent validation of PMEVTYPER.
#include <cstdint>
#include <doctest/doctest.h>

#include "vpmu/arch/arm64.hpp"

using namespace vpmu::arm64;

namespace {
std::uint64_t opaque(std::uint64_t v) {
  volatile std::uint64_t x = v;
  return x;
}

// ID values shaped like QEMU 7.2's `-cpu max` (PMUVer 6 = v3p5, 6 counters, no FGT) and
// `-cpu cortex-a57` (PMUVer 1 = PMUv3, 6 counters), per qemu-arm.md; PMCR_EL0.N = 6 at 15:11.
pmu_caps probe(std::uint64_t dfr0, std::uint64_t dfr1, std::uint64_t mmfr0, std::uint64_t pmcr) {
  return probe_caps(id_aa64dfr0_el1::value::from_hardware(opaque(dfr0)),
                    id_aa64dfr1_el1::value::from_hardware(opaque(dfr1)),
                    id_aa64mmfr0_el1::value::from_hardware(opaque(mmfr0)),
                    pmcr_el0::value::from_hardware(opaque(pmcr)));
}
}  // namespace

TEST_CASE("probe: PMUv3p5 with 6 counters / no FGT / no HPMN0") {
  const pmu_caps c = probe(0x0000'0000'0000'0600, 0, 0, 6U << 11);
  CHECK(c.has_pmuv3());
  CHECK(c.version == pmuver::v3p5);
  CHECK(c.counters == 6);
  CHECK(c.event_counters_64bit());
  CHECK_FALSE(c.hpmn0);
  CHECK_FALSE(c.has_fgt());
  CHECK(evtcount_mask(c) == 0xffff);
  CHECK(counter_bitmap_mask(c) == (0x3fULL | (1ULL << 31)));
  CHECK(counter_bitmap_mask(c, 2) == (0x3ULL | (1ULL << 31)));
}

TEST_CASE("probe: PMUv3 (v3p0) / HPMN0 / FGT2 / PMICNTR / MTPMU") {
  const pmu_caps c =
      probe((1ULL << 60) | (1ULL << 48) | (1ULL << 8), 1ULL << 36, 2ULL << 56, 10U << 11);
  CHECK(c.version == pmuver::imp);
  CHECK(c.counters == 10);
  CHECK(c.hpmn0);
  CHECK(c.mtpmu);
  CHECK(c.pmicntr);
  CHECK(c.has_fgt2());
  CHECK_FALSE(c.event_counters_64bit());
  CHECK(evtcount_mask(c) == 0x3ff);
  CHECK(counter_bitmap_mask(c) == (0x3ffULL | (1ULL << 31) | (1ULL << 32)));
}

TEST_CASE("probe: an IMP DEF PMU (PMUVer 0xF) is no PMUv3 / whatever PMCR says") {
  const pmu_caps c = probe(0xFULL << 8, 0, 0, 6U << 11);
  CHECK_FALSE(c.has_pmuv3());
  CHECK(c.counters == 0);
  CHECK(evtcount_mask(c) == 0);
  // MTPMU = 0xF is -1: not implemented (a signed field).
  CHECK_FALSE(probe(0xFULL << 48 | (6ULL << 8), 0, 0, 0).mtpmu);
}

TEST_CASE("PMEVTYPER validation names the field that the PMU lacks") {
  const pmu_caps v3p0 = probe(1ULL << 8, 0, 0, 6U << 11);
  const pmu_caps v3p5 = probe(6ULL << 8, 0, 0, 6U << 11);
  const auto wide = pmevtypern_el0::value::from_hardware(opaque(0x8000'0400));  // P | evt 0x400
  const auto r = validate_pmevtyper(v3p0, wide);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error_value().code == vpmu::errc::unsupported);
  CHECK(vpmu::equal_strings(r.error_value().where, "PMEVTYPERn_EL0"));
  CHECK(vpmu::equal_strings(r.error_value().field, "evtCount"));
  CHECK(r.error_value().bits == 0x400);
  CHECK(validate_pmevtyper(v3p5, wide).has_value());
  // MT needs FEAT_MTPMU; threshold fields are not supported by vpmu's caps.
  const auto mt = pmevtypern_el0::value::from_hardware(opaque(1ULL << 25));
  CHECK(vpmu::equal_strings(validate_pmevtyper(v3p5, mt).error_value().field, "MT"));
  const auto th = pmevtypern_el0::value::from_hardware(opaque(1ULL << 32));
  CHECK(vpmu::equal_strings(validate_pmevtyper(v3p5, th).error_value().field, "TH"));
}

TEST_CASE("pmevtyper_for accepts supported literals at compile time") {
  constexpr pmu_caps v3p0{pmuver::imp, 6};
  constexpr auto v = pmevtyper_for(
      v3p0, pmevtypern_el0::value{}.with(pmevtypern_el0::evtcount = 0x11, pmevtypern_el0::p = 1));
  static_assert(v.raw() == 0x8000'0011);
  CHECK(v.raw() == 0x8000'0011);
}
