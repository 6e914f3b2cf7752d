// SPDX-License-Identifier: MIT
// A behavioural model of an Arm PMUv3 with the EL2 controls, as the Arm ARM (DDI 0487, D24 and
// the PMU register descriptions) specifies them; deterministic, with events fed by the caller.
//
// Two views:
//  - the backend view (read/write): the hypervisor at EL2, which sees all N counters. This is
//    what policies use; it satisfies vpmu::sysreg_access.
//  - the guest view (guest_read/guest_write from EL0/EL1): an access either executes, traps to
//    EL2 (with the ESR_EL2 value hardware would report), traps to EL1 (EL0 access refused by
//    PMUSERENR_EL0), or is UNDEFINED, following MDCR_EL2 (HPMN, TPM, TPMCR) and
//    HDFG[RW]TR(2)_EL2.
//
// Modelled as the architecture says, including what QEMU 7.2 does not (qemu-arm.md): counters
// [HPMN, N) are UNDEFINED from EL0/EL1 and their bits in PMCNTEN/PMINTEN/PMOVS/PMSWINC are
// RAZ/WI there; PMCR_EL0.N reads as HPMN there; PMCR_EL0.P from EL1 resets only [0, HPMN);
// counters [0, HPMN) are enabled by PMCR_EL0.E and [HPMN, N) by MDCR_EL2.HPME; HPMD/HCCD stop
// guest-range counting at EL2; the IRQ is gated by E / HPME per range.
//
// Simplifications, stated: no EL3 and no Secure/Realm state (NSK/NSU/M/SH/RL* have no effect),
// FGT traps are always enabled when FEAT_FGT is present (SCR_EL3.FGTEn = 1), HPMN > N behaves
// as HPMN = N (CONSTRAINED UNPREDICTABLE in the architecture), PMXEVCNTR with SEL = 31 and
// SEL beyond the accessible counters are UNDEFINED.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"

namespace vpmu::sim {

enum class el : std::uint8_t { el0, el1, el2 };

// Common event numbers the model gives meaning to (Arm ARM D24.11 "common event numbers").
namespace arm_event {
inline constexpr std::uint16_t sw_incr = 0x00;
inline constexpr std::uint16_t inst_retired = 0x08;
inline constexpr std::uint16_t cpu_cycles = 0x11;
inline constexpr std::uint16_t chain = 0x1e;
}  // namespace arm_event

// The architectural register file of the model (everything software can observe; PMCR holds
// only its stored bits E, D, X, DP, LC, LP, FZO). Policies keep a guest PMU in this form, so its
// layout is part of vpmu's migration format (policy/arm64_state.hpp wraps it with a version).
struct arm_registers {
  std::uint64_t pmcr = 0;
  std::uint64_t cnten = 0, inten = 0, ovs = 0;
  std::uint64_t pmselr = 0, pmuserenr = 0, pmuacr = 0;
  std::uint64_t ccntr = 0, ccfiltr = 0, icntr = 0, icfiltr = 0;
  std::uint64_t evtyper[arm64::max_event_counters] = {};
  std::uint64_t evcntr[arm64::max_event_counters] = {};
  std::uint64_t mdcr = 0, hdfgrtr = 0, hdfgwtr = 0, hdfgrtr2 = 0, hdfgwtr2 = 0;
  friend constexpr bool operator==(const arm_registers&, const arm_registers&) = default;
};

struct arm_pmu_config {
  unsigned counters = 6;  // PMCR_EL0.N
  arm64::pmuver version = arm64::pmuver::v3p5;
  bool hpmn0 = false;
  unsigned fgt = 0;  // 0: none, 1: FEAT_FGT, 2: FEAT_FGT2
  bool pmicntr = false;
  std::uint8_t implementer = 0x41;  // PMCR_EL0.IMP
};

enum class outcome : std::uint8_t { executed, trap_el2, trap_el1, undefined };

struct sysreg_outcome {
  outcome kind = outcome::executed;
  std::uint64_t value = 0;  // the value read, when executed and a read
  std::uint32_t esr = 0;    // the syndrome, when trapped
};

class arm_pmuv3 : public typed_sysreg_access<arm_pmuv3> {
 public:
  using registers_type = arm_registers;
  using typed_sysreg_access<arm_pmuv3>::read;
  using typed_sysreg_access<arm_pmuv3>::write;

  constexpr explicit arm_pmuv3(arm_pmu_config config = {}) : config_(config) {
    if (config_.counters > arm64::max_event_counters) config_.counters = arm64::max_event_counters;
    caps_ = {config_.version, static_cast<std::uint8_t>(config_.counters),
             config_.hpmn0,   config_.pmicntr,
             false,           static_cast<std::uint8_t>(config_.fgt)};
    // MDCR_EL2.HPMN resets to N (all counters belong to EL1/EL0), PMCR_EL0.LC to 1 on AArch64-only.
    r_.mdcr = config_.counters;
    r_.pmcr = arm64::pmcr_el0::lc.mask;
  }

  [[nodiscard]] constexpr const arm_pmu_config& config() const { return config_; }
  [[nodiscard]] constexpr const arm_registers& registers() const { return r_; }
  constexpr arm_registers& registers() { return r_; }
  // Event counter n counts events now, at the current EL (enables, filters, freezes).
  [[nodiscard]] constexpr bool counts(unsigned n) const { return event_counter_counts(n); }
  // Adds `delta` to event counter n as counting would (width, overflow, PMOVS, CHAIN).
  constexpr void add_to_counter(unsigned n, std::uint64_t delta) {
    if (delta != 0) add_to_event_counter(n, delta);
  }
  [[nodiscard]] constexpr const arm64::pmu_caps& caps() const { return caps_; }

  // --- where the CPU executes, and what happens there --------------------------------------
  constexpr void set_el(el e) { el_ = e; }
  [[nodiscard]] constexpr el current_el() const { return el_; }

  // `count` occurrences of event `event` at the current EL.
  constexpr void retire(std::uint16_t event, std::uint64_t count) {
    if (count == 0) return;
    for (unsigned n = 0; n < config_.counters; ++n) {
      if (event_number(n) == event && event != arm_event::chain && event != arm_event::sw_incr &&
          event_counter_counts(n)) {
        add_to_event_counter(n, count);
      }
    }
    if (event == arm_event::inst_retired && config_.pmicntr && instruction_counter_counts()) {
      const counter_sum s = counter_add(r_.icntr, count, 64);
      r_.icntr = s.value;
      if (s.overflowed) r_.ovs |= bit(32);
    }
  }
  // Time passes: `count` processor cycles at the current EL (event CPU_CYCLES and PMCCNTR).
  constexpr void cycles(std::uint64_t count) {
    retire(arm_event::cpu_cycles, count);
    if (cycle_counter_counts()) add_to_cycle_counter(count);
  }
  // Adds `count` cycles to PMCCNTR as counting would (PMCR.D divider, LC overflow width).
  constexpr void add_to_cycle_counter(std::uint64_t count) {
    std::uint64_t ticks = count;
    if ((r_.pmcr & arm64::pmcr_el0::d.mask) != 0) {  // PMCR_EL0.D: one tick every 64 cycles
      divider_ += count;
      ticks = divider_ / 64;
      divider_ %= 64;
    }
    const bool long_overflow = (r_.pmcr & arm64::pmcr_el0::lc.mask) != 0;
    const std::uint64_t before = r_.ccntr;
    r_.ccntr += ticks;
    if (long_overflow ? r_.ccntr < before : counter_add(before, ticks, 32).overflowed) {
      r_.ovs |= bit(31);
    }
  }
  [[nodiscard]] constexpr bool cycle_counter_enabled() const {
    return (r_.cnten & c_bit) != 0 && enabled_by_e();
  }
  [[nodiscard]] constexpr bool event_counter_enabled(unsigned n) const {
    return (r_.cnten & bit(n)) != 0 && (n < hpmn() ? enabled_by_e() : hpme());
  }
  constexpr void instructions(std::uint64_t count) { retire(arm_event::inst_retired, count); }

  // The PMU interrupt (GIC PPI 23 on QEMU virt): PMOVS & PMINTEN, gated per range.
  [[nodiscard]] constexpr bool irq_pending() const {
    const std::uint64_t pending = r_.ovs & r_.inten;
    return (enabled_by_e() && (pending & guest_range()) != 0) ||
           (hpme() && (pending & host_range()) != 0);
  }

  // --- the backend view: the hypervisor at EL2 -----------------------------------------------
  constexpr std::uint64_t read(arm64::sysreg_encoding e) {
    const sysreg_outcome o = execute(el::el2, e, true, 0);
    if (o.kind != outcome::executed) ++backend_faults_;
    return o.value;
  }
  constexpr void write(arm64::sysreg_encoding e, std::uint64_t v) {
    if (execute(el::el2, e, false, v).kind != outcome::executed) ++backend_faults_;
  }
  // Accesses the backend view could not perform (UNDEFINED even at EL2): always a bug.
  [[nodiscard]] constexpr unsigned backend_faults() const { return backend_faults_; }

  // --- the guest view -------------------------------------------------------------------------
  constexpr sysreg_outcome guest_read(el from, arm64::sysreg_encoding e, std::uint8_t rt = 0) {
    return guest_access(from, e, true, 0, rt);
  }
  constexpr sysreg_outcome guest_write(el from, arm64::sysreg_encoding e, std::uint64_t v,
                                       std::uint8_t rt = 0) {
    return guest_access(from, e, false, v, rt);
  }
  // Routing only: what an access would do, without doing it.
  [[nodiscard]] constexpr outcome route(el from, arm64::sysreg_encoding e, bool is_read) const {
    return decide(from, e, is_read);
  }

 private:
  using bm = arm64::pmu_counter_bitmap;
  static constexpr std::uint64_t c_bit = bit(31);
  static constexpr std::uint64_t f0_bit = bit(32);

  // --- partitioning --------------------------------------------------------------------------
  [[nodiscard]] constexpr unsigned hpmn() const {
    const unsigned h = static_cast<unsigned>(r_.mdcr & arm64::mdcr_el2::hpmn.mask);
    return h > config_.counters ? config_.counters : h;
  }
  [[nodiscard]] constexpr std::uint64_t implemented() const {
    return arm64::counter_bitmap_mask(caps_);
  }
  [[nodiscard]] constexpr std::uint64_t guest_range() const {
    return low_mask(hpmn()) | c_bit | (config_.pmicntr ? f0_bit : 0);
  }
  [[nodiscard]] constexpr std::uint64_t host_range() const {
    return low_mask(config_.counters) & ~low_mask(hpmn());
  }
  // Counter bits an access from `from` can see: everything at EL2, the guest range below.
  [[nodiscard]] constexpr std::uint64_t visible(el from) const {
    return from == el::el2 ? implemented() : guest_range() & implemented();
  }
  [[nodiscard]] constexpr unsigned accessible_counters(el from) const {
    return from == el::el2 ? config_.counters : hpmn();
  }
  [[nodiscard]] constexpr bool enabled_by_e() const { return (r_.pmcr & 1) != 0; }
  [[nodiscard]] constexpr bool hpme() const { return (r_.mdcr & arm64::mdcr_el2::hpme.mask) != 0; }
  [[nodiscard]] constexpr bool mdcr(std::uint64_t mask) const { return (r_.mdcr & mask) != 0; }

  // --- counting ---------------------------------------------------------------------------------
  [[nodiscard]] constexpr std::uint16_t event_number(unsigned n) const {
    return static_cast<std::uint16_t>(r_.evtyper[n] & arm64::evtcount_mask(caps_));
  }
  [[nodiscard]] constexpr bool long_event_counter(unsigned n) const {
    if (!caps_.event_counters_64bit()) return false;
    return n < hpmn() ? (r_.pmcr & arm64::pmcr_el0::lp.mask) != 0 : mdcr(arm64::mdcr_el2::hlp.mask);
  }
  // The exception-level filter of a PMEVTYPER-style value at the current EL (no EL3).
  [[nodiscard]] constexpr bool filter_allows(std::uint64_t type) const {
    using t = arm64::pmevtypern_el0;
    switch (el_) {
      case el::el0: return (type & t::u.mask) == 0;
      case el::el1: return (type & t::p.mask) == 0;
      case el::el2: return (type & t::nsh.mask) != 0;
    }
    return false;
  }
  [[nodiscard]] constexpr bool range_frozen(bool guest) const {
    if (guest) {
      return (r_.pmcr & arm64::pmcr_el0::fzo.mask) != 0 && (r_.ovs & low_mask(hpmn())) != 0;
    }
    return mdcr(arm64::mdcr_el2::hpmfzo.mask) && (r_.ovs & host_range()) != 0;
  }
  [[nodiscard]] constexpr bool event_counter_counts(unsigned n) const {
    const bool guest = n < hpmn();
    if ((r_.cnten & bit(n)) == 0 || !(guest ? enabled_by_e() : hpme())) return false;
    if (guest && el_ == el::el2 && mdcr(arm64::mdcr_el2::hpmd.mask)) return false;
    return !range_frozen(guest) && filter_allows(r_.evtyper[n]);
  }
  [[nodiscard]] constexpr bool cycle_counter_counts() const {
    if ((r_.cnten & c_bit) == 0 || !enabled_by_e()) return false;
    if (el_ == el::el2) {
      if (mdcr(arm64::mdcr_el2::hccd.mask)) return false;
      if ((r_.pmcr & arm64::pmcr_el0::dp.mask) != 0 && mdcr(arm64::mdcr_el2::hpmd.mask))
        return false;
    }
    return filter_allows(r_.ccfiltr);
  }
  [[nodiscard]] constexpr bool instruction_counter_counts() const {
    return (r_.cnten & f0_bit) != 0 && enabled_by_e() && filter_allows(r_.icfiltr);
  }
  constexpr void add_to_event_counter(unsigned n, std::uint64_t count) {
    const std::uint64_t before = r_.evcntr[n];
    bool overflow = false;
    if (long_event_counter(n)) {
      r_.evcntr[n] = before + count;
      overflow = r_.evcntr[n] < before;
    } else {
      overflow = counter_add(before, count, 32).overflowed;
      r_.evcntr[n] =
          caps_.event_counters_64bit() ? before + count : (before + count) & low_mask(32);
    }
    if (!overflow) return;
    r_.ovs |= bit(n);
    // CHAIN (0x1E) on the odd neighbour counts overflows of the even counter.
    if ((n & 1) == 0 && n + 1 < config_.counters && event_number(n + 1) == arm_event::chain &&
        (r_.cnten & bit(n + 1)) != 0 && (n + 1 < hpmn() ? enabled_by_e() : hpme())) {
      add_to_event_counter(n + 1, 1);
    }
  }

  // --- access routing ------------------------------------------------------------------------
  struct fgt_bits {
    std::uint64_t read = 0;      // HDFGRTR_EL2 bit (1 traps)
    std::uint64_t write = 0;     // HDFGWTR_EL2 bit (1 traps)
    std::uint64_t read2_n = 0;   // HDFGRTR2_EL2 bit (0 traps)
    std::uint64_t write2_n = 0;  // HDFGWTR2_EL2 bit (0 traps)
  };

  [[nodiscard]] constexpr fgt_bits fgt_for(arm64::pmu_reg_ref r) const {
    using arm64::pmu_reg;
    using rd = arm64::hdfgrtr_el2;
    using wr = arm64::hdfgwtr_el2;
    using r2 = arm64::hdfgrtr2_el2;
    using w2 = arm64::hdfgwtr2_el2;
    switch (r.reg) {
      case pmu_reg::pmevcntr:
      case pmu_reg::pmxevcntr: return {rd::pmevcntrn_el0.mask, wr::pmevcntrn_el0.mask};
      case pmu_reg::pmevtyper: return {rd::pmevtypern_el0.mask, wr::pmevtypern_el0.mask};
      case pmu_reg::pmxevtyper:
        if ((r_.pmselr & 31) == 31) return {rd::pmccfiltr_el0.mask, wr::pmccfiltr_el0.mask};
        return {rd::pmevtypern_el0.mask, wr::pmevtypern_el0.mask};
      case pmu_reg::pmccfiltr: return {rd::pmccfiltr_el0.mask, wr::pmccfiltr_el0.mask};
      case pmu_reg::pmccntr: return {rd::pmccntr_el0.mask, wr::pmccntr_el0.mask};
      case pmu_reg::pmcntenset:
      case pmu_reg::pmcntenclr: return {rd::pmcnten.mask, wr::pmcnten.mask};
      case pmu_reg::pmintenset:
      case pmu_reg::pmintenclr: return {rd::pminten.mask, wr::pminten.mask};
      case pmu_reg::pmovsset:
      case pmu_reg::pmovsclr: return {rd::pmovs.mask, wr::pmovs.mask};
      case pmu_reg::pmselr: return {rd::pmselr_el0.mask, wr::pmselr_el0.mask};
      case pmu_reg::pmmir: return {rd::pmmir_el1.mask, 0};
      case pmu_reg::pmuserenr: return {rd::pmuserenr_el0.mask, wr::pmuserenr_el0.mask};
      case pmu_reg::pmceid0:
      case pmu_reg::pmceid1: return {rd::pmceidn_el0.mask, 0};
      case pmu_reg::pmswinc: return {0, wr::pmswinc_el0.mask};
      case pmu_reg::pmcr: return {0, wr::pmcr_el0.mask};  // no fine-grained read trap
      case pmu_reg::pmicntr: return {0, 0, r2::npmicntr_el0.mask, w2::npmicntr_el0.mask};
      case pmu_reg::pmicfiltr: return {0, 0, r2::npmicfiltr_el0.mask, w2::npmicfiltr_el0.mask};
      case pmu_reg::pmuacr: return {0, 0, r2::npmuacr_el1.mask, w2::npmuacr_el1.mask};
      case pmu_reg::pmzr: return {0, 0, 0, w2::npmzr_el0.mask};
      case pmu_reg::none: return {};
    }
    return {};
  }

  // Does the register exist for an access from `from` in this direction? (UNDEFINED otherwise.)
  [[nodiscard]] constexpr bool exists(el from, arm64::pmu_reg_ref r, bool is_read) const {
    using arm64::pmu_reg;
    using arm64::pmuver;
    if (!caps_.has_pmuv3()) return false;
    const unsigned limit = accessible_counters(from);
    const unsigned sel = static_cast<unsigned>(r_.pmselr & 31);
    switch (r.reg) {
      case pmu_reg::pmevcntr:
      case pmu_reg::pmevtyper: return r.index < limit;
      case pmu_reg::pmxevcntr: return sel < limit;
      case pmu_reg::pmxevtyper: return sel < limit || sel == 31;
      case pmu_reg::pmswinc: return !is_read;
      case pmu_reg::pmceid0:
      case pmu_reg::pmceid1: return is_read;
      case pmu_reg::pmmir: return is_read && caps_.at_least(pmuver::v3p4);
      case pmu_reg::pmicntr:
      case pmu_reg::pmicfiltr: return config_.pmicntr;
      case pmu_reg::pmzr: return !is_read && caps_.at_least(pmuver::v3p9);
      case pmu_reg::pmuacr: return from != el::el0 && caps_.at_least(pmuver::v3p9);
      case pmu_reg::pmintenset:
      case pmu_reg::pmintenclr: return from != el::el0;
      case pmu_reg::none: return false;
      default: return true;
    }
  }

  // EL0 permission from PMUSERENR_EL0 (EN; SW for PMSWINC; CR for PMCCNTR reads; ER for
  // event counter reads and PMSELR).
  [[nodiscard]] constexpr bool el0_allowed(arm64::pmu_reg_ref r, bool is_read) const {
    using arm64::pmu_reg;
    using u = arm64::pmuserenr_el0;
    if ((r_.pmuserenr & u::en.mask) != 0) return true;
    switch (r.reg) {
      case pmu_reg::pmswinc: return (r_.pmuserenr & u::sw.mask) != 0;
      case pmu_reg::pmccntr: return is_read && (r_.pmuserenr & u::cr.mask) != 0;
      case pmu_reg::pmevcntr:
      case pmu_reg::pmxevcntr: return is_read && (r_.pmuserenr & u::er.mask) != 0;
      case pmu_reg::pmselr: return (r_.pmuserenr & u::er.mask) != 0;
      default: return false;
    }
  }

  [[nodiscard]] constexpr outcome decide(el from, arm64::sysreg_encoding e, bool is_read) const {
    const arm64::pmu_reg_ref r = arm64::classify(e);
    if (r.reg == arm64::pmu_reg::none) {
      if (is_el2_register(e))
        return from == el::el2 && el2_register_exists(e) ? outcome::executed : outcome::undefined;
      return outcome::undefined;
    }
    if (!exists(from, r, is_read)) return outcome::undefined;
    if (from == el::el2) return outcome::executed;
    if (from == el::el0 && !el0_allowed(r, is_read)) return outcome::trap_el1;
    const fgt_bits f = fgt_for(r);
    if (config_.fgt >= 1 && ((is_read ? r_.hdfgrtr & f.read : r_.hdfgwtr & f.write) != 0)) {
      return outcome::trap_el2;
    }
    if (config_.fgt >= 2) {
      const std::uint64_t n_bit = is_read ? f.read2_n : f.write2_n;
      const std::uint64_t reg = is_read ? r_.hdfgrtr2 : r_.hdfgwtr2;
      if (n_bit != 0 && (reg & n_bit) == 0) return outcome::trap_el2;
    }
    if (r.reg == arm64::pmu_reg::pmcr && mdcr(arm64::mdcr_el2::tpmcr.mask))
      return outcome::trap_el2;
    if (mdcr(arm64::mdcr_el2::tpm.mask)) return outcome::trap_el2;
    return outcome::executed;
  }

  static constexpr bool is_el2_register(arm64::sysreg_encoding e) {
    return arm64::el2_registers::visit(e, []<class>() {});
  }
  [[nodiscard]] constexpr bool el2_register_exists(arm64::sysreg_encoding e) const {
    if (e == arm64::mdcr_el2::encoding) return true;
    if (e == arm64::hdfgrtr_el2::encoding || e == arm64::hdfgwtr_el2::encoding) {
      return config_.fgt >= 1;
    }
    return config_.fgt >= 2;  // HDFG[RW]TR2_EL2
  }

  constexpr sysreg_outcome guest_access(el from, arm64::sysreg_encoding e, bool is_read,
                                        std::uint64_t v, std::uint8_t rt) {
    const outcome o = decide(from, e, is_read);
    if (o == outcome::trap_el2 || o == outcome::trap_el1) {
      return {o, 0, arm64::encode_esr({e, is_read, rt})};
    }
    if (o == outcome::undefined) return {o, 0, 0x0200'0000};  // EC 0 (unknown), IL = 1
    return execute(from, e, is_read, v);
  }

  // --- the registers' behaviour ---------------------------------------------------------------
  [[nodiscard]] constexpr std::uint64_t counter_read_mask() const {
    return caps_.event_counters_64bit() ? ~std::uint64_t{0} : low_mask(32);
  }
  constexpr void reset_event_counters(std::uint64_t which) {
    for (unsigned n = 0; n < config_.counters; ++n) {
      if ((which & bit(n)) != 0) r_.evcntr[n] = 0;
    }
  }
  constexpr void software_increment(std::uint64_t which) {
    for (unsigned n = 0; n < config_.counters; ++n) {
      const bool enabled = (r_.cnten & bit(n)) != 0 && (n < hpmn() ? enabled_by_e() : hpme());
      if ((which & bit(n)) != 0 && enabled && event_number(n) == arm_event::sw_incr) {
        add_to_event_counter(n, 1);
      }
    }
  }
  [[nodiscard]] constexpr std::uint64_t pmcr_writable() const {
    using p = arm64::pmcr_el0;
    std::uint64_t m = p::e.mask | p::d.mask | p::x.mask | p::dp.mask | p::lc.mask;
    if (caps_.at_least(arm64::pmuver::v3p5)) m |= p::lp.mask;
    if (caps_.at_least(arm64::pmuver::v3p7)) m |= p::fzo.mask;
    return m;
  }
  [[nodiscard]] constexpr std::uint64_t pmcr_value(el from) const {
    const unsigned n = from == el::el2 ? config_.counters : hpmn();
    return r_.pmcr | (std::uint64_t{n} << arm64::pmcr_el0::n.lsb) |
           (std::uint64_t{config_.implementer} << arm64::pmcr_el0::imp.lsb);
  }
  [[nodiscard]] constexpr std::uint64_t pmceid(unsigned which) const {
    // The events this model counts: SW_INCR, INST_RETIRED, CPU_CYCLES, CHAIN (all in PMCEID0).
    if (which != 0) return 0;
    return bit(arm_event::sw_incr) | bit(arm_event::inst_retired) | bit(arm_event::cpu_cycles) |
           bit(arm_event::chain);
  }
  [[nodiscard]] constexpr std::uint64_t filter_mask() const {
    using t = arm64::pmevtypern_el0;
    return t::p.mask | t::u.mask | t::nsk.mask | t::nsu.mask | t::nsh.mask | t::m.mask;
  }

  constexpr sysreg_outcome execute(el from, arm64::sysreg_encoding e, bool is_read,
                                   std::uint64_t v) {
    using arm64::pmu_reg;
    const arm64::pmu_reg_ref r = arm64::classify(e);
    if (r.reg == pmu_reg::none) return el2_register(from, e, is_read, v);
    if (!exists(from, r, is_read)) return {outcome::undefined};
    const std::uint64_t vis = visible(from);
    const unsigned sel = static_cast<unsigned>(r_.pmselr & 31);
    std::uint64_t out = 0;
    switch (r.reg) {
      case pmu_reg::pmcr:
        if (is_read) {
          out = pmcr_value(from);
        } else {
          r_.pmcr = (r_.pmcr & ~pmcr_writable()) | (v & pmcr_writable());
          if ((v & arm64::pmcr_el0::c.mask) != 0) r_.ccntr = 0;
          if ((v & arm64::pmcr_el0::p.mask) != 0)
            reset_event_counters(low_mask(accessible_counters(from)));
        }
        break;
      case pmu_reg::pmcntenset: out = rw_set(r_.cnten, is_read, v, vis); break;
      case pmu_reg::pmcntenclr: out = rw_clr(r_.cnten, is_read, v, vis); break;
      case pmu_reg::pmintenset: out = rw_set(r_.inten, is_read, v, vis); break;
      case pmu_reg::pmintenclr: out = rw_clr(r_.inten, is_read, v, vis); break;
      case pmu_reg::pmovsset: out = rw_set(r_.ovs, is_read, v, vis); break;
      case pmu_reg::pmovsclr: out = rw_clr(r_.ovs, is_read, v, vis); break;
      case pmu_reg::pmswinc: software_increment(v & vis & low_mask(31)); break;
      case pmu_reg::pmzr:
        reset_event_counters(v & vis & low_mask(31));
        if ((v & vis & c_bit) != 0) r_.ccntr = 0;
        if ((v & vis & f0_bit) != 0) r_.icntr = 0;
        break;
      case pmu_reg::pmselr: out = rw(r_.pmselr, is_read, v, 31); break;
      case pmu_reg::pmceid0: out = pmceid(0); break;
      case pmu_reg::pmceid1: out = pmceid(1); break;
      case pmu_reg::pmmir: out = 0; break;
      case pmu_reg::pmccntr: out = rw(r_.ccntr, is_read, v, ~std::uint64_t{0}); break;
      case pmu_reg::pmicntr: out = rw(r_.icntr, is_read, v, ~std::uint64_t{0}); break;
      case pmu_reg::pmuserenr: out = rw(r_.pmuserenr, is_read, v, 0xf); break;
      case pmu_reg::pmuacr: out = rw(r_.pmuacr, is_read, v, implemented()); break;
      case pmu_reg::pmccfiltr: out = rw(r_.ccfiltr, is_read, v, filter_mask()); break;
      case pmu_reg::pmicfiltr: out = rw(r_.icfiltr, is_read, v, filter_mask()); break;
      case pmu_reg::pmevtyper: out = rw(r_.evtyper[r.index], is_read, v, typer_mask()); break;
      case pmu_reg::pmevcntr: out = rw(r_.evcntr[r.index], is_read, v, counter_read_mask()); break;
      case pmu_reg::pmxevtyper:
        out = sel == 31 ? rw(r_.ccfiltr, is_read, v, filter_mask())
                        : rw(r_.evtyper[sel], is_read, v, typer_mask());
        break;
      case pmu_reg::pmxevcntr: out = rw(r_.evcntr[sel], is_read, v, counter_read_mask()); break;
      case pmu_reg::none: break;
    }
    return {outcome::executed, is_read ? out : 0, 0};
  }
  [[nodiscard]] constexpr std::uint64_t typer_mask() const {
    return arm64::pmevtyper_supported_mask(caps_);
  }
  static constexpr std::uint64_t rw(std::uint64_t& reg, bool is_read, std::uint64_t v,
                                    std::uint64_t mask) {
    if (is_read) return reg & mask;
    reg = v & mask;
    return 0;
  }
  // SET/CLR pairs: reads return the register; writes of 1 set (clear) bits; only `vis` bits
  // exist for this access (the others are RAZ/WI).
  static constexpr std::uint64_t rw_set(std::uint64_t& reg, bool is_read, std::uint64_t v,
                                        std::uint64_t vis) {
    if (is_read) return reg & vis;
    reg |= v & vis;
    return 0;
  }
  static constexpr std::uint64_t rw_clr(std::uint64_t& reg, bool is_read, std::uint64_t v,
                                        std::uint64_t vis) {
    if (is_read) return reg & vis;
    reg &= ~(v & vis);
    return 0;
  }

  constexpr sysreg_outcome el2_register(el from, arm64::sysreg_encoding e, bool is_read,
                                        std::uint64_t v) {
    if (from != el::el2 || !is_el2_register(e) || !el2_register_exists(e)) {
      return {outcome::undefined};
    }
    std::uint64_t* reg = &r_.mdcr;
    std::uint64_t mask = ~arm64::mdcr_el2::res0;
    if (e == arm64::hdfgrtr_el2::encoding) {
      reg = &r_.hdfgrtr;
      mask = ~arm64::hdfgrtr_el2::res0;
    } else if (e == arm64::hdfgwtr_el2::encoding) {
      reg = &r_.hdfgwtr;
      mask = ~arm64::hdfgwtr_el2::res0;
    } else if (e == arm64::hdfgrtr2_el2::encoding) {
      reg = &r_.hdfgrtr2;
      mask = ~arm64::hdfgrtr2_el2::res0;
    } else if (e == arm64::hdfgwtr2_el2::encoding) {
      reg = &r_.hdfgwtr2;
      mask = ~arm64::hdfgwtr2_el2::res0;
    }
    return {outcome::executed, rw(*reg, is_read, v, mask), 0};
  }

  arm_pmu_config config_;
  arm64::pmu_caps caps_{};
  el el_ = el::el1;
  arm_registers r_{};
  std::uint64_t divider_ = 0;
  unsigned backend_faults_ = 0;
};

static_assert(sysreg_access<arm_pmuv3>);

}  // namespace vpmu::sim
