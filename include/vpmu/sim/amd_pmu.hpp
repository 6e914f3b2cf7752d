// SPDX-License-Identifier: MIT
// A stand-in AMD CPU for tests and demos: the architectural PMU model (model/amd_pmu.hpp) plus the
// mode it executes in and events retiring there, with the backend view (vpmu::msr_access).
//
// Host/Guest-only counting (PERF_CTL bits 41/40, APM Vol. 2 13.2.1.1): both clear or both set
// counts in both modes; HostOnly counts only outside guest mode, GuestOnly only inside it.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/tags.hpp"
#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/model/amd_pmu.hpp"
#include "vpmu/sim/x86_counting.hpp"

namespace vpmu::sim {

using amd_registers = model::amd_registers;
using amd_pmu_config = model::amd_pmu_config;

class amd_pmu : public model::amd_pmu, public x86_backend_view<amd_pmu> {
  using ctl = x86::amd_perf_ctln;

 public:
  using arch_type = vpmu::arch::amd;
  constexpr explicit amd_pmu(amd_pmu_config config = {}) : model::amd_pmu(config) {}
  [[nodiscard]] static constexpr unsigned counter_width() { return width; }

  constexpr void set_mode(x86_mode m) { mode_ = m; }
  [[nodiscard]] constexpr x86_mode mode() const { return mode_; }

  // `count` occurrences of `event` (12-bit event select | umask << 12) in one cycle.
  constexpr void retire(std::uint32_t event, std::uint64_t count) {
    for (unsigned n = 0; n < config().counters; ++n) {
      const std::uint64_t sel = registers().ctl[n];
      if (!counts(n) || event_of(sel) != event || !ring_allows(sel, mode_)) continue;
      const std::uint64_t delta = selector_increment(sel, count, cmask_[n]);
      if (delta != 0) add_to_counter(n, delta);
    }
  }
  // The selector's event as retire() takes it: EventSelect[11:0] | UnitMask << 12.
  static constexpr std::uint32_t event_of(std::uint64_t sel) {
    const std::uint64_t low = (sel & ctl::event.mask) >> ctl::event.lsb;
    const std::uint64_t high = (sel & ctl::event_hi.mask) >> ctl::event_hi.lsb;
    const std::uint64_t umask = (sel & ctl::unit_mask.mask) >> ctl::unit_mask.lsb;
    return static_cast<std::uint32_t>(low | (high << 8) | (umask << 12));
  }

  // A whole register file put in place (a restore writes every selector): every counter's CMASK
  // edge detection restarts, as a selector write restarts it.
  constexpr void replace_registers(const amd_registers& r) {
    model::amd_pmu::replace_registers(r);
    for (cmask_state& e : cmask_)
      e = {};
  }
  // A selector write restarts its counter's CMASK edge detection.
  constexpr msr_result try_wrmsr(std::uint32_t index, std::uint64_t v) {
    return write_restarting_edge<model::amd_pmu>(*this, cmask_, x86::vendor::amd, index, v);
  }

 private:
  [[nodiscard]] constexpr bool counts(unsigned n) const {  // enabled, globally, in this mode
    if (!counter_enabled(n)) return false;
    const std::uint64_t sel = registers().ctl[n];
    const bool host_only = (sel & ctl::host_only.mask) != 0;
    const bool guest_only = (sel & ctl::guest_only.mask) != 0;
    if (host_only != guest_only) return guest_only == mode_.guest;
    return true;
  }

  x86_mode mode_{};
  cmask_state cmask_[x86::amd_core_counters] = {};
};

static_assert(msr_access<amd_pmu>);

}  // namespace vpmu::sim
