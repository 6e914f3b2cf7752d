// SPDX-License-Identifier: MIT
// The model layer's own rules, checked against numbers written here by hand from the manuals
// (never taken from the code under test): the arm64 register table's trap bits (Arm ARM M.a.a
// D24.2.67 HDFGRTR_EL2, D24.2.69 HDFGWTR_EL2, D24.2.68/70 HDFG[RW]TR2_EL2), the interrupt line
// (D13.1.2), which registers a write dirties, and the x86 fixed-counter field helpers (SDM Vol. 3B
// Figure 21-2).
#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

#include "vpmu/arch/x86/events.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/model/amd_pmu.hpp"
#include "vpmu/model/arm64_pmu.hpp"
#include "vpmu/model/arm64_register_table.hpp"
#include "vpmu/model/intel_pmu.hpp"

using vpmu::bit;
using vpmu::arm64::pmu_reg;
using vpmu::model::el;
using vpmu::model::register_info;

namespace {
constexpr std::uint64_t b(unsigned n) {
  return std::uint64_t{1} << n;
}

// Encodings written out from D24.5 (op0, op1, CRn, CRm, op2).
constexpr vpmu::arm64::sysreg_encoding pmcr{3, 3, 9, 12, 0}, pmcntenset{3, 3, 9, 12, 1},
    pmovsclr{3, 3, 9, 12, 3}, pmswinc{3, 3, 9, 12, 4}, pmselr{3, 3, 9, 12, 5},
    pmccntr{3, 3, 9, 13, 0}, pmxevtyper{3, 3, 9, 13, 1}, pmuserenr{3, 3, 9, 14, 0},
    pmintenset{3, 0, 9, 14, 1}, pmevtyper0{3, 3, 14, 12, 0}, pmevcntr0{3, 3, 14, 8, 0},
    pmevcntr1{3, 3, 14, 8, 1}, pmccfiltr{3, 3, 14, 15, 7};
}  // namespace

TEST_CASE("register table: HDFGRTR_EL2 / HDFGWTR_EL2 bit per register (D24.2.67, D24.2.69)") {
  struct row {
    pmu_reg reg;
    std::uint64_t read, write;
  };
  const row rows[] = {
      {pmu_reg::pmevcntr, b(12), b(12)},   {pmu_reg::pmxevcntr, b(12), b(12)},
      {pmu_reg::pmevtyper, b(13), b(13)},  {pmu_reg::pmxevtyper, b(13), b(13)},
      {pmu_reg::pmccfiltr, b(14), b(14)},  {pmu_reg::pmccntr, b(15), b(15)},
      {pmu_reg::pmcntenset, b(16), b(16)}, {pmu_reg::pmcntenclr, b(16), b(16)},
      {pmu_reg::pmintenset, b(17), b(17)}, {pmu_reg::pmintenclr, b(17), b(17)},
      {pmu_reg::pmovsset, b(18), b(18)},   {pmu_reg::pmovsclr, b(18), b(18)},
      {pmu_reg::pmselr, b(19), b(19)},     {pmu_reg::pmswinc, 0, b(20)},
      {pmu_reg::pmcr, 0, b(21)},           {pmu_reg::pmmir, b(22), 0},
      {pmu_reg::pmuserenr, b(57), b(57)},  {pmu_reg::pmceid0, b(58), 0},
      {pmu_reg::pmceid1, b(58), 0},
  };
  for (const row& r : rows) {
    CAPTURE(static_cast<int>(r.reg));
    CHECK(register_info(r.reg).fgt_read == r.read);
    CHECK(register_info(r.reg).fgt_write == r.write);
  }
}

TEST_CASE("register table: the FGT2 bits (negative polarity) and what vpmu does not expose") {
  // HDFGRTR2_EL2: nPMICNTR_EL0 = 2, nPMICFILTR_EL0 = 3, nPMUACR_EL1 = 4; HDFGWTR2_EL2 adds
  // nPMZR_EL0 = 21 (D24.2.68, D24.2.70).
  CHECK(register_info(pmu_reg::pmicntr).fgt2_read_n == b(2));
  CHECK(register_info(pmu_reg::pmicfiltr).fgt2_read_n == b(3));
  CHECK(register_info(pmu_reg::pmuacr).fgt2_read_n == b(4));
  CHECK(register_info(pmu_reg::pmzr).fgt2_write_n == b(21));
  for (pmu_reg r : {pmu_reg::pmicntr, pmu_reg::pmicfiltr, pmu_reg::pmuacr, pmu_reg::pmzr}) {
    CHECK_FALSE(register_info(r).exposed);
  }
  for (pmu_reg r : {pmu_reg::pmcr, pmu_reg::pmevcntr, pmu_reg::pmccfiltr, pmu_reg::pmselr}) {
    CHECK(register_info(r).exposed);
  }
  using info = vpmu::model::arm64_register_info;
  const std::uint64_t r2 =
      vpmu::model::fgt2_unexposed_traps(&info::fgt2_read_n, vpmu::arm64::hdfgrtr2_el2::res0);
  CHECK((r2 & (b(2) | b(3) | b(4))) == 0);  // 0 traps
  const std::uint64_t w2 =
      vpmu::model::fgt2_unexposed_traps(&info::fgt2_write_n, vpmu::arm64::hdfgwtr2_el2::res0);
  CHECK((w2 & (b(2) | b(3) | b(4) | b(21))) == 0);
  CHECK((w2 & b(0)) != 0);  // nPMECR_EL1: not a register vpmu hides, left untrapped
}

TEST_CASE("interrupt line: PMOVS & PMINTEN, first range gated by PMCR.E, second by HPME") {
  using vpmu::model::irq_line;
  const std::uint64_t first = 0x3 | b(31), second = 0x3c;
  CHECK_FALSE(irq_line(0, b(0), b(0), first));  // E clear
  CHECK(irq_line(1, b(0), b(0), first));        // E set
  CHECK_FALSE(irq_line(1, b(0), b(1), first));  // not enabled in PMINTEN
  CHECK(irq_line(1, b(31), b(31), first));      // the cycle counter is in the first range
  CHECK_FALSE(irq_line(1, b(4), b(4), first, false, second));  // second range without HPME
  CHECK(irq_line(0, b(4), b(4), first, true, second));         // HPME, E clear
}

TEST_CASE("arm64 model: a write dirties exactly the registers it changes") {
  vpmu::model::arm64_pmu m{{6, vpmu::arm64::pmuver::v3p5}};
  using vpmu::model::arm64_control;
  using vpmu::model::control_bit;
  (void)m.take_dirty();
  REQUIRE(m.access(el::el1, pmevcntr1, false, 5).kind == vpmu::model::outcome::executed);
  CHECK(m.take_dirty() == vpmu::model::dirty_registers{b(1), 0, 0});
  (void)m.access(el::el1, pmevtyper0, false, 0x11);
  CHECK(m.take_dirty() == vpmu::model::dirty_registers{0, b(0), 0});
  (void)m.access(el::el1, pmccfiltr, false, 0);
  CHECK(m.take_dirty().config == b(31));
  (void)m.access(el::el1, pmccntr, false, 7);
  CHECK(m.take_dirty().counters == b(31));
  (void)m.access(el::el1, pmselr, false, 31);  // PMXEVTYPER with SEL = 31 is PMCCFILTR
  (void)m.take_dirty();
  (void)m.access(el::el1, pmxevtyper, false, 0);
  CHECK(m.take_dirty().config == b(31));
  // PMCR.P (bit 1) and C (bit 2) reset counters: the counters are dirty, and so is PMCR.
  (void)m.access(el::el1, pmcr, false, b(1) | b(2));
  const auto d = m.take_dirty();
  CHECK(d.counters == (0x3f | b(31)));
  CHECK(d.controls == control_bit(arm64_control::pmcr));
  // A read dirties nothing.
  (void)m.access(el::el1, pmcntenset, true);
  CHECK_FALSE(m.take_dirty().any());
  // PMSWINC adds to SW_INCR counters (typer 0 = SW_INCR): the counter is dirty; an overflow
  // makes PMOVS dirty too.
  (void)m.access(el::el1, pmcr, false, 1);        // E
  (void)m.access(el::el1, pmcntenset, false, 1);  // counter 0
  (void)m.access(el::el1, pmevcntr0, false, 0xffff'ffff);
  (void)m.access(el::el1, pmevtyper0, false, 0);
  (void)m.take_dirty();
  (void)m.access(el::el1, pmswinc, false, 1);
  const auto inc = m.take_dirty();
  CHECK((inc.counters & b(0)) != 0);
  CHECK((inc.controls & control_bit(arm64_control::ovs)) != 0);
  CHECK(m.registers().ovs == b(0));
  // Writes that do not execute (EL0 denied: PMUSERENR.EN clear) dirty nothing.
  (void)m.access(el::el0, pmovsclr, false, 1);
  CHECK_FALSE(m.take_dirty().any());
  CHECK(m.registers().ovs == b(0));
}

TEST_CASE("arm64 model: EL0 permission bits and EL1-only registers (D24.5 'Accessing')") {
  vpmu::model::arm64_pmu m{{6, vpmu::arm64::pmuver::v3p5}};
  using vpmu::model::outcome;
  CHECK(m.route(el::el0, pmccntr, true) == outcome::trap_el1);
  CHECK(m.route(el::el0, vpmu::arm64::sysreg_encoding{3, 0, 9, 14, 6}, true) ==
        outcome::undefined);  // PMMIR_EL1 from EL0, even with PMUSERENR_EL0.EN clear
  (void)m.access(el::el1, pmuserenr, false, b(2));  // CR: PMCCNTR reads
  CHECK(m.route(el::el0, pmccntr, true) == outcome::executed);
  CHECK(m.route(el::el0, pmccntr, false) == outcome::trap_el1);
  (void)m.access(el::el1, pmuserenr, false, b(3));  // ER: counter reads and PMSELR
  CHECK(m.route(el::el0, pmevcntr0, true) == outcome::executed);
  CHECK(m.route(el::el0, pmselr, false) == outcome::executed);
  CHECK(m.route(el::el0, pmswinc, false) == outcome::trap_el1);
  (void)m.access(el::el1, pmuserenr, false, b(0));                  // EN: everything EL0 may have
  CHECK(m.route(el::el0, pmintenset, true) == outcome::undefined);  // EL1 only
  CHECK(m.route(el::el1, pmintenset, true) == outcome::executed);
}

TEST_CASE("x86: FIXED_CTR_CTRL fields and the fixed-counter events (SDM Figure 21-2, Table 21-2)") {
  namespace ff = vpmu::x86::fixed_field;
  const std::uint64_t ctrl = 0xb | (0x2ULL << 4) | (0x8ULL << 8);
  CHECK(ff::field(ctrl, 0) == 0xb);
  CHECK(ff::field(ctrl, 1) == 0x2);
  CHECK(ff::enabled(ctrl, 0));
  CHECK(ff::enabled(ctrl, 1));
  CHECK_FALSE(ff::enabled(ctrl, 2));  // PMI alone counts nothing
  CHECK(ff::interrupt(ctrl, 2));
  CHECK(ff::at(3, 0x3) == 0x3000);
  namespace ie = vpmu::x86::intel_event;
  CHECK(ie::fixed_counter_event(0) == 0x00c0);  // INST_RETIRED.ANY
  CHECK(ie::fixed_counter_event(1) == 0x003c);  // CPU_CLK_UNHALTED.CORE
  CHECK(ie::fixed_counter_event(2) == 0x013c);  // CPU_CLK_UNHALTED.REF_TSC
  CHECK(ie::fixed_counter_event(3) == 0x01a4);  // TOPDOWN.SLOTS
}

TEST_CASE("x86 models: overflow() sets status and raises the PMI only for enabled interrupts") {
  vpmu::model::intel_pmu intel;
  CHECK_FALSE(intel.try_wrmsr(0x186, 0x3c | b(22) | b(20)).fault);  // PERFEVTSEL0: EN | INT
  CHECK_FALSE(intel.try_wrmsr(0x38d, 0x3ULL << 4).fault);           // fixed 1: OS|USR, no PMI
  CHECK_FALSE(intel.overflow(b(33)));
  CHECK_FALSE(intel.irq_pending());
  CHECK(intel.overflow(b(0)));
  CHECK(intel.irq_pending());
  CHECK(intel.registers().global_status == (b(0) | b(33)));

  vpmu::model::amd_pmu v1{{false, true, 6, false}};  // no PerfMonV2: no GlobalStatus to set
  CHECK_FALSE(v1.try_wrmsr(0xc0010200, b(22) | b(20)).fault);
  CHECK(v1.overflow(b(0)));
  CHECK(v1.registers().global_status == 0);
  CHECK(v1.irq_pending());
}

TEST_CASE("x86 models: what a write dirties (GLOBAL_CTRL numbering)") {
  vpmu::model::intel_pmu m;
  (void)m.take_dirty();
  (void)m.try_wrmsr(0x4c1 + 2, 5);  // IA32_A_PMC2
  CHECK(m.take_dirty().counters == b(2));
  (void)m.try_wrmsr(0x309 + 1, 5);  // IA32_FIXED_CTR1
  CHECK(m.take_dirty().counters == b(33));
  (void)m.try_wrmsr(0x38d, 0x3ULL << 8);  // only fixed counter 2's field changes
  CHECK(m.take_dirty().config == b(34));
  (void)m.try_wrmsr(0x186 + 7, 0x3c);  // PERFEVTSEL7
  CHECK(m.take_dirty().config == b(7));
  (void)m.try_wrmsr(0x186, b(21));  // AnyThread: #GP, nothing changes
  CHECK_FALSE(m.take_dirty().any());
}

TEST_CASE("bit_count counts without a libgcc helper") {
  CHECK(vpmu::bit_count(0) == 0);
  CHECK(vpmu::bit_count(~std::uint64_t{0}) == 64);
  CHECK(vpmu::bit_count(0x8000'0000'0000'0001ULL) == 2);
  CHECK(vpmu::bit_count(0x00ff'00ff'00ff'00ffULL) == 32);
  static_assert(vpmu::bit_count(0xf0f0) == 8);
}
