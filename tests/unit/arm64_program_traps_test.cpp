// SPDX-License-Identifier: MIT
// program_traps(): the EL2 writes a trap configuration comes to -- MDCR_EL2 with the host's bits,
// the fine-grained trap registers only where the CPU has them, the neutral EL0 state only when
// asked -- checked register by register against the Arm ARM encodings.
#include "vpmu/policy/arm64_program_traps.hpp"

#include <cstdint>
#include <doctest/doctest.h>
#include <vector>

#include "vpmu/access/recording.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"

namespace {

using vpmu::access_op;
using vpmu::access_record;
using vpmu::arm64::sysreg_encoding;

// Encodings as the Arm ARM gives them (op0, op1, CRn, CRm, op2).
constexpr std::uint32_t mdcr_el2 = sysreg_encoding{3, 4, 1, 1, 1}.key();
constexpr std::uint32_t hdfgrtr_el2 = sysreg_encoding{3, 4, 3, 1, 4}.key();
constexpr std::uint32_t hdfgwtr_el2 = sysreg_encoding{3, 4, 3, 1, 5}.key();
constexpr std::uint32_t hdfgrtr2_el2 = sysreg_encoding{3, 4, 3, 1, 0}.key();
constexpr std::uint32_t hdfgwtr2_el2 = sysreg_encoding{3, 4, 3, 1, 1}.key();
constexpr std::uint32_t pmuserenr_el0 = sysreg_encoding{3, 3, 9, 14, 0}.key();
constexpr std::uint32_t pmselr_el0 = sysreg_encoding{3, 3, 9, 12, 5}.key();
constexpr std::uint64_t hpme = std::uint64_t{1} << 7;

template <class Log>
std::vector<access_record> writes(const Log& log) {
  return {log.begin(), log.end()};
}

vpmu::arm64::pmu_caps caps_with_fgt(std::uint8_t fgt) {
  vpmu::arm64::pmu_caps c;
  c.version = vpmu::arm64::pmuver::v3p5;
  c.counters = 6;
  c.fgt = fgt;
  return c;
}

}  // namespace

TEST_CASE("program_traps: without FEAT_FGT only MDCR_EL2, with the host's HPME") {
  vpmu::sim::arm_pmuv3 cpu{{6, vpmu::arm64::pmuver::v3p5, false, 0}};
  vpmu::recording<vpmu::sim::arm_pmuv3> log{cpu};
  vpmu::arm64_trap_config t;
  t.mdcr_el2 = 4;  // HPMN = 4
  vpmu::program_traps(log, t, caps_with_fgt(0), nullptr);
  CHECK(writes(log) == std::vector<access_record>{{access_op::write, mdcr_el2, 4 | hpme}});
  log.clear();
  vpmu::program_traps(log, t, caps_with_fgt(0), nullptr, 0);  // a host without counters of its own
  CHECK(writes(log) == std::vector<access_record>{{access_op::write, mdcr_el2, 4}});
}

TEST_CASE("program_traps: FEAT_FGT adds HDFGRTR/HDFGWTR, FEAT_FGT2 their 2 forms") {
  vpmu::sim::arm_pmuv3 cpu{{6, vpmu::arm64::pmuver::v3p5, false, 2}};
  vpmu::recording<vpmu::sim::arm_pmuv3> log{cpu};
  vpmu::arm64_trap_config t;
  t.mdcr_el2 = 2;
  t.hdfgrtr_el2 = 0x11;
  t.hdfgwtr_el2 = 0x22;
  t.hdfgrtr2_el2 = 0x33;
  t.hdfgwtr2_el2 = 0x44;
  vpmu::program_traps(log, t, caps_with_fgt(1), nullptr);
  CHECK(writes(log) == std::vector<access_record>{{access_op::write, mdcr_el2, 2 | hpme},
                                                  {access_op::write, hdfgrtr_el2, 0x11},
                                                  {access_op::write, hdfgwtr_el2, 0x22}});
  log.clear();
  vpmu::program_traps(log, t, caps_with_fgt(2), nullptr);
  CHECK(writes(log) == std::vector<access_record>{{access_op::write, mdcr_el2, 2 | hpme},
                                                  {access_op::write, hdfgrtr_el2, 0x11},
                                                  {access_op::write, hdfgwtr_el2, 0x22},
                                                  {access_op::write, hdfgrtr2_el2, 0x33},
                                                  {access_op::write, hdfgwtr2_el2, 0x44}});
}

TEST_CASE("program_traps: a trap-everything vCPU gets PMUSERENR = EN|SW|CR|ER and PMSELR = 0") {
  vpmu::sim::arm_pmuv3 cpu{{6, vpmu::arm64::pmuver::v3p5, false, 0}};
  cpu.write(vpmu::arm64::pmselr_el0::encoding, 3);  // another context's leftovers
  vpmu::recording<vpmu::sim::arm_pmuv3> log{cpu};
  vpmu::arm64_trap_config t;
  t.mdcr_el2 = 6 | (std::uint64_t{1} << 6) | (std::uint64_t{1} << 5);  // HPMN = 6, TPM, TPMCR
  t.neutral_el0_state = true;
  vpmu::program_traps(log, t, caps_with_fgt(0), nullptr);
  CHECK(writes(log) == std::vector<access_record>{{access_op::write, mdcr_el2, t.mdcr_el2 | hpme},
                                                  {access_op::write, pmuserenr_el0, 0xf},
                                                  {access_op::write, pmselr_el0, 0}});
  CHECK(cpu.read(vpmu::arm64::pmselr_el0::encoding) == 0);
}
