// SPDX-License-Identifier: MIT
// The emulated x86 policy: every guest PMU access traps; guest counters are backed by host
// counters from a provider (policy/emulated_base.hpp: Linux KVM's perf-based vPMU design).
//
// A host counter exists only for a guest counter that counts (enabled locally and globally, and
// allowed by the event filter: a denied event gets no host counter, as in KVM). A fixed counter is
// backed by its architectural event (SDM Table 21-2), as KVM asks perf for it.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/events.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/host/counter_provider.hpp"
#include "vpmu/model/x86_saved_state.hpp"
#include "vpmu/policy/emulated_base.hpp"
#include "vpmu/policy/x86_traps.hpp"
#include "vpmu/policy/x86_vendor.hpp"

namespace vpmu {

template <class Arch, counter_provider Provider>
class x86_emulated
    : public emulated_base<x86_emulated<Arch, Provider>, Provider, typename x86_vendor<Arch>::model,
                           x86::first_fixed_bit + x86_vendor<Arch>::max_fixed> {
  using vendor = x86_vendor<Arch>;
  using base = emulated_base<x86_emulated, Provider, typename vendor::model,
                             x86::first_fixed_bit + vendor::max_fixed>;
  friend base;

 public:
  using state_type = model::x86_saved_state<Arch>;
  // Counters in GLOBAL_CTRL numbering: GP x = bit x, fixed i = bit 32 + i.
  static constexpr std::uint64_t counters =
      low_mask(vendor::max_gp) | (low_mask(vendor::max_fixed) << x86::first_fixed_bit);

  constexpr x86_emulated(Provider& perf, const x86_config& config)
      : base(perf, vendor::make_model(config.shape)), config_(config) {
    VPMU_ASSERT(config.validated());
    traps_.generation = 1;  // everything intercepted, RDPMC exits
  }

  [[nodiscard]] constexpr const x86_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr std::uint64_t entry_global_ctrl() const { return 0; }

  constexpr msr_result on_rdmsr(std::uint32_t index) {
    this->fold_all();
    return this->guest_.try_rdmsr(index);
  }
  constexpr msr_result on_wrmsr(std::uint32_t index, std::uint64_t value) {
    this->fold_all();
    const msr_result o = this->guest_.try_wrmsr(index, value);
    if (!o.fault) this->after_write();
    return o;
  }
  constexpr msr_result on_rdpmc(std::uint32_t selector) {
    this->fold_all();
    return this->guest_.try_rdpmc(selector);
  }
  constexpr void irq_delivered() { this->guest_.clear_irq(); }

 private:
  [[nodiscard]] constexpr state_type snapshot() const {
    return {state_type::current_format, this->guest_.config(), this->guest_.registers(),
            this->guest_.irq_pending()};
  }
  constexpr void apply(const state_type& s) {
    this->guest_.replace_registers(s.registers);
    this->guest_.set_irq(s.irq_pending);
  }
  [[nodiscard]] constexpr std::uint64_t period(unsigned k) const {
    const unsigned w =
        x86::is_fixed_counter_bit(k) ? config_.shape.fixed_width : config_.shape.gp_width;
    return distance_to_overflow(vendor::counter(this->guest_, k), w);
  }
  constexpr void add(unsigned k, std::uint64_t delta) { vendor::add(this->guest_, k, delta); }

  // What counter k should count now (0: nothing).
  [[nodiscard]] constexpr std::uint64_t desired(unsigned k) const {
    if (!vendor::enabled(this->guest_, k)) return 0;
    if (!x86::is_fixed_counter_bit(k)) {
      if (k >= config_.shape.gp_counters) return 0;
      const std::uint64_t sel = vendor::selector(this->guest_, k);
      return filter_allows_selector(config_.filter, vendor::id, sel) ? sel : 0;
    }
    if constexpr (vendor::max_fixed > 0) {
      const unsigned i = x86::fixed_index_of_bit(k);
      if (i >= vendor::fixed_counters(config_.shape) || !filter_allows_fixed(config_.filter, i)) {
        return 0;
      }
      using sel = x86::ia32_perfevtselx;
      namespace fc = x86::fixed_field;
      const std::uint64_t field = fc::field(this->guest_.registers().fixed_ctrl, i);
      return x86::intel_event::fixed_counter_event(i) | sel::en.mask |
             ((field & fc::os) != 0 ? sel::os.mask : 0) |
             ((field & fc::usr) != 0 ? sel::usr.mask : 0);
    }
    return 0;
  }

  x86_config config_;
  x86_trap_config traps_{};
};

}  // namespace vpmu
