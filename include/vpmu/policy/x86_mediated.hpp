// SPDX-License-Identifier: MIT
// The mediated x86 policy: the guest owns the counters it uses while it runs.
//
// Differences from Linux 7.0's mediated vPMU (x86.md §4), each toward fewer register accesses:
//  - Only counters the guest uses (selector or FIXED_CTR_CTRL nibble non-zero) pass through; the
//    others stay intercepted and live in the model, so load()/put() never touch them. The
//    passthrough list changes when a counter comes into or out of use (trap_config().generation
//    tells the hypervisor). RDPMC exits while any counter is intercepted; its handler is cheap.
//  - Selectors, FIXED_CTR_CTRL and the global registers are always intercepted (KVM intercepts
//    all but the globals), so put() reads only what the guest can change directly: the counters
//    in use and GLOBAL_STATUS.
//  - put() leaves the hardware selectors programmed (no zeroing): counting stops with the global
//    enable (Intel: VM-exit loads GLOBAL_CTRL = 0; AMD: put() writes GLOBAL_CTL = 0), and the host
//    reprograms the counters it schedules anyway.
// Event filter: a denied event reads back as the guest wrote it, but its hardware copy has EN
// clear, so it never counts (as in KVM). AMD hardware copies carry GuestOnly.
//
// Order of load(): counting stopped first (GLOBAL_CTRL / GLOBAL_CTL = 0), then counters, then
// selectors, then status; AMD enables GLOBAL_CTL last. Intel's guest GLOBAL_CTRL is not written:
// the hypervisor programs entry_global_ctrl() into the VMCS guest field, and VM-exit loads 0.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/policy/x86_state.hpp"
#include "vpmu/policy/x86_traps.hpp"
#include "vpmu/policy/x86_vendor.hpp"

namespace vpmu {

template <class Arch, msr_access Access>
class x86_mediated {
  using vendor = x86_vendor<Arch>;
  using model_type = typename vendor::model;

 public:
  using state_type = x86_saved_state<Arch>;

  constexpr x86_mediated(Access& hw, const x86_config& config)
      : hw_(&hw), config_(config), vm_(vendor::make_model(config.shape)) {
    VPMU_ASSERT(config.validated());
    refresh_use();
  }

  [[nodiscard]] constexpr const x86_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr bool loaded() const { return loaded_; }

  // Intel: the value for the VMCS guest IA32_PERF_GLOBAL_CTRL field (VM-entry loads it).
  [[nodiscard]] constexpr std::uint64_t entry_global_ctrl() const {
    return vendor::global_enable(vm_) & use_mask();
  }

  constexpr void load() {
    if (use_mask() == 0) {  // nothing in use: nothing to switch
      loaded_ = true;
      return;
    }
    hw_->wrmsr(vendor::global_ctrl, 0);
    for (unsigned i : set_bits(gp_use_)) {
      hw_->wrmsr(vendor::counter_msr(config_, i), vendor::counter(vm_, i));
      hw_->wrmsr(vendor::selector_msr(config_, i), hw_selector(i));
    }
    if constexpr (vendor::max_fixed > 0) {
      if (fixed_use_ != 0) {
        for (unsigned i : set_bits(fixed_use_)) {
          hw_->wrmsr(vendor::fixed_msr(i), vm_.registers().fixed[i]);
        }
        hw_->wrmsr(vendor::fixed_ctrl, hw_fixed_ctrl());
      }
    }
    // While loaded, a hardware status bit of a counter in use means "overflowed since the last
    // sync" (the guest's own bits stay in the model): clear stale ones.
    const std::uint64_t stale = hw_->rdmsr(vendor::global_status) & use_mask();
    if (stale != 0) hw_->wrmsr(vendor::status_clear, stale);
    if constexpr (vendor::id == x86::vendor::amd) {
      hw_->wrmsr(vendor::global_ctrl, vendor::global_enable(vm_) & use_mask());
    }
    loaded_ = true;
  }

  constexpr void put() {
    if (!loaded_) return;
    loaded_ = false;
    if (use_mask() == 0) return;
    if constexpr (vendor::id == x86::vendor::amd) hw_->wrmsr(vendor::global_ctrl, 0);
    sync_status_from_hw(true);
    for (unsigned i : set_bits(gp_use_)) {
      vendor::counter(vm_, i) = hw_->rdpmc(vendor::rdpmc_gp(i));
    }
    if constexpr (vendor::max_fixed > 0) {
      for (unsigned i : set_bits(fixed_use_)) {
        vm_.registers().fixed[i] = hw_->rdpmc(vendor::rdpmc_fixed(i));
      }
    }
  }

  // --- trapped accesses -----------------------------------------------------------------------
  constexpr msr_result on_rdmsr(std::uint32_t index) {
    if (loaded_) sync_live(index);
    const sim::msr_outcome o = vm_.try_rdmsr(index);
    return {o.value, o.fault};
  }

  constexpr msr_result on_wrmsr(std::uint32_t index, std::uint64_t value) {
    if (loaded_) sync_live(index);
    const sim::msr_outcome o = vm_.try_wrmsr(index, value);
    if (o.fault) return {0, true};
    const std::uint64_t old_use = use_mask();
    refresh_use();
    if (loaded_) write_through(index, old_use);
    return {};
  }

  constexpr msr_result on_rdpmc(std::uint32_t selector) {
    if (loaded_) {
      const unsigned i = selector & 0x3fff'ffff;
      const bool fixed = (selector & (1U << 30)) != 0;
      if (!fixed && i < vendor::max_gp && (gp_use_ & bit(i)) != 0) {
        vendor::counter(vm_, i) = hw_->rdpmc(vendor::rdpmc_gp(i));
      } else if constexpr (vendor::max_fixed > 0) {
        if (fixed && i < vendor::max_fixed && (fixed_use_ & bit(i)) != 0) {
          vm_.registers().fixed[i] = hw_->rdpmc(vendor::rdpmc_fixed(i));
        }
      }
    }
    const sim::msr_outcome o = vm_.try_rdpmc(selector);
    return {o.value, o.fault};
  }

  // The host's PMI handler calls this: guest counters that overflowed while loaded raise the
  // guest's PMI (true = inject it now; the hypervisor delivers through the guest's LVTPC).
  constexpr bool on_host_overflow() {
    if (!loaded_ || use_mask() == 0) return false;
    return sync_status_from_hw(false);
  }
  [[nodiscard]] constexpr bool pending_irq() const { return vm_.pmi_pending(); }
  constexpr void irq_delivered() { vm_.clear_pmi(); }

  [[nodiscard]] constexpr state_type save_state() {
    if (loaded_ && use_mask() != 0) {  // counters in use live in hardware: read, don't disturb
      (void)sync_status_from_hw(false);
      for (unsigned i : set_bits(gp_use_)) {
        vendor::counter(vm_, i) = hw_->rdpmc(vendor::rdpmc_gp(i));
      }
      if constexpr (vendor::max_fixed > 0) {
        for (unsigned i : set_bits(fixed_use_)) {
          vm_.registers().fixed[i] = hw_->rdpmc(vendor::rdpmc_fixed(i));
        }
      }
    }
    return {state_type::current_format, vm_.registers(), vm_.pmi_pending()};
  }
  constexpr result<bool> restore_state(const state_type& s) {
    if (s.format != state_type::current_format) {
      return error{errc::invalid_config, "x86 saved PMU state", "format", s.format};
    }
    const bool was_loaded = loaded_;
    put();
    vm_.registers() = s.registers;
    vm_.set_pmi(s.pmi_pending);
    refresh_use();
    if (was_loaded) load();
    return true;
  }

  [[nodiscard]] constexpr const model_type& model() const { return vm_; }
  // Some guest counter is enabled (the model is current after put()).
  [[nodiscard]] constexpr bool counting() const { return x86_counting(vm_, config_.shape); }
  [[nodiscard]] constexpr std::uint64_t use_mask() const {
    return gp_use_ | (std::uint64_t{fixed_use_} << 32);
  }

 private:
  VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_selector(unsigned i) {
    const std::uint64_t guest = vendor::selector(vm_, i);
    return vendor::hw_selector(guest, filter_allows_selector(config_.filter, vendor::id, guest));
  }
  VPMU_ALWAYS_INLINE constexpr std::uint64_t hw_fixed_ctrl() {
    std::uint64_t v = vm_.registers().fixed_ctrl;
    for (unsigned i = 0; i < vendor::max_fixed; ++i) {
      if (!filter_allows_fixed(config_.filter, i)) v &= ~(std::uint64_t{0xf} << (4 * i));
    }
    return v;
  }

  // Recomputes which counters are in use and the passthrough list.
  constexpr void refresh_use() {
    std::uint64_t gp = 0;
    for (unsigned i = 0; i < config_.shape.gp_counters; ++i) {
      if (vendor::selector(vm_, i) != 0) gp |= bit(i);
    }
    std::uint32_t fixed = 0;
    if constexpr (vendor::max_fixed > 0) {
      for (unsigned i = 0; i < vendor::fixed_counters(config_.shape); ++i) {
        if (((vm_.registers().fixed_ctrl >> (4 * i)) & 0xf) != 0) fixed |= 1U << i;
      }
    }
    if (gp == gp_use_ && fixed == fixed_use_ && traps_.generation != 0) return;
    gp_use_ = gp;
    fixed_use_ = fixed;
    const std::uint32_t generation = traps_.generation + 1;
    traps_ = {};
    traps_.generation = generation;
    for (unsigned i : set_bits(gp_use_)) {
      std::uint32_t aliases[2] = {};
      const unsigned n = vendor::counter_aliases(config_.shape, i, aliases);
      for (unsigned k = 0; k < n; ++k)
        traps_.add(aliases[k]);
    }
    for (unsigned i : set_bits(fixed_use_)) {
      traps_.add(vendor::fixed_msr(i));
    }
    // RDPMC runs unintercepted only when every counter it can name is the guest's and passes
    // through: all guest counters in use, and the guest has as many as the host (else RDPMC
    // would read host counters beyond the guest's).
    const unsigned all = config_.shape.gp_counters + vendor::fixed_counters(config_.shape);
    const bool same_shape = config_.shape.gp_counters == config_.host_gp_counters &&
                            vendor::fixed_counters(config_.shape) == config_.host_fixed_counters;
    traps_.rdpmc_exiting =
        !same_shape || static_cast<unsigned>(__builtin_popcountll(use_mask())) != all;
  }

  // Before a trapped access while loaded: pending overflows of counters in use go into the model
  // first, judged with the interrupt setting they happened under (a selector or FIXED_CTR_CTRL
  // write may change it) and visible to status accesses.
  constexpr void sync_live(std::uint32_t index) {
    if (use_mask() == 0) return;
    const x86::msr_ref r = x86::decode_msr(vendor::id, index);
    switch (r.reg) {
      case x86::pmu_msr::global_status:
      case x86::pmu_msr::global_ovf_ctrl:
      case x86::pmu_msr::global_status_set:
      case x86::pmu_msr::amd_global_status:
      case x86::pmu_msr::amd_global_status_clr:
      case x86::pmu_msr::amd_global_status_set:
      case x86::pmu_msr::perfevtsel:
      case x86::pmu_msr::amd_perf_ctl:
      case x86::pmu_msr::fixed_ctr_ctrl: (void)sync_status_from_hw(false); break;
      default: break;
    }
  }

  // New overflows of counters in use (hardware status bits set since the last sync) go into the
  // model's GLOBAL_STATUS, raise the guest's PMI for counters with their interrupt enabled (as
  // the architecture does on every overflow), and are cleared in hardware. Returns whether a PMI
  // was raised. `clear` is unused: bits are always cleared, so the next overflow is seen again.
  VPMU_ALWAYS_INLINE constexpr bool sync_status_from_hw(bool clear) {
    (void)clear;
    const std::uint64_t fresh = hw_->rdmsr(vendor::global_status) & use_mask();
    if (fresh == 0) return false;
    hw_->wrmsr(vendor::status_clear, fresh);
    vendor::status(vm_) |= fresh;
    bool raise = false;
    for (unsigned b : set_bits(fresh))
      raise |= vendor::interrupt_enabled(vm_, b);
    if (raise) vm_.set_pmi(true);
    return raise;
  }

  // After a trapped write while loaded: make the hardware match the model.
  constexpr void write_through(std::uint32_t index, std::uint64_t old_use) {
    const std::uint64_t now = use_mask();
    if (now != old_use) change_use(old_use, now);
    const x86::msr_ref r = x86::decode_msr(vendor::id, index);
    switch (r.reg) {
      case x86::pmu_msr::perfevtsel:
      case x86::pmu_msr::amd_perf_ctl:
        if ((now & bit(r.index)) != 0)
          hw_->wrmsr(vendor::selector_msr(config_, r.index), hw_selector(r.index));
        break;
      case x86::pmu_msr::fixed_ctr_ctrl:
        if constexpr (vendor::max_fixed > 0) hw_->wrmsr(vendor::fixed_ctrl, hw_fixed_ctrl());
        break;
      case x86::pmu_msr::amd_global_ctl:
        if constexpr (vendor::id == x86::vendor::amd) {
          hw_->wrmsr(vendor::global_ctrl, vendor::global_enable(vm_) & now);
        }
        break;
      default: break;  // GLOBAL_CTRL (Intel): entry_global_ctrl() changed; counters: model only
    }
  }

  // Counters come into or leave use while loaded: the leaving ones' values and status bits come
  // back into the model, the entering ones' go to hardware, and the enables follow.
  constexpr void change_use(std::uint64_t old_use, std::uint64_t now) {
    (void)sync_status_from_hw(false);  // pending overflows of the counters leaving use
    for (unsigned b : set_bits(old_use & ~now)) {
      if (b < 32) {
        vendor::counter(vm_, b) = hw_->rdpmc(vendor::rdpmc_gp(b));
      } else if constexpr (vendor::max_fixed > 0) {
        vm_.registers().fixed[b - 32] = hw_->rdpmc(vendor::rdpmc_fixed(b - 32));
      }
    }
    for (unsigned b : set_bits(now & ~old_use)) {
      if (b < 32) {
        hw_->wrmsr(vendor::counter_msr(config_, b), vendor::counter(vm_, b));
        hw_->wrmsr(vendor::selector_msr(config_, b), hw_selector(b));
      } else if constexpr (vendor::max_fixed > 0) {
        hw_->wrmsr(vendor::fixed_msr(b - 32), vm_.registers().fixed[b - 32]);
      }
    }
    const std::uint64_t stale = hw_->rdmsr(vendor::global_status) & now & ~old_use;
    if (stale != 0) hw_->wrmsr(vendor::status_clear, stale);
    if constexpr (vendor::id == x86::vendor::amd) {
      hw_->wrmsr(vendor::global_ctrl, vendor::global_enable(vm_) & now);
    }
  }

  Access* hw_;
  x86_config config_;
  model_type vm_;
  std::uint64_t gp_use_ = 0;
  std::uint32_t fixed_use_ = 0;
  x86_trap_config traps_{};
  bool loaded_ = false;
};

}  // namespace vpmu
