// SPDX-License-Identifier: MIT
// probe_caps(hw): the host PMU's capabilities read through a register backend -- here a user's
// own, with only the sysreg_access members, answering raw register values built from the Arm
// ARM's field positions (not from vpmu's descriptions):
//   ID_AA64DFR0_EL1 S3_0_C0_C5_0: PMUVer 11:8 (6 = PMUv3p5), MTPMU 51:48, HPMN0 63:60;
//   ID_AA64DFR1_EL1 S3_0_C0_C5_1: PMICNTR 39:36; ID_AA64MMFR0_EL1 S3_0_C0_C7_0: FGT 59:56
//   (1 = FEAT_FGT, 2 = FEAT_FGT2); PMCR_EL0 S3_3_C9_C12_0: IMP 31:24, IDCODE 23:16, N 15:11;
//   PMCEID0/1_EL0 S3_3_C9_C12_6 / _7.
#include "vpmu/access/arm64_probe.hpp"

#include <cstdint>
#include <doctest/doctest.h>

namespace {

namespace a64 = vpmu::arm64;

struct id_register_backend {
  std::uint64_t dfr0 = 0, dfr1 = 0, mmfr0 = 0, pmcr = 0, pmceid0 = 0, pmceid1 = 0;
  unsigned reads = 0;
  std::uint64_t read(a64::sysreg_encoding e) {
    ++reads;
    const auto is = [&](unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
      return e.op0 == op0 && e.op1 == op1 && e.crn == crn && e.crm == crm && e.op2 == op2;
    };
    if (is(3, 0, 0, 5, 0)) return dfr0;
    if (is(3, 0, 0, 5, 1)) return dfr1;
    if (is(3, 0, 0, 7, 0)) return mmfr0;
    if (is(3, 3, 9, 12, 0)) return pmcr;
    if (is(3, 3, 9, 12, 6)) return pmceid0;
    if (is(3, 3, 9, 12, 7)) return pmceid1;
    FAIL("probe_caps read a register that is not an ID or PMU identification register");
    return 0;
  }
  void write(a64::sysreg_encoding, std::uint64_t) { FAIL("probe_caps wrote a register"); }
};

}  // namespace

TEST_CASE("probe_caps(hw): a PMUv3p5 host with FEAT_FGT2, HPMN0, PMICNTR and 10 counters") {
  id_register_backend hw;
  hw.dfr0 = (std::uint64_t{1} << 60) | (std::uint64_t{1} << 48) | (std::uint64_t{6} << 8);
  hw.dfr1 = std::uint64_t{1} << 36;
  hw.mmfr0 = std::uint64_t{2} << 56;
  hw.pmcr = (std::uint64_t{0x41} << 24) | (std::uint64_t{0x2a} << 16) | (std::uint64_t{10} << 11);
  hw.pmceid0 = 0x6fff'3fff;
  hw.pmceid1 = 0x1f;
  const a64::pmu_caps c = a64::probe_caps(hw);
  CHECK(c.version == a64::pmuver::v3p5);
  CHECK(c.counters == 10);
  CHECK(c.hpmn0);
  CHECK(c.mtpmu);
  CHECK(c.pmicntr);
  CHECK(c.has_fgt2());
  CHECK(c.implementer == 0x41);
  CHECK(c.idcode == 0x2a);
  CHECK(c.pmceid0 == 0x6fff'3fff);
  CHECK(c.pmceid1 == 0x1f);
  CHECK(hw.reads == 6);  // each register once
}

TEST_CASE("probe_caps(hw): PMUv3 (v3p0) without FGT, and no PMU at all") {
  id_register_backend hw;
  hw.dfr0 = std::uint64_t{1} << 8;  // PMUVer = 1: PMUv3
  hw.pmcr = std::uint64_t{6} << 11;
  const a64::pmu_caps v3 = a64::probe_caps(hw);
  CHECK(v3.version == a64::pmuver::imp);
  CHECK(v3.counters == 6);
  CHECK_FALSE(v3.has_fgt());
  CHECK_FALSE(v3.hpmn0);
  CHECK_FALSE(v3.pmicntr);

  hw.dfr0 = 0;  // PMUVer = 0: no PMUv3; PMCR_EL0.N is then meaningless
  CHECK(a64::probe_caps(hw).counters == 0);
}
