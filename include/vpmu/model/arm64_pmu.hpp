// SPDX-License-Identifier: MIT
// The architectural model of one Arm PMUv3 with its EL2 controls (Arm ARM M.a.a D13 and the
// register descriptions of D24.5): the register file, the access rules (which access executes,
// traps to EL2 or EL1, or is UNDEFINED, and what it does), counting and overflow including CHAIN,
// and the interrupt line. Every policy keeps its guest's PMU in one of these; the simulator
// (sim/arm_pmuv3.hpp) wraps one to stand in for the CPU.
//
// Modelled as the architecture says, including what QEMU 7.2 does not: counters [HPMN, N) are
// UNDEFINED from EL0/EL1 and their bits in PMCNTEN/PMINTEN/PMOVS/PMSWINC are RAZ/WI there;
// PMCR_EL0.N reads as HPMN there; PMCR_EL0.P from EL1 resets only [0, HPMN); counters [0, HPMN)
// are enabled by PMCR_EL0.E and [HPMN, N) by MDCR_EL2.HPME (D13.1.2); HPMD/HCCD stop guest-range
// counting at EL2; the interrupt is gated by E / HPME per range.
//
// Simplifications, stated: no EL3 and no Secure/Realm state (NSK/NSU/M/SH/RL* have no effect),
// FGT traps are always enabled when FEAT_FGT is present (SCR_EL3.FGTEn = 1), HPMN > N behaves as
// HPMN = N (CONSTRAINED UNPREDICTABLE), PMXEVCNTR with SEL = 31 and SEL beyond the accessible
// counters are UNDEFINED.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/arch/arm64/events.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/model/arm64_access.hpp"
#include "vpmu/model/arm64_register_table.hpp"
#include "vpmu/model/dirty_registers.hpp"
#include "vpmu/model/register_file.hpp"

namespace vpmu::model {

// Everything software at EL0/EL1 can observe of its PMU (PMCR holds only its stored bits E, D, X,
// DP, LC, LP, FZO; N and IMP are the implementation's). This is the saved state's register file.
struct arm64_registers {
  std::uint64_t pmcr = arm64::pmcr_el0::lc.mask;  // LC resets to 1 on AArch64-only PEs
  std::uint64_t cnten = 0, inten = 0, ovs = 0;
  std::uint64_t pmselr = 0, pmuserenr = 0, pmuacr = 0;
  std::uint64_t ccntr = 0, ccfiltr = 0, icntr = 0, icfiltr = 0;
  std::uint64_t evtyper[arm64::max_event_counters] = {};
  std::uint64_t evcntr[arm64::max_event_counters] = {};
  friend constexpr bool operator==(const arm64_registers&, const arm64_registers&) = default;
};

// The EL2 controls of the PMU (MDCR_EL2 and the fine-grained trap registers): the hypervisor's,
// never part of a guest's state.
struct arm64_el2_registers {
  std::uint64_t mdcr = 0, hdfgrtr = 0, hdfgwtr = 0, hdfgrtr2 = 0, hdfgwtr2 = 0;
  friend constexpr bool operator==(const arm64_el2_registers&,
                                   const arm64_el2_registers&) = default;
};

struct arm64_pmu_config {
  unsigned counters = 6;  // PMCR_EL0.N
  arm64::pmuver version = arm64::pmuver::v3p5;
  bool hpmn0 = false;
  unsigned fgt = 0;  // 0: none, 1: FEAT_FGT, 2: FEAT_FGT2
  bool pmicntr = false;
  // What the guest reads as its PMU's identification and events: the host's in a policy
  // (arm64_guest_model_config); these defaults are the model's own when it runs alone.
  std::uint8_t implementer = arm64::implementer_arm;  // PMCR_EL0.IMP
  std::uint8_t idcode = 0;                            // PMCR_EL0.IDCODE
  std::uint64_t pmceid0 = arm64::model_events;  // PMCEID0_EL0: common events 0x00-0x1F, 0x4000-
  std::uint64_t pmceid1 = 0;                    // PMCEID1_EL0: common events 0x20-0x3F, 0x4020-
  friend constexpr bool operator==(const arm64_pmu_config&, const arm64_pmu_config&) = default;
};

// The whole registers a write can change, as dirty_registers::controls bits.
enum class arm64_control : std::uint8_t { pmcr, cnten, inten, ovs, pmselr, pmuserenr, pmuacr };

[[nodiscard]] constexpr std::uint32_t control_bit(arm64_control c) {
  return static_cast<std::uint32_t>(bit(static_cast<unsigned>(c)));
}

// The interrupt request (GIC PPI 23 on QEMU virt): PMOVS & PMINTEN, the first range gated by
// PMCR_EL0.E, the second by MDCR_EL2.HPME (D13.1.2). One function of the registers, used by the
// model and by policies that read the live values from hardware.
[[nodiscard]] constexpr bool irq_line(std::uint64_t pmcr, std::uint64_t ovs, std::uint64_t inten,
                                      std::uint64_t first_range, bool hpme = false,
                                      std::uint64_t second_range = 0) {
  const std::uint64_t pending = ovs & inten;
  const bool e = (pmcr & arm64::pmcr_el0::e.mask) != 0;
  return (e && (pending & first_range) != 0) || (hpme && (pending & second_range) != 0);
}

class arm64_pmu : public register_file<arm64_registers> {
  using pmcr = arm64::pmcr_el0;
  using mdcr = arm64::mdcr_el2;

 public:
  constexpr explicit arm64_pmu(arm64_pmu_config config = {}) : config_(config) {
    if (config_.counters > arm64::max_event_counters) config_.counters = arm64::max_event_counters;
    caps_ = {config_.version,
             static_cast<std::uint8_t>(config_.counters),
             config_.hpmn0,
             config_.pmicntr,
             false,
             static_cast<std::uint8_t>(config_.fgt),
             config_.implementer,
             config_.idcode,
             config_.pmceid0,
             config_.pmceid1};
    el2_.mdcr = config_.counters;  // MDCR_EL2.HPMN resets to N: every counter is EL1's
  }

  [[nodiscard]] constexpr const arm64_pmu_config& config() const { return config_; }
  // What PMCEID0/1_EL0 advertise from now on (a policy's choice, e.g. after a filter change).
  constexpr void advertise_events(std::uint64_t pmceid0, std::uint64_t pmceid1) {
    config_.pmceid0 = pmceid0;
    config_.pmceid1 = pmceid1;
  }
  [[nodiscard]] constexpr const arm64::pmu_caps& caps() const { return caps_; }
  [[nodiscard]] constexpr const arm64_el2_registers& el2() const { return el2_; }
  constexpr arm64_el2_registers& el2() { return el2_; }

  // --- partitioning (MDCR_EL2.HPMN) -----------------------------------------------------------
  [[nodiscard]] constexpr unsigned hpmn() const {
    const auto h = static_cast<unsigned>(el2_.mdcr & mdcr::hpmn.mask);
    return h > config_.counters ? config_.counters : h;
  }
  [[nodiscard]] constexpr std::uint64_t guest_range() const {
    return arm64::guest_counter_mask(hpmn(), config_.pmicntr);
  }
  [[nodiscard]] constexpr std::uint64_t host_range() const {
    return arm64::host_counter_mask(config_.counters, hpmn());
  }

  // --- enables and counting -------------------------------------------------------------------
  // Counter n is enabled: PMCNTEN and, per range, PMCR_EL0.E or MDCR_EL2.HPME.
  [[nodiscard]] constexpr bool event_counter_enabled(unsigned n) const {
    return (r_.cnten & bit(n)) != 0 && (n < hpmn() ? enabled_by_e() : hpme());
  }
  [[nodiscard]] constexpr bool cycle_counter_enabled() const {
    return (r_.cnten & arm64::cycle_counter_bit) != 0 && enabled_by_e();
  }
  [[nodiscard]] constexpr bool any_counter_enabled() const {
    return enabled_by_e() && (r_.cnten & guest_range()) != 0;
  }
  [[nodiscard]] constexpr std::uint16_t event_number(unsigned n) const {
    return static_cast<std::uint16_t>(r_.evtyper[n] & arm64::evtcount_mask(caps_));
  }
  // Event counter n counts at `at` now (enables, exception-level filter, freezes, HPMD).
  [[nodiscard]] constexpr bool event_counter_counts(unsigned n, el at) const {
    const bool guest = n < hpmn();
    if (!event_counter_enabled(n)) return false;
    if (guest && at == el::el2 && mdcr_has(mdcr::hpmd.mask)) return false;
    return !range_frozen(guest) && filter_allows(r_.evtyper[n], at);
  }
  [[nodiscard]] constexpr bool cycle_counter_counts(el at) const {
    if (!cycle_counter_enabled()) return false;
    if (at == el::el2) {
      if (mdcr_has(mdcr::hccd.mask)) return false;
      if ((r_.pmcr & pmcr::dp.mask) != 0 && mdcr_has(mdcr::hpmd.mask)) return false;
    }
    return filter_allows(r_.ccfiltr, at);
  }
  [[nodiscard]] constexpr bool instruction_counter_counts(el at) const {
    return (r_.cnten & arm64::instruction_counter_bit) != 0 && enabled_by_e() &&
           filter_allows(r_.icfiltr, at);
  }

  // Adds `delta` to event counter n as counting does (width, overflow into PMOVS, CHAIN).
  constexpr void add_to_counter(unsigned n, std::uint64_t delta) {
    if (delta == 0) return;
    const std::uint64_t before = r_.evcntr[n];
    bool overflow = false;
    if (long_event_counter(n)) {
      r_.evcntr[n] = before + delta;
      overflow = r_.evcntr[n] < before;
    } else {
      overflow = counter_add(before, delta, 32).overflowed;
      r_.evcntr[n] =
          caps_.event_counters_64bit() ? before + delta : (before + delta) & low_mask(32);
    }
    if (!overflow) return;
    r_.ovs |= bit(n);
    // CHAIN on the odd neighbour counts overflows of the even counter (D24.11).
    if ((n & 1) == 0 && n + 1 < config_.counters && event_number(n + 1) == arm64::event::chain &&
        event_counter_enabled(n + 1)) {
      add_to_counter(n + 1, 1);
    }
  }
  // Adds `cycles` to PMCCNTR as counting does (PMCR.D divides by 64; LC picks the overflow width).
  constexpr void add_to_cycle_counter(std::uint64_t cycles) {
    std::uint64_t ticks = cycles;
    if ((r_.pmcr & pmcr::d.mask) != 0) {
      divider_ += cycles;
      ticks = divider_ / 64;
      divider_ %= 64;
    }
    const bool long_overflow = (r_.pmcr & pmcr::lc.mask) != 0;
    const std::uint64_t before = r_.ccntr;
    r_.ccntr += ticks;
    if (long_overflow ? r_.ccntr < before : counter_add(before, ticks, 32).overflowed) {
      r_.ovs |= arm64::cycle_counter_bit;
    }
  }
  constexpr void add_to_instruction_counter(std::uint64_t count) {
    const counter_sum s = counter_add(r_.icntr, count, 64);
    r_.icntr = s.value;
    if (s.overflowed) r_.ovs |= arm64::instruction_counter_bit;
  }
  // Event counter n counts 64 bits (PMCR_EL0.LP / MDCR_EL2.HLP with FEAT_PMUv3p5).
  [[nodiscard]] constexpr bool long_event_counter(unsigned n) const {
    if (!caps_.event_counters_64bit()) return false;
    return n < hpmn() ? (r_.pmcr & pmcr::lp.mask) != 0 : mdcr_has(mdcr::hlp.mask);
  }

  [[nodiscard]] constexpr bool irq_pending() const {
    return irq_line(r_.pmcr, r_.ovs, r_.inten, guest_range(), hpme(), host_range());
  }

  // --- accesses -------------------------------------------------------------------------------
  // An MRS (is_read) or MSR of the register `e` from `from`: routed, then performed if it
  // executes. `rt` is the transfer register number reported in a trap syndrome.
  constexpr sysreg_outcome access(el from, arm64::sysreg_encoding e, bool is_read,
                                  std::uint64_t v = 0, std::uint8_t rt = 0) {
    const arm64::pmu_reg_ref r = arm64::classify(e);
    if (r.reg == arm64::pmu_reg::none) return el2_register(from, e, is_read, v);
    return access(from, e, r, is_read, v, rt);
  }
  // The same, for a PMU register the caller has already classified (r = classify(e)).
  constexpr sysreg_outcome access(el from, arm64::sysreg_encoding e, arm64::pmu_reg_ref r,
                                  bool is_read, std::uint64_t v, std::uint8_t rt = 0) {
    const outcome o = route(from, r, is_read);
    if (o == outcome::trap_el2 || o == outcome::trap_el1) {
      return {o, 0, arm64::encode_esr({e, is_read, rt})};
    }
    if (o == outcome::undefined) return {o, 0, esr_undefined};
    return {outcome::executed, perform(from, r, is_read, v), 0};
  }
  // Routing only: what an access would do, without doing it.
  [[nodiscard]] constexpr outcome route(el from, arm64::sysreg_encoding e, bool is_read) const {
    const arm64::pmu_reg_ref r = arm64::classify(e);
    if (r.reg != arm64::pmu_reg::none) return route(from, r, is_read);
    return from == el::el2 && el2_register_exists(e) ? outcome::executed : outcome::undefined;
  }
  [[nodiscard]] constexpr outcome route(el from, arm64::pmu_reg_ref r, bool is_read) const {
    if (!exists(from, r, is_read)) return outcome::undefined;
    if (from == el::el2) return outcome::executed;
    if (from == el::el0 && !el0_allowed(r, is_read)) return outcome::trap_el1;
    const arm64_register_info f = register_info(fgt_register(r));
    if (config_.fgt >= 1 &&
        ((is_read ? el2_.hdfgrtr & f.fgt_read : el2_.hdfgwtr & f.fgt_write) != 0))
      return outcome::trap_el2;
    if (config_.fgt >= 2) {
      const std::uint64_t n_bit = is_read ? f.fgt2_read_n : f.fgt2_write_n;
      const std::uint64_t reg = is_read ? el2_.hdfgrtr2 : el2_.hdfgwtr2;
      if (n_bit != 0 && (reg & n_bit) == 0) return outcome::trap_el2;
    }
    if (r.reg == arm64::pmu_reg::pmcr && mdcr_has(mdcr::tpmcr.mask)) return outcome::trap_el2;
    if (mdcr_has(mdcr::tpm.mask)) return outcome::trap_el2;
    return outcome::executed;
  }
  // Performs an access that executes (route() said so): the register's behaviour.
  constexpr std::uint64_t perform(el from, arm64::pmu_reg_ref r, bool is_read, std::uint64_t v) {
    using arm64::pmu_reg;
    using c = arm64_control;
    const std::uint64_t vis = visible(from);
    const auto sel = static_cast<unsigned>(r_.pmselr & arm64::pmselr_el0::sel.mask);
    switch (r.reg) {
      case pmu_reg::pmcr:
        if (is_read) return pmcr_value(from);
        write_pmcr(from, v);
        return 0;
      case pmu_reg::pmcntenset: return access_set(r_.cnten, c::cnten, is_read, v, vis);
      case pmu_reg::pmcntenclr: return access_clear(r_.cnten, c::cnten, is_read, v, vis);
      case pmu_reg::pmintenset: return access_set(r_.inten, c::inten, is_read, v, vis);
      case pmu_reg::pmintenclr: return access_clear(r_.inten, c::inten, is_read, v, vis);
      case pmu_reg::pmovsset: return access_set(r_.ovs, c::ovs, is_read, v, vis);
      case pmu_reg::pmovsclr: return access_clear(r_.ovs, c::ovs, is_read, v, vis);
      case pmu_reg::pmswinc: software_increment(v & vis & arm64::event_counter_bits); return 0;
      case pmu_reg::pmzr: reset_counters(v & vis); return 0;
      case pmu_reg::pmselr:
        return access_control(r_.pmselr, c::pmselr, is_read, v, arm64::pmselr_el0::sel.mask);
      case pmu_reg::pmceid0: return pmceid(0);
      case pmu_reg::pmceid1: return pmceid(1);
      case pmu_reg::pmmir: return 0;
      case pmu_reg::pmccntr:
        return access_counter(r_.ccntr, arm64::cycle_counter_index, is_read, v, ~std::uint64_t{0});
      case pmu_reg::pmicntr:
        return access_counter(r_.icntr, arm64::instruction_counter_index, is_read, v,
                              ~std::uint64_t{0});
      case pmu_reg::pmuserenr:
        return access_control(r_.pmuserenr, c::pmuserenr, is_read, v, pmuserenr_writable);
      case pmu_reg::pmuacr: return access_control(r_.pmuacr, c::pmuacr, is_read, v, implemented());
      case pmu_reg::pmccfiltr: return ccfiltr(is_read, v);
      case pmu_reg::pmicfiltr:
        return access_config(r_.icfiltr, arm64::instruction_counter_index, is_read, v,
                             arm64::pmccfiltr_supported_mask());
      case pmu_reg::pmevtyper: return typer(r.index, is_read, v);
      case pmu_reg::pmevcntr: return event_counter(r.index, is_read, v);
      case pmu_reg::pmxevtyper:
        return sel == arm64::cycle_counter_index ? ccfiltr(is_read, v) : typer(sel, is_read, v);
      case pmu_reg::pmxevcntr: return event_counter(sel, is_read, v);
      case pmu_reg::none: break;
    }
    return 0;
  }

 private:
  static constexpr std::uint64_t pmuserenr_writable =
      arm64::pmuserenr_el0::en.mask | arm64::pmuserenr_el0::sw.mask |
      arm64::pmuserenr_el0::cr.mask | arm64::pmuserenr_el0::er.mask;

  [[nodiscard]] constexpr std::uint64_t implemented() const {
    return arm64::counter_bitmap_mask(caps_);
  }
  // Counter bits an access from `from` can see: everything at EL2, the first range below.
  [[nodiscard]] constexpr std::uint64_t visible(el from) const {
    return from == el::el2 ? implemented() : guest_range() & implemented();
  }
  [[nodiscard]] constexpr unsigned accessible_counters(el from) const {
    return from == el::el2 ? config_.counters : hpmn();
  }
  [[nodiscard]] constexpr bool enabled_by_e() const { return (r_.pmcr & pmcr::e.mask) != 0; }
  [[nodiscard]] constexpr bool hpme() const { return mdcr_has(mdcr::hpme.mask); }
  [[nodiscard]] constexpr bool mdcr_has(std::uint64_t mask) const {
    return (el2_.mdcr & mask) != 0;
  }

  // The exception-level filter of a PMEVTYPER-style value at `at` (no EL3: P, U, NSH only).
  static constexpr bool filter_allows(std::uint64_t type, el at) {
    using t = arm64::pmevtypern_el0;
    switch (at) {
      case el::el0: return (type & t::u.mask) == 0;
      case el::el1: return (type & t::p.mask) == 0;
      case el::el2: return (type & t::nsh.mask) != 0;
    }
    return false;
  }
  [[nodiscard]] constexpr bool range_frozen(bool guest) const {
    if (guest) return (r_.pmcr & pmcr::fzo.mask) != 0 && (r_.ovs & low_mask(hpmn())) != 0;
    return mdcr_has(mdcr::hpmfzo.mask) && (r_.ovs & host_range()) != 0;
  }

  // --- routing --------------------------------------------------------------------------------
  // PMXEVTYPER with SEL = 31 is PMCCFILTR, and traps as PMCCFILTR does.
  [[nodiscard]] constexpr arm64::pmu_reg fgt_register(arm64::pmu_reg_ref r) const {
    const bool ccfiltr_view =
        r.reg == arm64::pmu_reg::pmxevtyper &&
        (r_.pmselr & arm64::pmselr_el0::sel.mask) == arm64::cycle_counter_index;
    return ccfiltr_view ? arm64::pmu_reg::pmccfiltr : r.reg;
  }
  // Does the register exist for an access from `from` in this direction? (UNDEFINED otherwise.)
  [[nodiscard]] constexpr bool exists(el from, arm64::pmu_reg_ref r, bool is_read) const {
    using arm64::pmu_reg;
    if (!caps_.has_pmuv3()) return false;
    const arm64_register_info i = register_info(r.reg);
    if (!(is_read ? i.readable : i.writable) || !caps_.at_least(i.since)) return false;
    if (i.needs_pmicntr && !config_.pmicntr) return false;
    if (from == el::el0 && i.el0 == el0_permission::never) return false;
    const unsigned limit = accessible_counters(from);
    const auto sel = static_cast<unsigned>(r_.pmselr & arm64::pmselr_el0::sel.mask);
    switch (r.reg) {
      case pmu_reg::pmevcntr:
      case pmu_reg::pmevtyper: return r.index < limit;
      case pmu_reg::pmxevcntr: return sel < limit;
      case pmu_reg::pmxevtyper: return sel < limit || sel == arm64::cycle_counter_index;
      default: return true;
    }
  }
  // EL0 permission from PMUSERENR_EL0: EN, or the register's own bit (the table's el0 column).
  [[nodiscard]] constexpr bool el0_allowed(arm64::pmu_reg_ref r, bool is_read) const {
    using u = arm64::pmuserenr_el0;
    if ((r_.pmuserenr & u::en.mask) != 0) return true;
    switch (register_info(r.reg).el0) {
      case el0_permission::sw: return (r_.pmuserenr & u::sw.mask) != 0;
      case el0_permission::cr_reads: return is_read && (r_.pmuserenr & u::cr.mask) != 0;
      case el0_permission::er_reads: return is_read && (r_.pmuserenr & u::er.mask) != 0;
      case el0_permission::er: return (r_.pmuserenr & u::er.mask) != 0;
      default: return false;
    }
  }
  [[nodiscard]] constexpr bool el2_register_exists(arm64::sysreg_encoding e) const {
    if (e == mdcr::encoding) return true;
    if (e == arm64::hdfgrtr_el2::encoding || e == arm64::hdfgwtr_el2::encoding) {
      return config_.fgt >= 1;
    }
    if (e == arm64::hdfgrtr2_el2::encoding || e == arm64::hdfgwtr2_el2::encoding) {
      return config_.fgt >= 2;
    }
    return false;
  }
  constexpr sysreg_outcome el2_register(el from, arm64::sysreg_encoding e, bool is_read,
                                        std::uint64_t v) {
    if (from != el::el2 || !el2_register_exists(e)) return {outcome::undefined, 0, esr_undefined};
    std::uint64_t* reg = &el2_.mdcr;
    std::uint64_t res0 = mdcr::res0;
    if (e == arm64::hdfgrtr_el2::encoding) {
      reg = &el2_.hdfgrtr;
      res0 = arm64::hdfgrtr_el2::res0;
    } else if (e == arm64::hdfgwtr_el2::encoding) {
      reg = &el2_.hdfgwtr;
      res0 = arm64::hdfgwtr_el2::res0;
    } else if (e == arm64::hdfgrtr2_el2::encoding) {
      reg = &el2_.hdfgrtr2;
      res0 = arm64::hdfgrtr2_el2::res0;
    } else if (e == arm64::hdfgwtr2_el2::encoding) {
      reg = &el2_.hdfgwtr2;
      res0 = arm64::hdfgwtr2_el2::res0;
    }
    if (is_read) return {outcome::executed, *reg & ~res0, 0};
    *reg = v & ~res0;
    return {};
  }

  // --- the registers' behaviour ---------------------------------------------------------------
  [[nodiscard]] constexpr std::uint64_t pmcr_writable() const {
    return arm64::pmcr_stored_mask(caps_);
  }
  [[nodiscard]] constexpr std::uint64_t pmcr_value(el from) const {
    const unsigned n = from == el::el2 ? config_.counters : hpmn();
    return r_.pmcr | (std::uint64_t{n} << pmcr::n.lsb) |
           (std::uint64_t{config_.idcode} << pmcr::idcode.lsb) |
           (std::uint64_t{config_.implementer} << pmcr::imp.lsb);
  }
  // PMCR.P and PMCR.C are actions, never stored: P resets the event counters the access can
  // reach (from EL1 only [0, HPMN)), C resets PMCCNTR.
  constexpr void write_pmcr(el from, std::uint64_t v) {
    (void)access_control(r_.pmcr, arm64_control::pmcr, false, v, pmcr_writable());
    std::uint64_t reset = 0;
    if ((v & pmcr::p.mask) != 0) reset |= low_mask(accessible_counters(from));
    if ((v & pmcr::c.mask) != 0) reset |= arm64::cycle_counter_bit;
    reset_counters(reset);
  }
  // Counters in `which` (a counter bitmap) read zero from now on.
  constexpr void reset_counters(std::uint64_t which) {
    for (unsigned n = 0; n < config_.counters; ++n) {
      if ((which & bit(n)) != 0) r_.evcntr[n] = 0;
    }
    if ((which & arm64::cycle_counter_bit) != 0) r_.ccntr = 0;
    if ((which & arm64::instruction_counter_bit) != 0) r_.icntr = 0;
    dirty_.counters |= which;
  }
  // PMSWINC_EL0: counters counting SW_INCR add one. A write, so what it changes is dirty: the
  // counter, its CHAIN neighbour, PMOVS on overflow.
  constexpr void software_increment(std::uint64_t which) {
    const std::uint64_t ovs_before = r_.ovs;
    for (unsigned n : set_bits(which & low_mask(config_.counters))) {
      if (event_counter_enabled(n) && event_number(n) == arm64::event::sw_incr) {
        add_to_counter(n, 1);
        dirty_.counters |= bit(n) | bit(n + 1);
      }
    }
    if (r_.ovs != ovs_before) dirty_.controls |= control_bit(arm64_control::ovs);
  }
  [[nodiscard]] constexpr std::uint64_t pmceid(unsigned which) const {
    return which == 0 ? config_.pmceid0 : config_.pmceid1;
  }
  [[nodiscard]] constexpr std::uint64_t counter_read_mask() const {
    return caps_.event_counters_64bit() ? ~std::uint64_t{0} : low_mask(32);
  }

  // Register accessors that record what a write changed (dirty_registers).
  constexpr std::uint64_t access_control(std::uint64_t& reg, arm64_control which, bool is_read,
                                         std::uint64_t v, std::uint64_t mask) {
    if (is_read) return reg & mask;
    reg = (reg & ~mask) | (v & mask);
    dirty_.controls |= control_bit(which);
    return 0;
  }
  // A per-counter register (`kind`: &dirty_registers::counters or ::config) of counter `index`.
  constexpr std::uint64_t access_per_counter(std::uint64_t dirty_registers::*kind,
                                             std::uint64_t& reg, unsigned index, bool is_read,
                                             std::uint64_t v, std::uint64_t mask) {
    if (is_read) return reg & mask;
    reg = v & mask;
    dirty_.*kind |= bit(index);
    return 0;
  }
  constexpr std::uint64_t access_counter(std::uint64_t& reg, unsigned index, bool is_read,
                                         std::uint64_t v, std::uint64_t mask) {
    return access_per_counter(&dirty_registers::counters, reg, index, is_read, v, mask);
  }
  constexpr std::uint64_t access_config(std::uint64_t& reg, unsigned index, bool is_read,
                                        std::uint64_t v, std::uint64_t mask) {
    return access_per_counter(&dirty_registers::config, reg, index, is_read, v, mask);
  }
  constexpr std::uint64_t event_counter(unsigned n, bool is_read, std::uint64_t v) {
    return access_counter(r_.evcntr[n], n, is_read, v, counter_read_mask());
  }
  constexpr std::uint64_t typer(unsigned n, bool is_read, std::uint64_t v) {
    return access_config(r_.evtyper[n], n, is_read, v, arm64::pmevtyper_supported_mask(caps_));
  }
  constexpr std::uint64_t ccfiltr(bool is_read, std::uint64_t v) {
    return access_config(r_.ccfiltr, arm64::cycle_counter_index, is_read, v,
                         arm64::pmccfiltr_supported_mask());
  }
  // SET/CLR pairs: reads return the register; writes of 1 set (clear) bits; only `vis` bits
  // exist for this access (the others are RAZ/WI).
  constexpr std::uint64_t access_set(std::uint64_t& reg, arm64_control which, bool is_read,
                                     std::uint64_t v, std::uint64_t vis) {
    return access_control(reg, which, is_read, reg | (v & vis), vis);
  }
  constexpr std::uint64_t access_clear(std::uint64_t& reg, arm64_control which, bool is_read,
                                       std::uint64_t v, std::uint64_t vis) {
    return access_control(reg, which, is_read, reg & ~(v & vis), vis);
  }

  arm64_pmu_config config_;
  arm64::pmu_caps caps_{};
  arm64_el2_registers el2_{};
  std::uint64_t divider_ = 0;  // PMCR_EL0.D prescaler: cycles not yet counted
};

}  // namespace vpmu::model
