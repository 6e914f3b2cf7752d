// SPDX-License-Identifier: MIT
// The Arm PMUv3 model against the architecture's rules (Arm ARM D24 and the PMU/MDCR_EL2
// register descriptions), one test case per rule. Expected values come from the rule, computed
// here by hand, not from the model.
#include "vpmu/sim/arm_pmuv3.hpp"

#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

using namespace vpmu::arm64;
using vpmu::sim::arm_pmuv3;
using vpmu::sim::el;
using vpmu::sim::outcome;
namespace ev = vpmu::sim::arm_event;

namespace {

constexpr std::uint64_t bit(unsigned n) {
  return std::uint64_t{1} << n;
}
constexpr std::uint64_t c_bit = bit(31);

// A PMU with N = 10, PMUv3p5, HPMN = `hpmn`, PMCR.E and HPME set, all counters enabled.
arm_pmuv3 make(unsigned hpmn = 10, vpmu::sim::arm_pmu_config cfg = {10}) {
  arm_pmuv3 pmu{cfg};
  pmu.write(mdcr_el2::encoding, hpmn | mdcr_el2::hpme.mask);
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::lc.mask);
  pmu.write(pmcntenset_el0::encoding, ~std::uint64_t{0});
  return pmu;
}
void program(arm_pmuv3& pmu, unsigned n, std::uint64_t type) {
  pmu.write(pmevtyper_encoding(n).value(), type);
}
std::uint64_t counter(arm_pmuv3& pmu, unsigned n) {
  return pmu.read(pmevcntr_encoding(n).value());
}
void set_counter(arm_pmuv3& pmu, unsigned n, std::uint64_t v) {
  pmu.write(pmevcntr_encoding(n).value(), v);
}

}  // namespace

TEST_CASE("PMCR.E enables the counters 0..HPMN-1 and the cycle counter / and nothing else") {
  arm_pmuv3 pmu = make(4);
  for (unsigned n = 0; n < 10; ++n)
    program(pmu, n, ev::inst_retired);
  pmu.write(pmcr_el0::encoding, 0);  // E = 0
  pmu.instructions(5);
  pmu.cycles(7);
  for (unsigned n = 0; n < 4; ++n)
    CHECK(counter(pmu, n) == 0);
  for (unsigned n = 4; n < 10; ++n)
    CHECK(counter(pmu, n) == 5);  // HPME still set
  CHECK(pmu.read(pmccntr_el0::encoding) == 0);
}

TEST_CASE("MDCR_EL2.HPME enables the counters HPMN..N-1 and nothing else") {
  arm_pmuv3 pmu = make(4);
  for (unsigned n = 0; n < 10; ++n)
    program(pmu, n, ev::inst_retired);
  pmu.write(mdcr_el2::encoding, 4);  // HPME = 0
  pmu.instructions(3);
  for (unsigned n = 0; n < 4; ++n)
    CHECK(counter(pmu, n) == 3);
  for (unsigned n = 4; n < 10; ++n)
    CHECK(counter(pmu, n) == 0);
}

TEST_CASE("PMCNTENSET/CLR: write-1-to-set and write-1-to-clear / reads show the state") {
  arm_pmuv3 pmu{{6}};
  pmu.write(pmcntenset_el0::encoding, 0b101 | c_bit);
  CHECK(pmu.read(pmcntenset_el0::encoding) == (0b101 | c_bit));
  CHECK(pmu.read(pmcntenclr_el0::encoding) == (0b101 | c_bit));
  pmu.write(pmcntenclr_el0::encoding, 0b001);
  CHECK(pmu.read(pmcntenset_el0::encoding) == (0b100 | c_bit));
  pmu.write(pmcntenset_el0::encoding, 0);  // writing 0 changes nothing
  CHECK(pmu.read(pmcntenset_el0::encoding) == (0b100 | c_bit));
  // Bits for counters that do not exist (>= N) are RAZ/WI even at EL2.
  pmu.write(pmcntenset_el0::encoding, bit(6) | bit(30));
  CHECK(pmu.read(pmcntenset_el0::encoding) == (0b100 | c_bit));
  // The same pairs exist for PMINTEN and PMOVS.
  pmu.write(pmintenset_el1::encoding, 0b11);
  pmu.write(pmintenclr_el1::encoding, 0b01);
  CHECK(pmu.read(pmintenset_el1::encoding) == 0b10);
  pmu.write(pmovsset_el0::encoding, 0b110);
  pmu.write(pmovsclr_el0::encoding, 0b010);
  CHECK(pmu.read(pmovsclr_el0::encoding) == 0b100);
}

TEST_CASE("PMCR.P resets event counters / PMCR.C the cycle counter / both read as zero") {
  arm_pmuv3 pmu = make();
  set_counter(pmu, 0, 100);
  set_counter(pmu, 9, 200);
  pmu.write(pmccntr_el0::encoding, 300);
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::p.mask);
  CHECK(counter(pmu, 0) == 0);
  CHECK(counter(pmu, 9) == 0);
  CHECK(pmu.read(pmccntr_el0::encoding) == 300);
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::c.mask);
  CHECK(pmu.read(pmccntr_el0::encoding) == 0);
  CHECK((pmu.read(pmcr_el0::encoding) & (pmcr_el0::p.mask | pmcr_el0::c.mask)) == 0);
}

TEST_CASE("PMCR.P from EL1 resets only 0..HPMN-1") {
  arm_pmuv3 pmu = make(4);
  for (unsigned n = 0; n < 10; ++n)
    set_counter(pmu, n, 50 + n);
  const auto o = pmu.guest_write(el::el1, pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::p.mask);
  REQUIRE(o.kind == outcome::executed);
  for (unsigned n = 0; n < 4; ++n)
    CHECK(counter(pmu, n) == 0);
  for (unsigned n = 4; n < 10; ++n)
    CHECK(counter(pmu, n) == 50 + n);
}

TEST_CASE("PMCR.N reads N at EL2 and HPMN at EL0/EL1") {
  arm_pmuv3 pmu = make(3);
  CHECK(pmcr_el0::n.extract(pmu.read(pmcr_el0::encoding)) == 10);
  CHECK(pmcr_el0::n.extract(pmu.guest_read(el::el1, pmcr_el0::encoding).value) == 3);
  pmu.write(pmuserenr_el0::encoding, pmuserenr_el0::en.mask);
  CHECK(pmcr_el0::n.extract(pmu.guest_read(el::el0, pmcr_el0::encoding).value) == 3);
}

TEST_CASE("PMCR.D: the cycle counter ticks once every 64 cycles") {
  arm_pmuv3 pmu = make();
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::lc.mask | pmcr_el0::d.mask);
  pmu.cycles(64 * 3 + 10);
  CHECK(pmu.read(pmccntr_el0::encoding) == 3);
  pmu.cycles(54);
  CHECK(pmu.read(pmccntr_el0::encoding) == 4);
}

TEST_CASE("PMCR.LC: cycle counter overflows at 64 bits with LC / at 32 without") {
  arm_pmuv3 pmu = make();
  pmu.write(pmccntr_el0::encoding, 0xffff'ffff);
  pmu.cycles(1);
  CHECK(pmu.read(pmccntr_el0::encoding) == 0x1'0000'0000);  // counts on, 64-bit
  CHECK((pmu.read(pmovsset_el0::encoding) & c_bit) == 0);   // LC = 1: no 32-bit overflow
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask);          // LC = 0
  pmu.write(pmccntr_el0::encoding, 0xffff'ffff);
  pmu.cycles(1);
  CHECK((pmu.read(pmovsset_el0::encoding) & c_bit) != 0);
}

TEST_CASE("PMCR.LP / MDCR_EL2.HLP select 64-bit overflow per range (PMUv3p5)") {
  arm_pmuv3 pmu = make(4);
  program(pmu, 0, ev::inst_retired);  // guest range: PMCR.LP
  program(pmu, 5, ev::inst_retired);  // host range: MDCR_EL2.HLP
  set_counter(pmu, 0, 0xffff'ffff);
  set_counter(pmu, 5, 0xffff'ffff);
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::lp.mask);
  pmu.instructions(1);
  CHECK(counter(pmu, 0) == 0x1'0000'0000);
  CHECK(counter(pmu, 5) == 0x1'0000'0000);  // 64-bit counters keep counting either way
  const std::uint64_t ovs = pmu.read(pmovsset_el0::encoding);
  CHECK((ovs & bit(0)) == 0);  // LP: no overflow at 32 bits
  CHECK((ovs & bit(5)) != 0);  // HLP clear: overflow at 32 bits
  pmu.write(mdcr_el2::encoding, 4 | mdcr_el2::hpme.mask | mdcr_el2::hlp.mask);
  pmu.write(pmovsclr_el0::encoding, ~std::uint64_t{0});
  set_counter(pmu, 5, ~std::uint64_t{0});
  pmu.instructions(1);
  CHECK(counter(pmu, 5) == 0);
  CHECK((pmu.read(pmovsset_el0::encoding) & bit(5)) != 0);  // 64-bit overflow
}

TEST_CASE("Without PMUv3p5 / event counters are 32 bits and LP is RES0") {
  arm_pmuv3 pmu = make(6, {6, pmuver::v3p1});
  program(pmu, 0, ev::inst_retired);
  set_counter(pmu, 0, 0x1'ffff'ffff);
  CHECK(counter(pmu, 0) == 0xffff'ffff);
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::lp.mask);
  CHECK((pmu.read(pmcr_el0::encoding) & pmcr_el0::lp.mask) == 0);
  pmu.instructions(2);
  CHECK(counter(pmu, 0) == 1);
  CHECK((pmu.read(pmovsset_el0::encoding) & 1) != 0);
}

TEST_CASE("PMCR.FZO freezes the guest range once one of its counters overflowed (v3p7)") {
  arm_pmuv3 pmu = make(4, {10, pmuver::v3p7});
  program(pmu, 0, ev::inst_retired);
  program(pmu, 1, ev::inst_retired);
  set_counter(pmu, 0, 0xffff'fffe);
  pmu.write(pmcr_el0::encoding, pmcr_el0::e.mask | pmcr_el0::fzo.mask);
  pmu.instructions(2);  // counter 0 overflows
  const std::uint64_t frozen = counter(pmu, 1);
  pmu.instructions(5);
  CHECK(counter(pmu, 1) == frozen);
  pmu.write(pmovsclr_el0::encoding, 1);
  pmu.instructions(5);
  CHECK(counter(pmu, 1) == frozen + 5);
}

TEST_CASE("PMSWINC increments enabled SW_INCR counters only") {
  arm_pmuv3 pmu = make();
  program(pmu, 0, ev::sw_incr);
  program(pmu, 1, ev::inst_retired);
  program(pmu, 2, ev::sw_incr);
  pmu.write(pmcntenclr_el0::encoding, bit(2));
  pmu.write(pmswinc_el0::encoding, 0b111);
  CHECK(counter(pmu, 0) == 1);
  CHECK(counter(pmu, 1) == 0);
  CHECK(counter(pmu, 2) == 0);
  pmu.instructions(10);  // SW_INCR never counts hardware events
  CHECK(counter(pmu, 0) == 1);
}

TEST_CASE("PMSELR + PMXEVTYPER/PMXEVCNTR reach the selected counter / SEL = 31 is PMCCFILTR") {
  arm_pmuv3 pmu = make();
  pmu.write(pmselr_el0::encoding, 3);
  pmu.write(pmxevtyper_el0::encoding, ev::inst_retired | pmevtypern_el0::p.mask);
  pmu.write(pmxevcntr_el0::encoding, 1234);
  CHECK(pmu.read(pmevtyper_encoding(3).value()) == (ev::inst_retired | pmevtypern_el0::p.mask));
  CHECK(counter(pmu, 3) == 1234);
  pmu.write(pmselr_el0::encoding, 31);
  pmu.write(pmxevtyper_el0::encoding, pmccfiltr_el0::u.mask);
  CHECK(pmu.read(pmccfiltr_el0::encoding) == pmccfiltr_el0::u.mask);
  CHECK(pmu.guest_read(el::el1, pmxevcntr_el0::encoding).kind == outcome::undefined);
}

TEST_CASE("CHAIN on an odd counter counts overflows of its even neighbour") {
  arm_pmuv3 pmu = make();
  program(pmu, 2, ev::inst_retired);
  program(pmu, 3, ev::chain);
  set_counter(pmu, 2, 0xffff'fffe);
  pmu.instructions(3);  // one 32-bit overflow of counter 2
  CHECK(counter(pmu, 3) == 1);
  set_counter(pmu, 2, 0xffff'ffff);
  pmu.instructions(1);
  CHECK(counter(pmu, 3) == 2);
  // An even counter's CHAIN event counts nothing.
  program(pmu, 4, ev::chain);
  pmu.instructions(100);
  CHECK(counter(pmu, 4) == 0);
}

TEST_CASE("EL filtering: P excludes EL1 / U excludes EL0 / NSH includes EL2") {
  arm_pmuv3 pmu = make();
  using t = pmevtypern_el0;
  program(pmu, 0, ev::inst_retired);                                        // EL0 + EL1
  program(pmu, 1, ev::inst_retired | t::p.mask);                            // EL0 only
  program(pmu, 2, ev::inst_retired | t::u.mask);                            // EL1 only
  program(pmu, 3, ev::inst_retired | t::nsh.mask);                          // EL0 + EL1 + EL2
  program(pmu, 4, ev::inst_retired | t::p.mask | t::u.mask | t::nsh.mask);  // EL2 only
  const std::uint64_t at_el[3] = {1, 10, 100};
  for (el e : {el::el0, el::el1, el::el2}) {
    pmu.set_el(e);
    pmu.instructions(at_el[static_cast<int>(e)]);
  }
  CHECK(counter(pmu, 0) == 11);
  CHECK(counter(pmu, 1) == 1);
  CHECK(counter(pmu, 2) == 10);
  CHECK(counter(pmu, 3) == 111);
  CHECK(counter(pmu, 4) == 100);
}

TEST_CASE("HPMD stops the guest range counting at EL2 / HCCD stops the cycle counter there") {
  arm_pmuv3 pmu = make(4);
  program(pmu, 0, ev::inst_retired | pmevtypern_el0::nsh.mask);
  program(pmu, 6, ev::inst_retired | pmevtypern_el0::nsh.mask);
  pmu.write(pmccfiltr_el0::encoding, pmccfiltr_el0::nsh.mask);
  pmu.write(mdcr_el2::encoding,
            4 | mdcr_el2::hpme.mask | mdcr_el2::hpmd.mask | mdcr_el2::hccd.mask);
  pmu.set_el(el::el2);
  pmu.instructions(9);
  pmu.cycles(9);
  CHECK(counter(pmu, 0) == 0);  // guest range, prohibited at EL2
  CHECK(counter(pmu, 6) == 9);  // host range counts at EL2
  CHECK(pmu.read(pmccntr_el0::encoding) == 0);
  pmu.set_el(el::el1);
  pmu.instructions(2);
  pmu.cycles(2);
  CHECK(counter(pmu, 0) == 2);
  CHECK(pmu.read(pmccntr_el0::encoding) == 2);
}

TEST_CASE("EL0/EL1 accesses to counters >= HPMN are UNDEFINED / their bitmap bits RAZ/WI") {
  arm_pmuv3 pmu = make(4);
  pmu.write(pmuserenr_el0::encoding, pmuserenr_el0::en.mask);
  for (el from : {el::el0, el::el1}) {
    for (unsigned n = 0; n < 10; ++n) {
      const outcome want = n < 4 ? outcome::executed : outcome::undefined;
      CHECK(pmu.guest_read(from, pmevcntr_encoding(n).value()).kind == want);
      CHECK(pmu.guest_write(from, pmevtyper_encoding(n).value(), 0).kind == want);
    }
    pmu.write(pmselr_el0::encoding, 5);
    CHECK(pmu.guest_read(from, pmxevcntr_el0::encoding).kind == outcome::undefined);
  }
  // Guest view of the enable bits: only [0, HPMN) and C.
  CHECK(pmu.guest_read(el::el1, pmcntenset_el0::encoding).value == (0xf | c_bit));
  pmu.write(pmcntenclr_el0::encoding, ~std::uint64_t{0});
  pmu.guest_write(el::el1, pmcntenset_el0::encoding, 0x3ff | c_bit);
  CHECK(pmu.read(pmcntenset_el0::encoding) == (0xf | c_bit));  // WI above HPMN
  pmu.write(pmovsset_el0::encoding, 0x3ff);
  CHECK(pmu.guest_read(el::el1, pmovsclr_el0::encoding).value == 0xf);
  pmu.guest_write(el::el1, pmovsclr_el0::encoding, 0x3ff);
  CHECK(pmu.read(pmovsset_el0::encoding) == 0x3f0);
  // PMSWINC bits >= HPMN are ignored from EL1.
  program(pmu, 6, ev::sw_incr);
  pmu.write(pmcntenset_el0::encoding, bit(6));
  pmu.guest_write(el::el1, pmswinc_el0::encoding, bit(6));
  CHECK(counter(pmu, 6) == 0);
  pmu.write(pmswinc_el0::encoding, bit(6));
  CHECK(counter(pmu, 6) == 1);
}

TEST_CASE("The overflow IRQ is PMOVS & PMINTEN / gated by PMCR.E / HPME per range") {
  arm_pmuv3 pmu = make(4);
  CHECK_FALSE(pmu.irq_pending());
  pmu.write(pmovsset_el0::encoding, bit(1));
  CHECK_FALSE(pmu.irq_pending());  // not interrupt-enabled
  pmu.write(pmintenset_el1::encoding, bit(1) | bit(7));
  CHECK(pmu.irq_pending());
  pmu.write(pmcr_el0::encoding, 0);  // E = 0 gates the guest range
  CHECK_FALSE(pmu.irq_pending());
  pmu.write(pmovsset_el0::encoding, bit(7));
  CHECK(pmu.irq_pending());  // host range, HPME = 1
  pmu.write(mdcr_el2::encoding, 4);
  CHECK_FALSE(pmu.irq_pending());
  // An overflow by counting raises it.
  arm_pmuv3 p2 = make();
  program(p2, 0, ev::inst_retired);
  set_counter(p2, 0, 0xffff'ffff);
  p2.write(pmintenset_el1::encoding, 1);
  p2.instructions(1);
  CHECK(p2.irq_pending());
}

TEST_CASE("PMEVTYPER keeps only the bits the PMU supports (evtCount is 10 bits on PMUv3p0)") {
  arm_pmuv3 v3p0 = make(6, {6, pmuver::imp});
  program(v3p0, 0, 0xffff'ffff'ffff'ffff);
  const std::uint64_t want = pmevtypern_el0::p.mask | pmevtypern_el0::u.mask |
                             pmevtypern_el0::nsk.mask | pmevtypern_el0::nsu.mask |
                             pmevtypern_el0::nsh.mask | pmevtypern_el0::m.mask | 0x3ff;
  CHECK(v3p0.read(pmevtyper_encoding(0).value()) == want);
  arm_pmuv3 v3p5 = make(6, {6, pmuver::v3p5});
  program(v3p5, 0, 0xffff);
  CHECK(v3p5.read(pmevtyper_encoding(0).value()) == 0xffff);
}

TEST_CASE("EL0 access is governed by PMUSERENR_EL0 (refusals trap to EL1)") {
  arm_pmuv3 pmu = make();
  CHECK(pmu.guest_read(el::el0, pmcr_el0::encoding).kind == outcome::trap_el1);
  pmu.write(pmuserenr_el0::encoding, pmuserenr_el0::cr.mask);
  CHECK(pmu.guest_read(el::el0, pmccntr_el0::encoding).kind == outcome::executed);
  CHECK(pmu.guest_write(el::el0, pmccntr_el0::encoding, 0).kind == outcome::trap_el1);
  pmu.write(pmuserenr_el0::encoding, pmuserenr_el0::er.mask);
  CHECK(pmu.guest_read(el::el0, pmevcntr_encoding(0).value()).kind == outcome::executed);
  CHECK(pmu.guest_write(el::el0, pmselr_el0::encoding, 0).kind == outcome::executed);
  pmu.write(pmuserenr_el0::encoding, pmuserenr_el0::sw.mask);
  CHECK(pmu.guest_write(el::el0, pmswinc_el0::encoding, 1).kind == outcome::executed);
  // EL0 never reaches PMINTEN.
  pmu.write(pmuserenr_el0::encoding, pmuserenr_el0::en.mask);
  CHECK(pmu.guest_read(el::el0, pmintenset_el1::encoding).kind == outcome::undefined);
}

TEST_CASE("EL2 registers are UNDEFINED from EL1 / and FGT registers need FEAT_FGT") {
  arm_pmuv3 no_fgt{{6}};
  CHECK(no_fgt.guest_read(el::el1, mdcr_el2::encoding).kind == outcome::undefined);
  CHECK(no_fgt.route(el::el2, hdfgrtr_el2::encoding, true) == outcome::undefined);
  CHECK(no_fgt.route(el::el2, mdcr_el2::encoding, true) == outcome::executed);
  arm_pmuv3 fgt{{6, pmuver::v3p5, false, 1}};
  CHECK(fgt.route(el::el2, hdfgwtr_el2::encoding, false) == outcome::executed);
  CHECK(fgt.route(el::el2, hdfgrtr2_el2::encoding, true) == outcome::undefined);
}
