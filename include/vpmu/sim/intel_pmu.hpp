// SPDX-License-Identifier: MIT
// A stand-in Intel CPU for tests and demos: the architectural PMU model (model/intel_pmu.hpp) plus
// the mode it executes in and events retiring there (deterministic: events and time come only
// from the caller), with the backend view (rdmsr/wrmsr/rdpmc, vpmu::msr_access) that policies
// use as if it were hardware.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/tags.hpp"
#include "vpmu/arch/x86/events.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/model/intel_pmu.hpp"
#include "vpmu/sim/x86_counting.hpp"

namespace vpmu::sim {

namespace intel_event = x86::intel_event;
using intel_registers = model::intel_registers;
using intel_pmu_config = model::intel_pmu_config;

class intel_pmu : public model::intel_pmu, public x86_backend_view<intel_pmu> {
 public:
  using arch_type = vpmu::arch::intel;
  constexpr explicit intel_pmu(intel_pmu_config config = {}) : model::intel_pmu(config) {}
  // The GP counters' width: what a host_perf over this CPU is told.
  [[nodiscard]] constexpr unsigned counter_width() const { return config().gp_width; }

  constexpr void set_mode(x86_mode m) { mode_ = m; }
  [[nodiscard]] constexpr x86_mode mode() const { return mode_; }

  // `count` occurrences of `event` (event select | umask << 8) in one cycle, in the current mode.
  constexpr void retire(std::uint16_t event, std::uint64_t count) {
    using sel_layout = x86::ia32_perfevtselx;
    for (unsigned x = 0; x < config().gp_counters; ++x) {
      const std::uint64_t sel = registers().evtsel[x];
      const auto sel_event =
          static_cast<std::uint16_t>(sel & (sel_layout::event.mask | sel_layout::umask.mask));
      if (!gp_enabled(x) || sel_event != event || !ring_allows(sel, mode_)) continue;
      add_to_gp(x, selector_increment(sel, count, cmask_[x]));
    }
    for (unsigned i = 0; i < caps().fixed_counters && i < x86::intel_max_fixed_counters; ++i) {
      if (x86::intel_event::fixed_counter_event(i) == event && fixed_counts(i)) {
        add_to_fixed(i, count);
      }
    }
  }
  constexpr void cycles(std::uint64_t n) {
    retire(intel_event::core_cycles, n);
    retire(intel_event::ref_cycles, n);
  }
  constexpr void instructions(std::uint64_t n) { retire(intel_event::instructions, n); }

  // A whole register file put in place (a restore writes every selector): every counter's CMASK
  // edge detection restarts, as a selector write restarts it.
  constexpr void replace_registers(const intel_registers& r) {
    model::intel_pmu::replace_registers(r);
    for (cmask_state& e : cmask_)
      e = {};
  }
  // A selector write restarts its counter's CMASK edge detection.
  constexpr msr_result try_wrmsr(std::uint32_t index, std::uint64_t v) {
    return write_restarting_edge<model::intel_pmu>(*this, cmask_, x86::vendor::intel, index, v);
  }

 private:
  [[nodiscard]] constexpr bool fixed_counts(unsigned i) const {
    const std::uint64_t ring = mode_.ring == 0 ? x86::fixed_field::os : x86::fixed_field::usr;
    return (x86::fixed_field::field(registers().fixed_ctrl, i) & ring) != 0 &&
           (registers().global_ctrl & x86::fixed_counter_bit(i)) != 0;
  }

  x86_mode mode_{};
  cmask_state cmask_[x86::intel_max_gp_counters] = {};
};

static_assert(msr_access<intel_pmu>);

}  // namespace vpmu::sim
