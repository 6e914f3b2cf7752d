// SPDX-License-Identifier: MIT
// The arm64 policies in which the guest uses the PMU hardware directly: partitioned (MDCR_EL2.HPMN
// splits the counters; the host keeps [HPMN, N) running) and mediated (HPMN = N: the guest owns
// every counter while it runs). The design of the Partitioned-PMU series for KVM/arm64
// (../shared/reference/arm.md §3), with these choices:
//
// Traps. With FEAT_FGT: PMEVTYPER<n>/PMXEVTYPER and PMCCFILTR (so the event filter and "never
// count EL2" hold in the hardware copy), PMOVS (overflow bookkeeping), PMCEID and PMMIR (host
// information) trap; PMICNTR/PMICFILTR/PMUACR/PMZR trap with FEAT_FGT2 and are UNDEFINED to the
// guest (not exposed); everything else runs untrapped. Without FEAT_FGT: untrapped when there is
// no event filter and the host has HPMD (PMUv3p1) and HCCD (PMUv3p5), which keep guest counters
// out of EL2 whatever the guest writes, and the hardware makes counters >= HPMN UNDEFINED;
// otherwise MDCR_EL2.TPM traps every access and trapped writes go through to the hardware.
// MDCR_EL2: HPMN = guest counters, HPMD and HCCD when implemented; the host ORs in HPME for its
// own counters.
//
// load() writes the guest range in the series' order (event counters, PMCCNTR, PMUSERENR,
// PMSELR, then typers, then PMCR, then the PMCNTEN/PMINTEN/PMOVS set/clear pairs), so the
// counters are configured before they are enabled. put() reads the same registers (the guest
// can change them all untrapped) and stops guest-range counting (PMCR.E = 0). With a pmu_owner
// showing this vCPU was the last on the CPU, load() writes only registers whose value differs
// from what it left there.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/policy/arm64_config.hpp"
#include "vpmu/policy/arm64_state.hpp"
#include "vpmu/policy/pmu_owner.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"

namespace vpmu {

template <sysreg_access Access>
class arm64_direct {
 public:
  using state_type = arm64_saved_state;

  constexpr arm64_direct(Access& hw, const arm64_config& config, pmu_owner* owner = nullptr)
      : hw_(&hw), config_(config), owner_(owner), vm_(guest_model(config)) {
    VPMU_ASSERT(config.validated());
    compute_traps();
  }

  [[nodiscard]] constexpr const arm64_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr bool traps_everything() const { return trap_all_; }
  [[nodiscard]] constexpr bool loaded() const { return loaded_; }
  constexpr void set_owner(pmu_owner* owner) { owner_ = owner; }

  constexpr void load() {
    const bool known = owner_ != nullptr && owner_->vcpu == this;
    const sim::arm_registers& g = vm_.registers();
    for (unsigned n = 0; n < hpmn(); ++n) {
      sync_counter(known, n, g.evcntr[n]);
    }
    sync<arm64::pmccntr_el0>(known, shadow_.ccntr, g.ccntr);
    sync<arm64::pmuserenr_el0>(known, shadow_.pmuserenr, g.pmuserenr);
    sync<arm64::pmselr_el0>(known, shadow_.pmselr, g.pmselr);
    for (unsigned n = 0; n < hpmn(); ++n) {
      sync_typer(known, n, hw_typer(g.evtyper[n]));
    }
    sync<arm64::pmccfiltr_el0>(known, shadow_.ccfiltr, hw_ccfiltr(g.ccfiltr));
    sync<arm64::pmcr_el0>(known, shadow_.pmcr, g.pmcr);
    sync_bits<arm64::pmcntenset_el0, arm64::pmcntenclr_el0>(known, shadow_.cnten, g.cnten);
    sync_bits<arm64::pmintenset_el1, arm64::pmintenclr_el1>(known, shadow_.inten, g.inten);
    sync_bits<arm64::pmovsset_el0, arm64::pmovsclr_el0>(known, shadow_.ovs, g.ovs);
    if (owner_ != nullptr) owner_->vcpu = this;
    loaded_ = true;
  }

  constexpr void put() {
    if (!loaded_) return;
    pull();
    loaded_ = false;
    if ((shadow_.pmcr & arm64::pmcr_el0::e.mask) != 0) {  // stop the guest range counting
      shadow_.pmcr &= ~arm64::pmcr_el0::e.mask;
      hw_->template write<arm64::pmcr_el0>(shadow_.pmcr);
    }
  }

  // A trapped MRS/MSR (ESR_EL2 with EC 0x18). `rt_value`: the guest's Xt for a write.
  // `from_el0`: the access came from the guest's EL0 (SPSR_EL2.M).
  constexpr sysreg_result on_sysreg(std::uint64_t esr, std::uint64_t rt_value,
                                    bool from_el0 = false) {
    const auto a = arm64::decode_esr(esr);
    if (!a) return {0, true};
    const arm64::sysreg_encoding e = a.value().encoding;
    const arm64::pmu_reg_ref r = arm64::classify(e);
    if (r.reg == arm64::pmu_reg::none || !exposed(r.reg)) return {0, true};
    const sim::el from = from_el0 ? sim::el::el0 : sim::el::el1;
    if (loaded_) {
      pull_for(r.reg);
      // EL0 permission (PMUSERENR_EL0) is untrapped state: hardware already allowed this access.
      if (from_el0 && !trap_all_) {
        vm_.registers().pmuserenr = shadow_.pmuserenr = hw_->template read<arm64::pmuserenr_el0>();
      }
    }
    const sim::arm_registers before = vm_.registers();
    const sim::sysreg_outcome o =
        a.value().is_read ? vm_.guest_read(from, e) : vm_.guest_write(from, e, rt_value);
    if (o.kind != sim::outcome::executed) return {0, true};
    if (loaded_ && !a.value().is_read) push_changed(before);
    return {o.value, false};
  }

  // The host's PMU interrupt handler calls this: overflow bits of guest counters are recorded
  // (the guest reads them through its trapped PMOVS). True: the guest's PMU interrupt is
  // asserted (PMOVS & PMINTEN with PMCR.E), the hypervisor injects it.
  constexpr bool on_host_overflow() {
    if (!loaded_) return vm_.irq_pending();
    const std::uint64_t hw = hw_->template read<arm64::pmovsset_el0>() & guest_mask();
    shadow_.ovs = hw;
    vm_.registers().ovs = untrapped() ? hw : vm_.registers().ovs | hw;
    return pending_irq();
  }
  // The guest's PMU interrupt line. While loaded, PMCR_EL0.E and PMINTENSET are the guest's to
  // change untrapped, so they are read from hardware (as the series' overflow status does).
  [[nodiscard]] constexpr bool pending_irq() {
    if (!loaded_) return vm_.irq_pending();
    const bool e = (hw_->template read<arm64::pmcr_el0>() & arm64::pmcr_el0::e.mask) != 0;
    const std::uint64_t inten = hw_->template read<arm64::pmintenset_el1>() & guest_mask();
    // Untrapped, PMOVS too is the guest's to write directly: hardware has the truth.
    const std::uint64_t ovs = untrapped() ? hw_->template read<arm64::pmovsset_el0>() & guest_mask()
                                          : vm_.registers().ovs;
    return e && (ovs & inten) != 0;
  }

  [[nodiscard]] constexpr state_type save_state() {
    if (loaded_) pull();
    state_type s;
    s.registers = vm_.registers();
    return s;
  }
  constexpr result<bool> restore_state(const state_type& s) {
    if (s.format != state_type::current_format) {
      return error{errc::invalid_config, "arm64 saved PMU state", "format", s.format};
    }
    const bool was_loaded = loaded_;
    put();
    vm_.registers() = s.registers;
    vm_.registers().mdcr = hpmn();
    if (owner_ != nullptr && owner_->vcpu == this) owner_->invalidate();
    if (was_loaded) load();
    return true;
  }

  [[nodiscard]] constexpr const sim::arm_pmuv3& model() const { return vm_; }
  // Some guest counter is enabled (the model is current after put()).
  [[nodiscard]] constexpr bool counting() const {
    const sim::arm_registers& g = vm_.registers();
    return (g.pmcr & arm64::pmcr_el0::e.mask) != 0 && g.cnten != 0;
  }
  [[nodiscard]] constexpr unsigned hpmn() const { return config_.shape.counters; }
  [[nodiscard]] constexpr std::uint64_t guest_mask() const { return low_mask(hpmn()) | bit(31); }

 private:
  static constexpr sim::arm_pmuv3 guest_model(const arm64_config& c) {
    sim::arm_pmuv3 m{{c.shape.counters, c.shape.version}};
    return m;
  }
  // PMUv3 registers the guest has; PMICNTR/PMICFILTR/PMZR/PMUACR are not exposed.
  static constexpr bool exposed(arm64::pmu_reg r) {
    using arm64::pmu_reg;
    return r != pmu_reg::pmicntr && r != pmu_reg::pmicfiltr && r != pmu_reg::pmzr &&
           r != pmu_reg::pmuacr;
  }

  constexpr void compute_traps() {
    using md = arm64::mdcr_el2;
    const arm64::pmu_caps& h = config_.host;
    std::uint64_t mdcr = hpmn();
    if (h.at_least(arm64::pmuver::v3p1)) mdcr |= md::hpmd.mask;
    if (h.at_least(arm64::pmuver::v3p5)) mdcr |= md::hccd.mask;
    trap_all_ = !h.has_fgt() && (config_.filter != nullptr || !h.at_least(arm64::pmuver::v3p5));
    if (trap_all_) mdcr |= md::tpm.mask | md::tpmcr.mask;
    traps_.mdcr_el2 = mdcr;
    if (h.has_fgt()) {
      using rd = arm64::hdfgrtr_el2;
      using wr = arm64::hdfgwtr_el2;
      traps_.hdfgrtr_el2 = rd::pmevtypern_el0.mask | rd::pmccfiltr_el0.mask | rd::pmovs.mask |
                           rd::pmceidn_el0.mask | rd::pmmir_el1.mask;
      traps_.hdfgwtr_el2 = wr::pmevtypern_el0.mask | wr::pmccfiltr_el0.mask | wr::pmovs.mask;
    }
    if (h.has_fgt2()) {  // negative polarity: 0 traps; every other bit left untrapped
      using r2 = arm64::hdfgrtr2_el2;
      using w2 = arm64::hdfgwtr2_el2;
      traps_.hdfgrtr2_el2 =
          ~r2::res0 & ~(r2::npmicntr_el0.mask | r2::npmicfiltr_el0.mask | r2::npmuacr_el1.mask);
      traps_.hdfgwtr2_el2 = ~w2::res0 & ~(w2::npmicntr_el0.mask | w2::npmicfiltr_el0.mask |
                                          w2::npmuacr_el1.mask | w2::npmzr_el0.mask);
    }
    traps_.generation = 1;
  }

  // The hardware copy of a guest typer: never counts EL2 (NSH clear); a denied event excludes
  // every level (as the series does at load).
  [[nodiscard]] VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_typer(std::uint64_t guest) const {
    using t = arm64::pmevtypern_el0;
    if (untrapped()) return guest;  // the guest writes them directly anyway; HPMD/HCCD guard EL2
    const auto event = static_cast<std::uint32_t>(guest & arm64::evtcount_mask(config_.host));
    std::uint64_t v = guest & ~t::nsh.mask;
    if (!filter_allows_event(config_.filter, event)) {
      v |= t::p.mask | t::u.mask | t::nsk.mask | t::nsu.mask | t::m.mask;
    }
    return v;
  }
  [[nodiscard]] VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_ccfiltr(std::uint64_t guest) const {
    if (untrapped()) return guest;
    return hw_typer(guest | 0x11) & ~std::uint64_t{0xffff};  // judged as CPU_CYCLES
  }
  // No trap at all: no FGT, no filter, HPMD + HCCD available.
  [[nodiscard]] constexpr bool untrapped() const { return !config_.host.has_fgt() && !trap_all_; }

  // Writes register R unless `known` and the hardware already holds `want`. (Typed access:
  // one instruction on the hardware backend.)
  template <class R>
  VPMU_ALWAYS_INLINE constexpr void sync(bool known, std::uint64_t& shadow, std::uint64_t want) {
    if (known && shadow == want) return;
    hw_->template write<R>(want);
    shadow = want;
  }
  VPMU_ALWAYS_INLINE constexpr void sync_counter(bool known, unsigned n, std::uint64_t want) {
    if (known && shadow_.evcntr[n] == want) return;
    write_pmevcntr(*hw_, n, want);
    shadow_.evcntr[n] = want;
  }
  VPMU_ALWAYS_INLINE constexpr void sync_typer(bool known, unsigned n, std::uint64_t want) {
    if (known && shadow_.evtyper[n] == want) return;
    write_pmevtyper(*hw_, n, want);
    shadow_.evtyper[n] = want;
  }
  // A SET/CLR pair: set what must be set, clear what must be cleared (guest range only).
  template <class Set, class Clr>
  VPMU_ALWAYS_INLINE constexpr void sync_bits(bool known, std::uint64_t& shadow,
                                              std::uint64_t want) {
    want &= guest_mask();
    const std::uint64_t to_set = known ? want & ~shadow : want;
    const std::uint64_t to_clear = known ? shadow & ~want : ~want & guest_mask();
    if (to_set != 0) hw_->template write<Set>(to_set);
    if (to_clear != 0) hw_->template write<Clr>(to_clear);
    shadow = want;
  }

  // Everything the guest can change untrapped, from hardware into the model.
  VPMU_ALWAYS_INLINE constexpr void pull() {
    sim::arm_registers& g = vm_.registers();
    for (unsigned n = 0; n < hpmn(); ++n) {
      g.evcntr[n] = shadow_.evcntr[n] = read_pmevcntr(*hw_, n);
    }
    g.ccntr = shadow_.ccntr = hw_->template read<arm64::pmccntr_el0>();
    g.pmuserenr = shadow_.pmuserenr = hw_->template read<arm64::pmuserenr_el0>();
    g.pmselr = shadow_.pmselr = hw_->template read<arm64::pmselr_el0>();
    g.pmcr = shadow_.pmcr = hw_->template read<arm64::pmcr_el0>() & pmcr_stored;
    g.cnten = shadow_.cnten = hw_->template read<arm64::pmcntenset_el0>() & guest_mask();
    g.inten = shadow_.inten = hw_->template read<arm64::pmintenset_el1>() & guest_mask();
    g.ovs = shadow_.ovs = hw_->template read<arm64::pmovsset_el0>() & guest_mask();
    if (untrapped()) {  // typers too are the guest's to write directly
      for (unsigned n = 0; n < hpmn(); ++n) {
        g.evtyper[n] = shadow_.evtyper[n] = read_pmevtyper(*hw_, n);
      }
      g.ccfiltr = shadow_.ccfiltr = hw_->template read<arm64::pmccfiltr_el0>();
    }
  }
  // Before a trapped access: the hardware-held state it depends on.
  constexpr void pull_for(arm64::pmu_reg r) {
    using arm64::pmu_reg;
    if (trap_all_) {
      pull();
      return;
    }
    if (r == pmu_reg::pmxevtyper) {
      vm_.registers().pmselr = shadow_.pmselr = hw_->template read<arm64::pmselr_el0>();
    } else if (r == pmu_reg::pmovsset || r == pmu_reg::pmovsclr) {
      vm_.registers().ovs = shadow_.ovs = hw_->template read<arm64::pmovsset_el0>() & guest_mask();
    }
  }
  // After a trapped write: every guest register the write changed goes to hardware. PMCR.P/C
  // are actions, done on the guest's counters one by one (from EL2 PMCR.P would reset the host's
  // counters too).
  constexpr void push_changed(const sim::arm_registers& before) {
    const sim::arm_registers& g = vm_.registers();
    for (unsigned n = 0; n < hpmn(); ++n) {
      if (g.evtyper[n] != before.evtyper[n]) {
        sync_typer(false, n, hw_typer(g.evtyper[n]));
      }
      if (g.evcntr[n] != before.evcntr[n]) {
        sync_counter(false, n, g.evcntr[n]);
      }
    }
    if (g.ccfiltr != before.ccfiltr) {
      sync<arm64::pmccfiltr_el0>(false, shadow_.ccfiltr, hw_ccfiltr(g.ccfiltr));
    }
    if (g.ccntr != before.ccntr) sync<arm64::pmccntr_el0>(false, shadow_.ccntr, g.ccntr);
    if (g.pmuserenr != before.pmuserenr) {
      sync<arm64::pmuserenr_el0>(false, shadow_.pmuserenr, g.pmuserenr);
    }
    if (g.pmselr != before.pmselr) sync<arm64::pmselr_el0>(false, shadow_.pmselr, g.pmselr);
    if (g.pmcr != before.pmcr) sync<arm64::pmcr_el0>(false, shadow_.pmcr, g.pmcr);
    if (g.cnten != before.cnten) {
      sync_bits<arm64::pmcntenset_el0, arm64::pmcntenclr_el0>(true, shadow_.cnten, g.cnten);
    }
    if (g.inten != before.inten) {
      sync_bits<arm64::pmintenset_el1, arm64::pmintenclr_el1>(true, shadow_.inten, g.inten);
    }
    if (g.ovs != before.ovs) {
      sync_bits<arm64::pmovsset_el0, arm64::pmovsclr_el0>(true, shadow_.ovs, g.ovs);
    }
  }

  static constexpr std::uint64_t pmcr_stored = 0x2fd;  // E D X DP LC LP FZO (P, C are actions)

  Access* hw_;
  sim::arm_registers shadow_{};  // what this policy last wrote to / read from the hardware
  arm64_config config_;
  pmu_owner* owner_;
  sim::arm_pmuv3 vm_;
  arm64_trap_config traps_{};
  bool trap_all_ = false;
  bool loaded_ = false;
};

}  // namespace vpmu
