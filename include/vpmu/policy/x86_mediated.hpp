// SPDX-License-Identifier: MIT
// The mediated x86 policy: the guest owns the counters it uses while it runs.
//
// Differences from Linux 7.0's mediated vPMU (arch/x86/kvm/pmu.c, kvm_mediated_pmu_load/put),
// each toward fewer register accesses:
//  - Only counters the guest uses (selector or FIXED_CTR_CTRL field non-zero) pass through; the
//    others stay intercepted and live in the model, so load()/put() never touch them. The
//    passthrough list changes when a counter comes into or out of use (trap_config().generation
//    tells the hypervisor). RDPMC exits while any counter is intercepted; its handler is cheap.
//  - Selectors, FIXED_CTR_CTRL and the global registers are always intercepted (KVM intercepts
//    all but the globals), so put() reads only what the guest can change directly: the counters
//    in use and GLOBAL_STATUS.
//  - put() stops counting with the global enable (Intel: VM-exit loads GLOBAL_CTRL = 0; AMD: put()
//    writes GLOBAL_CTL = 0), then, as KVM's put does, leaves no guest selector enabled and no
//    guest value in a counter: it zeroes only those not already zero (pull_and_scrub()).
//  - Reserved counters: a hypervisor whose host perf never uses the counters its guests use on
//    this CPU says so by giving the vCPU the CPU's pmu_owner. put() then leaves the stopped
//    guest state in place (nothing else reads or uses those counters), and a reload on the CPU it
//    left, with nothing changed meanwhile, writes nothing but the global enable (AMD). A reload
//    after another vCPU ran there writes everything, as without an owner.
// Event filter: a denied event reads back as the guest wrote it, but its hardware copy has EN
// clear, so it never counts (as in KVM). AMD hardware copies carry GuestOnly.
//
// Order of load(): counting stopped first (GLOBAL_CTRL / GLOBAL_CTL = 0), then counters, then
// selectors, then status; AMD enables GLOBAL_CTL last. Intel's guest GLOBAL_CTRL is not written:
// the hypervisor programs entry_global_ctrl() into the VMCS guest field, and VM-exit loads 0.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/model/x86_saved_state.hpp"
#include "vpmu/policy/pmu_owner.hpp"
#include "vpmu/policy/x86_traps.hpp"
#include "vpmu/policy/x86_vendor.hpp"

namespace vpmu {

template <class Arch, msr_access Access>
class x86_mediated {
  using vendor = x86_vendor<Arch>;
  using model_type = typename vendor::model;

 public:
  using state_type = model::x86_saved_state<Arch>;

  // owner: this CPU's pmu_owner when the hypervisor reserves the guests' counters on it (see
  // "Reserved counters" above); nullptr: host perf may use them between runs.
  constexpr x86_mediated(Access& hw, const x86_config& config, pmu_owner* owner = nullptr)
      : hw_(&hw), config_(config), owner_(owner), guest_(vendor::make_model(config.shape)) {
    VPMU_ASSERT(config.validated());
    for (unsigned i = 0; i < vendor::max_gp; ++i)
      counter_msr_[i] = vendor::counter_msr(config, i);
    compute_hw_selectors(~std::uint64_t{0});
    refresh_use();
  }

  // The hypervisor changed the VM's event filter (the object config.filter points at): the
  // hardware copies follow, in hardware too if the vCPU is loaded.
  constexpr void on_filter_change() {
    compute_hw_selectors(~std::uint64_t{0});
    if (!loaded_) {
      hw_current_ = false;
      return;
    }
    for (unsigned b : set_bits(use_ & x86::gp_counter_bits)) {
      hw_->wrmsr(vendor::selector_msr(b), hw_selector(b));
    }
    if constexpr (vendor::max_fixed > 0) {
      if ((use_ & ~x86::gp_counter_bits) != 0) {
        write_register<typename vendor::fixed_ctrl>(*hw_, hw_fixed_ctrl());
      }
    }
  }

  [[nodiscard]] constexpr const x86_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr bool loaded() const { return loaded_; }

  // Intel: the value for the VMCS guest IA32_PERF_GLOBAL_CTRL field (VM-entry loads it).
  [[nodiscard]] constexpr std::uint64_t entry_global_ctrl() const {
    return vendor::global_enable(guest_) & use_;
  }

  VPMU_ALWAYS_INLINE constexpr void load() {
    loaded_ = true;
    if (use_ == 0) return;  // nothing in use: nothing to switch
    if (owner_ != nullptr && owner_->vcpu == this && hw_current_ && global_control()) {
      enable_globals();  // reserved counters still hold this vCPU's state (AMD: GLOBAL_CTL)
      return;
    }
    if (global_control()) write_register<typename vendor::global_ctrl>(*hw_, 0);
    push_counters(use_);
    if constexpr (vendor::max_fixed > 0) {
      if ((use_ & ~x86::gp_counter_bits) != 0)
        hw_->wrmsr(vendor::fixed_ctrl::msr.index, hw_fixed_ctrl());
    }
    clear_stale_status(use_);
    enable_globals();
    if (owner_ != nullptr) owner_->vcpu = this;
  }

  VPMU_ALWAYS_INLINE constexpr void put() {
    if (!loaded_) return;
    loaded_ = false;
    if (use_ == 0) return;
    if (!global_control()) {
      stop_selectors(use_);  // no global enable: the selectors' EN is the only switch
    } else if constexpr (vendor::id == x86::vendor::amd) {
      write_register<typename vendor::global_ctrl>(*hw_, 0);
    }
    (void)take_hw_overflow();
    if (owner_ != nullptr && global_control()) {  // reserved counters: the state stays, stopped
      pull_counters(use_);
      hw_current_ = true;
      return;
    }
    pull_and_scrub(use_);
  }

  // --- trapped accesses -----------------------------------------------------------------------
  constexpr msr_result on_rdmsr(std::uint32_t index) {
    if (loaded_) sync_live(index);
    return guest_.try_rdmsr(index);
  }

  constexpr msr_result on_wrmsr(std::uint32_t index, std::uint64_t value) {
    if (loaded_) sync_live(index);
    if (!loaded_) hw_current_ = false;  // the model may change while the hardware does not
    const msr_result o = guest_.try_wrmsr(index, value);
    const model::dirty_registers changed = guest_.take_dirty();
    if (o.fault) return o;
    compute_hw_selectors(changed.config);
    const std::uint64_t old_use = use_;
    refresh_use();
    if (loaded_) write_through(changed, old_use);
    return o;
  }

  constexpr msr_result on_rdpmc(std::uint32_t selector) {
    if (loaded_) {
      const unsigned i = selector & x86::rdpmc_index_mask;
      const bool fixed = (selector & x86::rdpmc_fixed_flag) != 0;
      if (!global_control()) (void)take_hw_overflow();  // see wraps before reading counters
      if (i < x86::first_fixed_bit)
        pull_counters(use_ & (fixed ? x86::fixed_counter_bit(i) : bit(i)));
    }
    return guest_.try_rdpmc(selector);
  }

  // The host's PMI handler calls this: guest counters that overflowed while loaded raise the
  // guest's PMI (true = inject it now; the hypervisor delivers through the guest's LVTPC).
  constexpr bool on_host_overflow() {
    if (!loaded_ || use_ == 0) return false;
    return take_hw_overflow();
  }
  [[nodiscard]] constexpr bool irq_pending() { return guest_.irq_pending(); }
  constexpr void irq_delivered() { guest_.clear_irq(); }

  [[nodiscard]] constexpr state_type save_state() {
    if (loaded_ && use_ != 0) {  // counters in use live in hardware: read, don't disturb
      (void)take_hw_overflow();
      pull_counters(use_);
    }
    return {state_type::current_format, guest_.config(), guest_.registers(), guest_.irq_pending()};
  }
  constexpr result<bool> restore_state(const state_type& s) {
    if (auto bad = model::check_saved_state(s, guest_.config()); !bad) return bad;
    const bool was_loaded = loaded_;
    put();
    guest_.replace_registers(s.registers);
    (void)guest_.take_dirty();  // load() below writes everything in use
    hw_current_ = false;
    compute_hw_selectors(~std::uint64_t{0});
    guest_.set_irq(s.irq_pending);
    refresh_use();
    if (was_loaded) load();
    return true;
  }

  // Some guest counter is enabled (the model is current after put()).
  [[nodiscard]] constexpr bool counting() const { return guest_.any_counter_enabled(); }

 private:
  // The hardware copy of guest selector i, as computed when it last changed.
  VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_selector(unsigned i) const { return hw_sel_[i]; }
  // Hardware copies are computed where their inputs change -- a selector write, a restore, a
  // filter change -- never in load(): a filter of up to 300 masked entries costs a scan then, not
  // at every world switch (as KVM keeps eventsel_hw).
  constexpr void compute_hw_selectors(std::uint64_t which) {
    for (unsigned i : set_bits(which & low_mask(vendor::max_gp))) {
      const std::uint64_t guest = vendor::selector(guest_, i);
      hw_sel_[i] =
          vendor::hw_selector(guest, filter_allows_selector(config_.filter, vendor::id, guest));
    }
  }
  VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_fixed_ctrl() const {
    std::uint64_t v = 0;
    if constexpr (vendor::max_fixed > 0) {
      v = guest_.registers().fixed_ctrl;
      for (unsigned i = 0; i < vendor::max_fixed; ++i) {
        if (!filter_allows_fixed(config_.filter, i)) {
          v &= ~x86::fixed_field::at(i, x86::fixed_field::all);
        }
      }
    }
    return v;
  }

  // gp(i) for each GP counter i among `which` (GLOBAL_CTRL numbering), then fixed(i) for each
  // fixed counter i: each loop knows the kind of its counters, no test per counter. (Only the
  // vendor's GP counters are looked at: GCC -O2 then sees that AMD's six-counter array is never
  // indexed past its end. `fixed` is generic, `[&](auto i)`: AMD never instantiates it.)
  template <class Gp, class Fixed>
  VPMU_ALWAYS_INLINE constexpr void for_each_counter(std::uint64_t which, Gp gp, Fixed fixed) {
    for (unsigned i : set_bits(which & low_mask(vendor::max_gp)))
      gp(i);
    if constexpr (vendor::max_fixed > 0) {
      for (unsigned i : set_bits(which >> x86::first_fixed_bit))
        fixed(i);
    }
  }
  // The model's GP counter i and fixed counter i (the latter a template: only vendors with fixed
  // counters instantiate it).
  VPMU_ALWAYS_INLINE constexpr std::uint64_t& gp_counter(unsigned i) {
    return vendor::gp_counter(guest_, i);
  }
  template <class V = vendor>
  VPMU_ALWAYS_INLINE constexpr std::uint64_t& fixed_counter(unsigned i) {
    return V::fixed_counter(guest_, i);
  }
  // Guest counters (GLOBAL_CTRL numbering) from the model into hardware: value, then selector.
  VPMU_ALWAYS_INLINE constexpr void push_counters(std::uint64_t which) {
    for_each_counter(
        which,
        [&](unsigned i) VPMU_ALWAYS_INLINE_LAMBDA {
          hw_->wrmsr(counter_msr_[i], gp_counter(i));
          hw_->wrmsr(vendor::selector_msr(i), hw_selector(i));
        },
        [&](auto i)
            VPMU_ALWAYS_INLINE_LAMBDA { hw_->wrmsr(x86::fixed_ctr_msr(i), fixed_counter(i)); });
  }
  // Guest counters from hardware into the model (RDPMC: the fastest read of a counter).
  VPMU_ALWAYS_INLINE constexpr void pull_counters(std::uint64_t which) {
    for_each_counter(
        which,
        [&](unsigned i) VPMU_ALWAYS_INLINE_LAMBDA { gp_counter(i) = hw_->rdpmc(x86::rdpmc_gp(i)); },
        [&](auto i)
            VPMU_ALWAYS_INLINE_LAMBDA { fixed_counter(i) = hw_->rdpmc(x86::rdpmc_fixed(i)); });
  }
  VPMU_ALWAYS_INLINE constexpr std::uint64_t read_counter(unsigned b) {
    return hw_->rdpmc(x86::is_fixed_counter_bit(b) ? x86::rdpmc_fixed(x86::fixed_index_of_bit(b))
                                                   : x86::rdpmc_gp(b));
  }
  // put()'s one pass over the counters in use: each count into the model, then what KVM's put
  // does for the same reason: once the host's perf takes the PMU back, no guest control stays
  // enabled in hardware and no guest value stays in a counter. Only what is not already zero is
  // written. (Without global control the selectors were stopped already.)
  VPMU_ALWAYS_INLINE constexpr void pull_and_scrub(std::uint64_t which) {
    const bool selectors_enabled = global_control();
    for_each_counter(
        which,
        [&](unsigned i) VPMU_ALWAYS_INLINE_LAMBDA {
          const std::uint64_t v = hw_->rdpmc(x86::rdpmc_gp(i));
          gp_counter(i) = v;
          if (v != 0) hw_->wrmsr(counter_msr_[i], 0);
          if (selectors_enabled && hw_selector(i) != 0) hw_->wrmsr(vendor::selector_msr(i), 0);
        },
        [&](auto i) VPMU_ALWAYS_INLINE_LAMBDA {
          const std::uint64_t v = hw_->rdpmc(x86::rdpmc_fixed(i));
          fixed_counter(i) = v;
          if (v != 0) hw_->wrmsr(x86::fixed_ctr_msr(i), 0);
        });
    if constexpr (vendor::max_fixed > 0) {
      if ((which & ~x86::gp_counter_bits) != 0 && hw_fixed_ctrl() != 0) {
        write_register<typename vendor::fixed_ctrl>(*hw_, 0);
      }
    }
  }
  VPMU_ALWAYS_INLINE constexpr void scrub_counters(std::uint64_t which) {
    for_each_counter(
        which,
        [&](unsigned i) VPMU_ALWAYS_INLINE_LAMBDA {
          if (gp_counter(i) != 0) hw_->wrmsr(counter_msr_[i], 0);
        },
        [&](auto i) VPMU_ALWAYS_INLINE_LAMBDA {
          if (fixed_counter(i) != 0) hw_->wrmsr(x86::fixed_ctr_msr(i), 0);
        });
  }
  VPMU_ALWAYS_INLINE constexpr void stop_selectors(std::uint64_t which) {
    for (unsigned b : set_bits(which & x86::gp_counter_bits))
      hw_->wrmsr(vendor::selector_msr(b), 0);
  }
  // A hardware status bit of a counter entering use is stale: clear it.
  VPMU_ALWAYS_INLINE constexpr void clear_stale_status(std::uint64_t entering) {
    if (!global_control()) {  // no status register: remember where the counters start instead
      for (unsigned b : set_bits(entering))
        last_[b] = vendor::counter(guest_, b);
      return;
    }
    const std::uint64_t stale = read_register<typename vendor::global_status>(*hw_) & entering;
    if (stale != 0) write_register<typename vendor::status_clear>(*hw_, stale);
  }
  VPMU_ALWAYS_INLINE constexpr void enable_globals() {
    if constexpr (vendor::id == x86::vendor::amd) {
      if (global_control()) {
        write_register<typename vendor::global_ctrl>(*hw_, vendor::global_enable(guest_) & use_);
      }
    }
  }
  [[nodiscard]] VPMU_ALWAYS_INLINE constexpr bool global_control() const {
    return config_.host_global_control;
  }
  // Without a status register: the counters in `in_use` that wrapped since they were last seen
  // (a 48-bit counter cannot gain 2^48 events between two looks).
  VPMU_ALWAYS_INLINE constexpr std::uint64_t wrapped_counters(std::uint64_t in_use) {
    std::uint64_t wrapped = 0;
    for (unsigned b : set_bits(in_use & x86::gp_counter_bits)) {
      const std::uint64_t now = read_counter(b);
      if (now < last_[b]) wrapped |= bit(b);
      last_[b] = now;
    }
    return wrapped;
  }

  // Recomputes which counters are in use and the passthrough list.
  constexpr void refresh_use() {
    std::uint64_t use = 0;
    for (unsigned i = 0; i < config_.shape.gp_counters; ++i) {
      if (vendor::selector(guest_, i) != 0) use |= bit(i);
    }
    if constexpr (vendor::max_fixed > 0) {
      for (unsigned i = 0; i < vendor::fixed_counters(config_.shape); ++i) {
        if (x86::fixed_field::field(guest_.registers().fixed_ctrl, i) != 0)
          use |= x86::fixed_counter_bit(i);
      }
    }
    if (use == use_ && traps_.generation != 0) return;
    use_ = use;
    const std::uint32_t generation = traps_.generation + 1;
    traps_ = {};
    traps_.generation = generation;
    // Without global control the counters stay intercepted even in use: vpmu must see every
    // value the guest writes to tell a wrap from a write (wrapped_counters()).
    for (unsigned b : set_bits(global_control() ? use_ : 0)) {
      if (x86::is_fixed_counter_bit(b)) {
        traps_.add(x86::fixed_ctr_msr(x86::fixed_index_of_bit(b)));
        continue;
      }
      std::uint32_t aliases[2] = {};
      const unsigned n = vendor::counter_aliases(config_.shape, b, aliases);
      for (unsigned k = 0; k < n; ++k)
        traps_.add(aliases[k]);
    }
    // RDPMC runs unintercepted only when every counter it can name is the guest's and passes
    // through: all guest counters in use, and the guest has as many as the host (else RDPMC
    // would read host counters beyond the guest's).
    const unsigned all = config_.shape.gp_counters + vendor::fixed_counters(config_.shape);
    const bool same_shape = config_.shape.gp_counters == config_.host_gp_counters &&
                            vendor::fixed_counters(config_.shape) == config_.host_fixed_counters;
    traps_.rdpmc_exiting = !same_shape || bit_count(use_) != all || !global_control();
  }

  // Before a trapped access while loaded: pending overflows of counters in use go into the model
  // first, judged with the interrupt setting they happened under (a selector or FIXED_CTR_CTRL
  // write may change it) and visible to status accesses.
  constexpr void sync_live(std::uint32_t index) {
    if (use_ == 0) return;
    switch (x86::decode_msr(vendor::id, index).reg) {
      case x86::pmu_msr::global_status:
      case x86::pmu_msr::global_ovf_ctrl:
      case x86::pmu_msr::global_status_set:
      case x86::pmu_msr::amd_global_status:
      case x86::pmu_msr::amd_global_status_clr:
      case x86::pmu_msr::amd_global_status_set:
      case x86::pmu_msr::perfevtsel:
      case x86::pmu_msr::amd_perf_ctl:
      case x86::pmu_msr::fixed_ctr_ctrl: (void)take_hw_overflow(); break;
      case x86::pmu_msr::amd_perf_ctr:
      case x86::pmu_msr::pmc:
      case x86::pmu_msr::a_pmc:
      case x86::pmu_msr::fixed_ctr:
        // A counter in use trapped: it passes through only once the hypervisor has refreshed its
        // bitmap (and never without global control), so the hardware has its value.
        if (!global_control()) (void)take_hw_overflow();
        pull_counters(use_);
        break;
      default: break;
    }
  }

  // New overflows of counters in use (hardware status bits set since the last sync) go into the
  // model (model::overflow: status, and the PMI for counters with their interrupt enabled) and
  // are cleared in hardware, so the next overflow is seen again. Returns whether a PMI was raised.
  VPMU_ALWAYS_INLINE constexpr bool take_hw_overflow() { return take_hw_overflow(use_); }
  VPMU_ALWAYS_INLINE constexpr bool take_hw_overflow(std::uint64_t in_use) {
    if (!global_control()) {
      const std::uint64_t wrapped = wrapped_counters(in_use);
      return wrapped != 0 && guest_.overflow(wrapped);
    }
    const std::uint64_t fresh = read_register<typename vendor::global_status>(*hw_) & in_use;
    if (fresh == 0) return false;
    write_register<typename vendor::status_clear>(*hw_, fresh);
    return guest_.overflow(fresh);
  }

  // After a trapped write while loaded: the registers it changed go to hardware.
  constexpr void write_through(const model::dirty_registers& changed, std::uint64_t old_use) {
    if (use_ != old_use) change_use(old_use);
    for (unsigned b : set_bits(changed.config & use_ & x86::gp_counter_bits & old_use)) {
      hw_->wrmsr(vendor::selector_msr(b), hw_selector(b));
    }
    if constexpr (vendor::max_fixed > 0) {
      if ((changed.config & ~x86::gp_counter_bits) != 0)
        hw_->wrmsr(vendor::fixed_ctrl::msr.index, hw_fixed_ctrl());
    }
    if ((changed.controls & model::control_bit(model::x86_control::global_ctrl)) != 0) {
      enable_globals();  // Intel: entry_global_ctrl() changed instead
    }
    // A trapped write of a counter in use (intercepted until the hypervisor refreshes its bitmap,
    // always without global control) goes to the hardware that counts it.
    for_each_counter(
        changed.counters & use_ & old_use,
        [&](unsigned i) {
          hw_->wrmsr(counter_msr_[i], gp_counter(i));
          last_[i] = gp_counter(i);
        },
        [&](auto i) { hw_->wrmsr(x86::fixed_ctr_msr(i), fixed_counter(i)); });
  }

  // Counters come into or leave use while loaded: the leaving ones' values and status bits come
  // back into the model, the entering ones' go to hardware, and the enables follow.
  constexpr void change_use(std::uint64_t old_use) {
    const std::uint64_t leaving = old_use & ~use_, entering = use_ & ~old_use;
    (void)take_hw_overflow(old_use);  // pending overflows of the counters that were in use
    pull_counters(leaving);
    // Leaving use: the hardware still holds the old selector (the guest's write went to the
    // model only), so it is stopped; FIXED_CTR_CTRL follows the guest's write below.
    stop_selectors(leaving);
    scrub_counters(leaving);
    if constexpr (vendor::id == x86::vendor::intel) {
      // Counters entering use start counting only at VM entry (the VMCS guest GLOBAL_CTRL): until
      // then the host's GLOBAL_CTRL, whatever it holds, must not enable them.
      if (entering != 0 && old_use == 0) write_register<typename vendor::global_ctrl>(*hw_, 0);
    }
    push_counters(entering);
    clear_stale_status(entering);
    enable_globals();
  }

  Access* hw_;
  x86_config config_;
  pmu_owner* owner_;
  model_type guest_;
  std::uint64_t use_ = 0;  // counters in use (they pass through), GLOBAL_CTRL numbering
  std::uint64_t hw_sel_[vendor::max_gp] = {};       // hardware copies of the guest's selectors
  std::uint32_t counter_msr_[vendor::max_gp] = {};  // the host MSR that writes GP counter i
  // Without global control: each counter's value when last seen, to see it wrap.
  std::uint64_t last_[vendor::max_gp] = {};
  x86_trap_config traps_{};
  bool loaded_ = false;
  // Reserved counters only: since put(), nothing changed the guest's registers behind the
  // hardware's back (no write handled while put, no restore, no filter change).
  bool hw_current_ = false;
};

}  // namespace vpmu
