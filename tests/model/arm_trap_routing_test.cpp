// SPDX-License-Identifier: MIT
// Trap routing of EL1 PMU accesses: for every PMU register and direction, under no traps,
// MDCR_EL2.TPM, MDCR_EL2.TPMCR and each fine-grained trap bit alone, the model's decision must
// match the Arm ARM's rules. The expected FGT bit of each register is written here by hand from
// the register descriptions (Arm ARM M.a.a D24.5 and D24.2.67-69), independently of the model.
// Every trap's ESR must decode (vpmu::arm64::decode_esr) to the access that caused it.
#include <cstdint>
#include <doctest/doctest.h>
#include <vector>

#include "vpmu/sim/arm_pmuv3.hpp"

using namespace vpmu::arm64;
using vpmu::sim::arm_pmuv3;
using vpmu::sim::el;
using vpmu::sim::outcome;

namespace {

struct row {
  const char* name;
  sysreg_encoding encoding;
  bool readable, writable;
  int read_bit;   // HDFGRTR_EL2 bit that traps reads, -1: none
  int write_bit;  // HDFGWTR_EL2 bit that traps writes, -1: none
  int fgt2_bit;   // HDFG[RW]TR2_EL2 negative-polarity bit, -1: none
  int fgt2_write_only_bit;
};

const std::vector<row>& table() {
  static const std::vector<row> rows = {
      {"PMCR_EL0", {3, 3, 9, 12, 0}, true, true, -1, 21, -1, -1},
      {"PMCNTENSET_EL0", {3, 3, 9, 12, 1}, true, true, 16, 16, -1, -1},
      {"PMCNTENCLR_EL0", {3, 3, 9, 12, 2}, true, true, 16, 16, -1, -1},
      {"PMOVSCLR_EL0", {3, 3, 9, 12, 3}, true, true, 18, 18, -1, -1},
      {"PMSWINC_EL0", {3, 3, 9, 12, 4}, false, true, -1, 20, -1, -1},
      {"PMSELR_EL0", {3, 3, 9, 12, 5}, true, true, 19, 19, -1, -1},
      {"PMCEID0_EL0", {3, 3, 9, 12, 6}, true, false, 58, -1, -1, -1},
      {"PMCEID1_EL0", {3, 3, 9, 12, 7}, true, false, 58, -1, -1, -1},
      {"PMCCNTR_EL0", {3, 3, 9, 13, 0}, true, true, 15, 15, -1, -1},
      {"PMXEVTYPER_EL0", {3, 3, 9, 13, 1}, true, true, 13, 13, -1, -1},
      {"PMXEVCNTR_EL0", {3, 3, 9, 13, 2}, true, true, 12, 12, -1, -1},
      {"PMZR_EL0", {3, 3, 9, 13, 4}, false, true, -1, -1, -1, 21},
      {"PMUSERENR_EL0", {3, 3, 9, 14, 0}, true, true, 57, 57, -1, -1},
      {"PMINTENSET_EL1", {3, 0, 9, 14, 1}, true, true, 17, 17, -1, -1},
      {"PMINTENCLR_EL1", {3, 0, 9, 14, 2}, true, true, 17, 17, -1, -1},
      {"PMOVSSET_EL0", {3, 3, 9, 14, 3}, true, true, 18, 18, -1, -1},
      {"PMUACR_EL1", {3, 0, 9, 14, 4}, true, true, -1, -1, 4, -1},
      {"PMMIR_EL1", {3, 0, 9, 14, 6}, true, false, 22, -1, -1, -1},
      {"PMICNTR_EL0", {3, 3, 9, 4, 0}, true, true, -1, -1, 2, -1},
      {"PMICFILTR_EL0", {3, 3, 9, 6, 0}, true, true, -1, -1, 3, -1},
      {"PMCCFILTR_EL0", {3, 3, 14, 15, 7}, true, true, 14, 14, -1, -1},
      {"PMEVCNTR0_EL0", {3, 3, 14, 8, 0}, true, true, 12, 12, -1, -1},
      {"PMEVCNTR9_EL0", {3, 3, 14, 9, 1}, true, true, 12, 12, -1, -1},
      {"PMEVTYPER0_EL0", {3, 3, 14, 12, 0}, true, true, 13, 13, -1, -1},
      {"PMEVTYPER9_EL0", {3, 3, 14, 13, 1}, true, true, 13, 13, -1, -1},
  };
  return rows;
}

// PMUv3p9 with FGT2 and PMICNTR, N = 10, all counters given to EL1 (HPMN = N), and the FGT2
// negative-polarity bits all set to 1 (= no trap) unless a case clears one.
arm_pmuv3 make() {
  arm_pmuv3 pmu{{10, pmuver::v3p9, true, 2, true}};
  pmu.write(mdcr_el2::encoding, 10);
  pmu.write(hdfgrtr2_el2::encoding, ~hdfgrtr2_el2::res0);
  pmu.write(hdfgwtr2_el2::encoding, ~hdfgwtr2_el2::res0);
  return pmu;
}

void expect(arm_pmuv3& pmu, const row& r, bool is_read, bool trapped) {
  CAPTURE(r.name);
  CAPTURE(is_read);
  const auto o =
      is_read ? pmu.guest_read(el::el1, r.encoding, 7) : pmu.guest_write(el::el1, r.encoding, 0, 7);
  CHECK(o.kind == (trapped ? outcome::trap_el2 : outcome::executed));
  if (o.kind == outcome::trap_el2) {
    const auto a = decode_esr(o.esr);
    REQUIRE(a.has_value());
    CHECK(a.value().encoding == r.encoding);
    CHECK(a.value().is_read == is_read);
    CHECK(a.value().rt == 7);
  }
}

}  // namespace

TEST_CASE("no traps: every PMU access executes") {
  for (const row& r : table()) {
    arm_pmuv3 pmu = make();
    if (r.readable) expect(pmu, r, true, false);
    if (r.writable) expect(pmu, r, false, false);
  }
}

TEST_CASE("MDCR_EL2.TPM traps every PMU access / TPMCR only PMCR_EL0") {
  for (const row& r : table()) {
    arm_pmuv3 tpm = make();
    tpm.write(mdcr_el2::encoding, 10 | mdcr_el2::tpm.mask);
    arm_pmuv3 tpmcr = make();
    tpmcr.write(mdcr_el2::encoding, 10 | mdcr_el2::tpmcr.mask);
    const bool is_pmcr = r.encoding == pmcr_el0::encoding;
    for (bool is_read : {true, false}) {
      if (is_read ? !r.readable : !r.writable) continue;
      expect(tpm, r, is_read, true);
      expect(tpmcr, r, is_read, is_pmcr);
    }
  }
}

TEST_CASE("each HDFGRTR_EL2 / HDFGWTR_EL2 bit traps exactly its registers") {
  for (unsigned b = 0; b < 64; ++b) {
    for (const row& r : table()) {
      arm_pmuv3 pmu = make();
      pmu.write(hdfgrtr_el2::encoding, std::uint64_t{1} << b);
      pmu.write(hdfgwtr_el2::encoding, std::uint64_t{1} << b);
      CAPTURE(b);
      if (r.readable)
        expect(pmu, r, true,
               r.read_bit == static_cast<int>(b) && (hdfgrtr_el2::res0 >> b & 1) == 0);
      if (r.writable)
        expect(pmu, r, false,
               r.write_bit == static_cast<int>(b) && (hdfgwtr_el2::res0 >> b & 1) == 0);
    }
  }
}

TEST_CASE("each HDFGRTR2_EL2 / HDFGWTR2_EL2 bit traps its registers when 0") {
  for (unsigned b = 0; b < 25; ++b) {
    for (const row& r : table()) {
      arm_pmuv3 pmu = make();
      pmu.write(hdfgrtr2_el2::encoding, ~hdfgrtr2_el2::res0 & ~(std::uint64_t{1} << b));
      pmu.write(hdfgwtr2_el2::encoding, ~hdfgwtr2_el2::res0 & ~(std::uint64_t{1} << b));
      CAPTURE(b);
      const bool hit = r.fgt2_bit == static_cast<int>(b);
      if (r.readable) expect(pmu, r, true, hit);
      if (r.writable) expect(pmu, r, false, hit || r.fgt2_write_only_bit == static_cast<int>(b));
    }
  }
}

TEST_CASE("without FEAT_FGT the fine-grained registers do not exist and route nothing") {
  arm_pmuv3 pmu{{10, pmuver::v3p5}};
  pmu.write(mdcr_el2::encoding, 10);
  pmu.write(hdfgrtr_el2::encoding, ~std::uint64_t{0});  // UNDEFINED at EL2: no effect
  CHECK(pmu.backend_faults() == 1);
  CHECK(pmu.guest_read(el::el1, pmccntr_el0::encoding).kind == outcome::executed);
}
