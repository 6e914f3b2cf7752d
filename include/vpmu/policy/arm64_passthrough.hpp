// SPDX-License-Identifier: MIT
// The arm64 policies in which the guest's counter accesses pass through to the PMU hardware:
// partitioned (MDCR_EL2.HPMN splits the counters; the host keeps [HPMN, N) running) and mediated
// (HPMN = N: the guest owns every counter while it runs). The design of the Partitioned-PMU
// series for KVM/arm64, with these choices:
//
// Traps. With FEAT_FGT: PMEVTYPER<n>/PMXEVTYPER and PMCCFILTR (so the event filter and "never
// count EL2" hold in the hardware copy), PMOVS (overflow bookkeeping), PMCEID and PMMIR (host
// information) trap, and writes of the rarely written PMUSERENR and PMSELR (so put() need not
// read them); the registers vpmu does not expose (PMICNTR/PMICFILTR/PMUACR/PMZR) trap with
// FEAT_FGT2 and are UNDEFINED to the guest; everything else runs untrapped. Without FEAT_FGT:
// untrapped when there is no event filter and the host has HPMD (PMUv3p1) and HCCD (PMUv3p5),
// which keep guest counters out of EL2 whatever the guest writes, and the hardware makes counters
// >= HPMN UNDEFINED; otherwise MDCR_EL2.TPM traps every access and trapped writes go through to
// the hardware. MDCR_EL2: HPMN = guest counters, HPMD and HCCD when implemented; the host ORs in
// HPME for its own counters.
//
// load() writes the guest range in the series' order (event counters, PMCCNTR, PMUSERENR,
// PMSELR, then typers, then PMCR, then the PMCNTEN/PMINTEN/PMOVS set/clear pairs), so the
// counters are configured before they are enabled. put() reads the registers the guest can
// change untrapped and stops guest-range counting (PMCR.E = 0); after it, the model holds
// exactly what the hardware does (no separate shadow copy). With a pmu_owner showing this vCPU
// was the last on the CPU, load() restores PMCR.E and writes only what changed since put() (a
// VMM's access, a filter change); otherwise (another vCPU ran there, no owner, a restore) it
// writes the whole guest range. A trapped write goes through to the hardware for exactly the
// registers the model says it changed (model::dirty_registers).
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/events.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/model/arm64_register_table.hpp"
#include "vpmu/model/arm64_saved_state.hpp"
#include "vpmu/policy/arm64_config.hpp"
#include "vpmu/policy/arm64_guest_model.hpp"
#include "vpmu/policy/arm64_trapped_access.hpp"
#include "vpmu/policy/pmu_owner.hpp"

namespace vpmu {

template <sysreg_access Access>
class arm64_passthrough {
  using pmcr = arm64::pmcr_el0;
  using control = model::arm64_control;

 public:
  using state_type = model::arm64_saved_state;

  constexpr arm64_passthrough(Access& hw, const arm64_config& config, pmu_owner* owner = nullptr)
      : hw_(&hw),
        config_(config),
        owner_(owner),
        guest_(arm64_guest_model_config(config, arm64_counting::hardware)) {
    VPMU_ASSERT(config.validated());
    compute_traps();
    compute_hw_copies(all_counters());
  }

  [[nodiscard]] constexpr const arm64_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr bool traps_everything() const { return trap_all_; }
  [[nodiscard]] constexpr bool loaded() const { return state_ == hw_state::loaded; }

  VPMU_ALWAYS_INLINE constexpr void load() {
    const model::arm64_registers& g = guest_.registers();
    const hw_state was = state_;
    state_ = hw_state::loaded;
    // Reloaded where it left (current and changed imply an owner): the hardware holds every
    // register as put() read it, except PMCR_EL0.E (put() cleared it) and what changed since
    // (trapped accesses handled while put, a filter change): only those are written. O(1) in
    // HPMN when nothing changed.
    if (was == hw_state::current && owner_->vcpu == this) {
      if ((g.pmcr & pmcr::e.mask) != 0) write_register<pmcr>(*hw_, g.pmcr);
      return;
    }
    if (was == hw_state::changed && owner_->vcpu == this) {
      write_changed(changed_since_put_);  // PMCR_EL0 too, if it changed
      const bool pmcr_written =
          (changed_since_put_.controls & model::control_bit(control::pmcr)) != 0;
      if (!pmcr_written && (g.pmcr & pmcr::e.mask) != 0) write_register<pmcr>(*hw_, g.pmcr);
      changed_since_put_ = {};
      return;
    }
    changed_since_put_ = {};
    // Otherwise the whole guest range (another vCPU ran here, or the model changed meanwhile).
    for_each_counter_in(guest_counters_, [&](auto... n) VPMU_ALWAYS_INLINE_LAMBDA {
      (write_pmevcntr(*hw_, n, g.evcntr[n]), ...);
    });
    write_register<arm64::pmccntr_el0>(*hw_, g.ccntr);
    write_register<arm64::pmuserenr_el0>(*hw_, g.pmuserenr);
    write_register<arm64::pmselr_el0>(*hw_, g.pmselr);
    for_each_counter_in(guest_counters_, [&](auto... n) VPMU_ALWAYS_INLINE_LAMBDA {
      (write_pmevtyper(*hw_, n, hw_evtyper_[n]), ...);
    });
    write_register<arm64::pmccfiltr_el0>(*hw_, hw_ccfiltr_);
    write_register<pmcr>(*hw_, g.pmcr);
    write_bits<arm64::pmcntenset_el0, arm64::pmcntenclr_el0>(g.cnten);
    write_bits<arm64::pmintenset_el1, arm64::pmintenclr_el1>(g.inten);
    write_bits<arm64::pmovsset_el0, arm64::pmovsclr_el0>(g.ovs);
    if (owner_ != nullptr) owner_->vcpu = this;
  }

  VPMU_ALWAYS_INLINE constexpr void put() {
    if (state_ != hw_state::loaded) return;
    pull_common();  // pull(), inlined
    if (pull_more_) pull_uncommon();
    stop_counting();
  }

  // A trapped MRS/MSR (ESR_EL2 with EC 0x18). `rt_value`: the guest's Xt for a write.
  // `from_el0`: the access came from the guest's EL0 (SPSR_EL2.M).
  constexpr sysreg_result on_sysreg(std::uint64_t esr, std::uint64_t rt_value,
                                    bool from_el0 = false) {
    const trapped_access a = decode_trapped_access(esr, from_el0);
    if (!a.exposed) return {0, true};
    if (loaded()) {
      pull_for(a.reg.reg, a.is_read);
      // EL0 permission (PMUSERENR_EL0) is untrapped state: hardware already allowed this access.
      if (from_el0 && untrapped()) {
        guest_.registers().pmuserenr = read_register<arm64::pmuserenr_el0>(*hw_);
      }
    }
    const model::sysreg_outcome o =
        guest_.access(a.from, a.encoding, a.reg, a.is_read, rt_value, a.rt);
    const model::dirty_registers changed = guest_.take_dirty();
    compute_hw_copies(changed.config);
    if (loaded()) {
      if (o.kind == model::outcome::executed) push(changed);
    } else if (changed.any()) {
      note_changed_while_put(changed);  // the next load() writes them
    }
    return to_sysreg_result(o);
  }

  // The hypervisor changed the VM's event filter: the hardware copies of the typers follow.
  constexpr void on_filter_change() {
    const model::arm64_pmu_config m = arm64_guest_model_config(config_, arm64_counting::hardware);
    guest_.advertise_events(m.pmceid0, m.pmceid1);
    compute_hw_copies(all_counters());
    if (!loaded()) {  // load() writes them
      model::dirty_registers typers{};
      typers.config = all_counters();
      note_changed_while_put(typers);
      return;
    }
    for_each_counter_in(guest_counters_, [&](auto... n) VPMU_ALWAYS_INLINE_LAMBDA {
      (write_pmevtyper(*hw_, n, hw_evtyper_[n]), ...);
    });
    write_register<arm64::pmccfiltr_el0>(*hw_, hw_ccfiltr_);
  }

  // The host's PMU interrupt handler calls this: overflow bits of guest counters are recorded
  // (the guest reads them through its trapped PMOVS). True: the guest's PMU interrupt is
  // asserted (PMOVS & PMINTEN with PMCR.E), the hypervisor injects it.
  constexpr bool on_host_overflow() {
    if (!loaded()) return guest_.irq_pending();
    const std::uint64_t hw = read_register<arm64::pmovsset_el0>(*hw_) & guest_mask();
    guest_.registers().ovs = untrapped() ? hw : guest_.registers().ovs | hw;
    return irq_pending();
  }
  // The guest's PMU interrupt line. While loaded, PMCR_EL0.E and PMINTENSET are the guest's to
  // change untrapped, so they are read from hardware (as the series' overflow status does).
  [[nodiscard]] constexpr bool irq_pending() {
    if (!loaded()) return guest_.irq_pending();
    const std::uint64_t inten = read_register<arm64::pmintenset_el1>(*hw_) & guest_mask();
    // Untrapped, PMOVS too is the guest's to write directly: hardware has the truth.
    const std::uint64_t ovs = untrapped() ? read_register<arm64::pmovsset_el0>(*hw_) & guest_mask()
                                          : guest_.registers().ovs;
    return model::irq_line(read_register<pmcr>(*hw_), ovs, inten, guest_mask());
  }

  [[nodiscard]] constexpr state_type save_state() {
    if (loaded()) pull();
    return {state_type::current_format, guest_.config(), guest_.registers()};
  }
  constexpr result<bool> restore_state(const state_type& s) {
    if (auto bad = model::check_saved_state(s, guest_.config()); !bad) return bad;
    const bool was_loaded = loaded();
    put();
    guest_.replace_registers(s.registers);
    (void)guest_.take_dirty();  // load() below writes everything
    compute_hw_copies(all_counters());
    state_ = hw_state::stale;
    if (owner_ != nullptr && owner_->vcpu == this) owner_->invalidate();
    if (was_loaded) load();
    return true;
  }

  // Some guest counter is enabled (the model is current after put()).
  [[nodiscard]] constexpr bool counting() const { return guest_.any_counter_enabled(); }

 private:
  [[nodiscard]] constexpr unsigned hpmn() const { return config_.shape.counters; }
  [[nodiscard]] constexpr std::uint64_t guest_mask() const { return guest_mask_; }

  constexpr void compute_traps() {
    using md = arm64::mdcr_el2;
    using arm64::pmu_reg;
    using info = model::arm64_register_info;
    const arm64::pmu_caps& h = config_.host;
    // Constants of this vCPU that the world switch uses, computed once.
    guest_mask_ = arm64::guest_counter_mask(hpmn(), false);
    guest_counters_ = low_counters(hpmn());
    state_after_put_ = owner_ != nullptr ? hw_state::current : hw_state::stale;
    counter_mask_ = guest_.caps().event_counters_64bit() ? ~std::uint64_t{0} : low_mask(32);
    pmcr_keep_ = arm64::pmcr_stored_mask(guest_.caps());
    std::uint64_t mdcr = hpmn();
    if (h.at_least(arm64::pmuver::v3p1)) mdcr |= md::hpmd.mask;
    if (h.at_least(arm64::pmuver::v3p5)) mdcr |= md::hccd.mask;
    // A guest PMU older than the host's: before PMUv3p5 its event counters are 32 bits (the
    // hardware's 64), and PMCR_EL0 stores fewer bits (LP from v3p5, FZO from v3p7). Those
    // accesses must trap (FGT), or everything must (no FGT).
    narrow_counters_ = guest_.caps().event_counters_64bit() != h.event_counters_64bit();
    narrow_pmcr_ = arm64::pmcr_stored_mask(guest_.caps()) != arm64::pmcr_stored_mask(h);
    pull_more_ = counter_mask_ != ~std::uint64_t{0} || !h.has_fgt();
    trap_all_ = !h.has_fgt() && (config_.filter != nullptr || !h.at_least(arm64::pmuver::v3p5) ||
                                 narrow_counters_ || narrow_pmcr_);
    if (trap_all_) mdcr |= md::tpm.mask | md::tpmcr.mask;
    traps_.mdcr_el2 = mdcr;
    if (h.has_fgt()) {
      constexpr pmu_reg read_traps[] = {pmu_reg::pmevtyper, pmu_reg::pmccfiltr, pmu_reg::pmovsset,
                                        pmu_reg::pmceid0, pmu_reg::pmmir};
      // PMUSERENR_EL0 and PMSELR_EL0 writes trap too: guests write them rarely (perf setup;
      // Linux arm64 reaches counters as PMEVCNTR<n>, not through PMSELR), and with their
      // values always in the model, put() need not read them back (two accesses fewer on
      // every world switch). Their reads stay untrapped: the hardware holds the guest's value.
      constexpr pmu_reg write_traps[] = {pmu_reg::pmevtyper, pmu_reg::pmccfiltr, pmu_reg::pmovsset,
                                         pmu_reg::pmuserenr, pmu_reg::pmselr};
      constexpr pmu_reg counters[] = {pmu_reg::pmevcntr};  // PMEVCNTR<n> and PMXEVCNTR
      traps_.hdfgrtr_el2 = model::fgt_bits(&info::fgt_read, read_traps);
      traps_.hdfgwtr_el2 = model::fgt_bits(&info::fgt_write, write_traps);
      constexpr pmu_reg pmcr_only[] = {pmu_reg::pmcr};  // writes only: reads hold no extra bit
      if (narrow_counters_) {
        traps_.hdfgrtr_el2 |= model::fgt_bits(&info::fgt_read, counters);
        traps_.hdfgwtr_el2 |= model::fgt_bits(&info::fgt_write, counters);
      }
      if (narrow_pmcr_) traps_.hdfgwtr_el2 |= model::fgt_bits(&info::fgt_write, pmcr_only);
    }
    if (h.has_fgt2()) {
      traps_.hdfgrtr2_el2 =
          model::fgt2_unexposed_traps(&info::fgt2_read_n, arm64::hdfgrtr2_el2::res0);
      traps_.hdfgwtr2_el2 =
          model::fgt2_unexposed_traps(&info::fgt2_write_n, arm64::hdfgwtr2_el2::res0);
    }
    traps_.generation = 1;
  }

  [[nodiscard]] constexpr std::uint64_t all_counters() const {
    return low_mask(hpmn()) | arm64::cycle_counter_bit;
  }
  // The hardware copies of the guest's typers and PMCCFILTR (`which`: counter bits), computed
  // when a typer or the filter changes -- a trapped write, a restore, on_filter_change() --
  // never in load().
  constexpr void compute_hw_copies(std::uint64_t which) {
    const model::arm64_registers& g = guest_.registers();
    for (unsigned n : set_bits(which & low_mask(hpmn())))
      hw_evtyper_[n] = hw_typer(g.evtyper[n]);
    if ((which & arm64::cycle_counter_bit) != 0) hw_ccfiltr_ = hw_ccfiltr(g.ccfiltr);
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
  // PMCCFILTR's hardware copy, judged as a typer counting CPU_CYCLES.
  [[nodiscard]] VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_ccfiltr(std::uint64_t guest) const {
    if (untrapped()) return guest;
    return hw_typer(guest | arm64::event::cpu_cycles) & ~arm64::pmevtypern_el0::evtcount.mask;
  }
  // The guest's event counters' width (32 bits before PMUv3p5).
  [[nodiscard]] constexpr std::uint64_t counter_mask() const { return counter_mask_; }
  // No trap at all: no FGT, no filter, HPMD + HCCD available.
  [[nodiscard]] constexpr bool untrapped() const { return !config_.host.has_fgt() && !trap_all_; }

  // A SET/CLR pair to the guest's bits `want` (guest range only; a write of nothing is skipped).
  template <class Set, class Clr>
  VPMU_ALWAYS_INLINE constexpr void write_bits(std::uint64_t want) {
    want &= guest_mask();
    if (want != 0) write_register<Set>(*hw_, want);
    if ((~want & guest_mask()) != 0) write_register<Clr>(*hw_, ~want & guest_mask());
  }

  // Everything the guest can change untrapped, from hardware into the model.
  constexpr void pull() {
    pull_common();
    if (pull_more_) pull_uncommon();
  }
  // What pull() reads in every shape, all of it in the common one (FEAT_FGT, the guest's
  // counters as wide as the hardware's). Values are read first and stored together, so that
  // neighbouring registers move as one STP.
  VPMU_ALWAYS_INLINE constexpr void pull_common() {
    model::arm64_registers& g = guest_.registers();
    for_each_counter_in(guest_counters_, [&](auto... n) VPMU_ALWAYS_INLINE_LAMBDA {
      const std::uint64_t v[] = {read_pmevcntr(*hw_, n)...};
      unsigned i = 0;
      ((g.evcntr[n] = v[i++]), ...);
    });
    g.ccntr = read_register<arm64::pmccntr_el0>(*hw_);
    // PMCR_EL0's stored bits of the guest's version (P and C are actions, write-only); the
    // guest's bits of the SET registers (from EL2 they show the host's too).
    const std::uint64_t pmcr_value = read_register<pmcr>(*hw_);
    const std::uint64_t cnten = read_register<arm64::pmcntenset_el0>(*hw_);
    const std::uint64_t inten = read_register<arm64::pmintenset_el1>(*hw_);
    const std::uint64_t ovs = read_register<arm64::pmovsset_el0>(*hw_);
    g.pmcr = pmcr_value & pmcr_keep_;
    g.cnten = cnten & guest_mask();
    g.inten = inten & guest_mask();
    g.ovs = ovs & guest_mask();
  }
  // The end of put(): the guest range stops counting (PMCR_EL0.E = 0). With an owner, the
  // hardware now holds this vCPU's registers (changes from now on are collected until the next
  // load()); without one, nothing says who runs here next.
  VPMU_ALWAYS_INLINE constexpr void stop_counting() {
    const std::uint64_t guest_pmcr = guest_.registers().pmcr;
    if ((guest_pmcr & pmcr::e.mask) != 0) write_register<pmcr>(*hw_, guest_pmcr & ~pmcr::e.mask);
    state_ = state_after_put_;
  }
  // What pull() does for the less common shapes: a guest with 32-bit counters on a host with
  // 64-bit ones; no FEAT_FGT (PMUSERENR_EL0 and PMSELR_EL0 writes do not trap); no trap at all
  // (typers too are the guest's to write directly).
  VPMU_ALWAYS_INLINE constexpr void pull_uncommon() {
    model::arm64_registers& g = guest_.registers();
    if (counter_mask() != ~std::uint64_t{0}) {  // the guest's width: 32 bits before PMUv3p5
      for (unsigned n = 0; n < hpmn(); ++n)
        g.evcntr[n] &= counter_mask();
    }
    if (!config_.host.has_fgt()) {
      g.pmuserenr = read_register<arm64::pmuserenr_el0>(*hw_);
      g.pmselr = read_register<arm64::pmselr_el0>(*hw_);
    }
    if (untrapped()) {
      for_each_counter_in(guest_counters_, [&](auto... n) VPMU_ALWAYS_INLINE_LAMBDA {
        ((g.evtyper[n] = hw_evtyper_[n] = read_pmevtyper(*hw_, n)), ...);
      });
      g.ccfiltr = hw_ccfiltr_ = read_register<arm64::pmccfiltr_el0>(*hw_);
    }
  }
  // Before a trapped access: the hardware-held state it depends on.
  constexpr void pull_for(arm64::pmu_reg r, bool is_read) {
    using arm64::pmu_reg;
    // Everything traps, or a trapped PMCR write (an older guest's) whose P/C reset counters the
    // guest has been changing untrapped: the model must be current for all of them.
    if (trap_all_ || (r == pmu_reg::pmcr && !is_read)) {
      pull();
      return;
    }
    if ((r == pmu_reg::pmxevtyper || r == pmu_reg::pmxevcntr) && !config_.host.has_fgt()) {
      guest_.registers().pmselr = read_register<arm64::pmselr_el0>(*hw_);
    }
    if (r == pmu_reg::pmevcntr || r == pmu_reg::pmxevcntr) {  // narrow counters: trapped
      for (unsigned n = 0; n < hpmn(); ++n)
        guest_.registers().evcntr[n] = read_pmevcntr(*hw_, n) & counter_mask();
    } else if (r == pmu_reg::pmovsset || r == pmu_reg::pmovsclr) {
      guest_.registers().ovs = read_register<arm64::pmovsset_el0>(*hw_) & guest_mask();
    }
  }
  // A change while put: the next load() writes it (a reload in place writes only these).
  constexpr void note_changed_while_put(const model::dirty_registers& changed) {
    changed_since_put_ |= changed;
    if (state_ == hw_state::current) state_ = hw_state::changed;
  }
  // A reload in place: the registers changed while put, each named (the counter loops unrolled,
  // as in the full load: no call, no indirect branch on the world-switch path).
  VPMU_ALWAYS_INLINE constexpr void write_changed(const model::dirty_registers& changed) {
    const model::arm64_registers& g = guest_.registers();
    for_each_counter_in(guest_counters_, [&](auto... n) VPMU_ALWAYS_INLINE_LAMBDA {
      const auto write_one = [&](auto m) VPMU_ALWAYS_INLINE_LAMBDA {
        if ((changed.counters & bit(m)) != 0) write_pmevcntr(*hw_, m, g.evcntr[m]);
        if ((changed.config & bit(m)) != 0) write_pmevtyper(*hw_, m, hw_evtyper_[m]);
      };
      (write_one(n), ...);
    });
    write_controls(changed);
  }
  // The cycle counter and the whole registers among `changed`.
  VPMU_ALWAYS_INLINE constexpr void write_controls(const model::dirty_registers& changed) {
    const model::arm64_registers& g = guest_.registers();
    if ((changed.config & arm64::cycle_counter_bit) != 0) {
      write_register<arm64::pmccfiltr_el0>(*hw_, hw_ccfiltr_);
    }
    if ((changed.counters & arm64::cycle_counter_bit) != 0) {
      write_register<arm64::pmccntr_el0>(*hw_, g.ccntr);
    }
    const auto has = [&](control c) { return (changed.controls & model::control_bit(c)) != 0; };
    if (has(control::pmuserenr)) write_register<arm64::pmuserenr_el0>(*hw_, g.pmuserenr);
    if (has(control::pmselr)) write_register<arm64::pmselr_el0>(*hw_, g.pmselr);
    if (has(control::pmcr)) write_register<pmcr>(*hw_, g.pmcr);
    if (has(control::cnten)) write_bits<arm64::pmcntenset_el0, arm64::pmcntenclr_el0>(g.cnten);
    if (has(control::inten)) write_bits<arm64::pmintenset_el1, arm64::pmintenclr_el1>(g.inten);
    if (has(control::ovs)) write_bits<arm64::pmovsset_el0, arm64::pmovsclr_el0>(g.ovs);
  }
  // After a trapped write: every guest register it changed goes to hardware (the model is
  // current: pull_for() ran). PMCR.P/C are actions, done by the model on the guest's counters
  // one by one (from EL2 PMCR.P would reset the host's counters too).
  constexpr void push(const model::dirty_registers& changed) {
    const model::arm64_registers& g = guest_.registers();
    const std::uint64_t guest_counters = low_mask(hpmn());
    for (unsigned n : set_bits(changed.config & guest_counters))
      write_pmevtyper(*hw_, n, hw_evtyper_[n]);
    for (unsigned n : set_bits(changed.counters & guest_counters))
      write_pmevcntr(*hw_, n, g.evcntr[n]);
    write_controls(changed);
  }

  Access* hw_;
  arm64_config config_;
  pmu_owner* owner_;
  model::arm64_pmu guest_;
  arm64_trap_config traps_{};
  bool trap_all_ = false;
  bool narrow_counters_ = false;  // guest counters 32 bits, the hardware's 64
  bool narrow_pmcr_ = false;      // the guest's PMCR_EL0 stores fewer bits than the hardware's
  bool pull_more_ = false;        // pull() has more to do than in the common shape (pull_uncommon)
  // Where the guest's registers are. After put(), with an owner, the hardware holds them all
  // except PMCR_EL0.E (current) and those in changed_since_put_ (changed: accesses handled
  // while put, a filter change), provided the owner shows no other vCPU ran here since; stale:
  // unknown (never loaded, no owner, a restore), the next load() writes everything.
  enum class hw_state : std::uint8_t { stale, loaded, current, changed };
  hw_state state_ = hw_state::stale;
  hw_state state_after_put_ = hw_state::stale;  // current with an owner
  model::dirty_registers changed_since_put_{};
  std::uint64_t hw_evtyper_[arm64::max_event_counters] = {};
  std::uint64_t hw_ccfiltr_ = 0;
  low_counters guest_counters_{};   // the guest's event counters, for the unrolled loops
  std::uint64_t guest_mask_ = 0;    // the guest's counters in PMCNTEN/PMINTEN/PMOVS
  std::uint64_t counter_mask_ = 0;  // the guest's event counter width
  std::uint64_t pmcr_keep_ = 0;     // the PMCR_EL0 bits the guest's version stores
};

}  // namespace vpmu
