// SPDX-License-Identifier: MIT
// An x86 register file from outside the vCPU (a migration stream, another policy's saved state)
// judged as the guest's own writes would be (SDM Vol. 3B 21.2, APM Vol. 2 13.2): reserved
// PERFEVTSEL / FIXED_CTR_CTRL / GLOBAL bits (Intel would #GP), counter values wider than the
// counters, AMD HostOnly/GuestOnly (the hypervisor's bits, reserved to a guest), anything in
// counters the guest does not have. The error names the register and the field.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/masks.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/core/supported.hpp"
#include "vpmu/model/amd_pmu.hpp"
#include "vpmu/model/intel_pmu.hpp"

namespace vpmu::model {

namespace detail {
// `v` may set only `allowed` bits of register layout L.
template <class L>
constexpr result<bool> only(const char* name, std::uint64_t v, std::uint64_t allowed) {
  const std::uint64_t bad = v & ~allowed;
  if (bad == 0) return true;
  return error{errc::unsupported, name, field_name_at<L>(bad), bad};
}
constexpr result<bool> fits(const char* name, std::uint64_t v, std::uint64_t mask) {
  if ((v & ~mask) == 0) return true;
  return error{errc::value_too_wide, name, "counter width", v};
}
constexpr result<bool> absent(const char* name, unsigned index, std::uint64_t v) {
  if (v == 0) return true;
  return error{errc::index_out_of_range, name, "index beyond the guest's counters", index};
}
}  // namespace detail

[[nodiscard]] constexpr result<bool> check_guest_registers(const intel_pmu_config& shape,
                                                           const intel_registers& s) {
  using namespace x86;
  using detail::only;
  const intel_pmu probe{shape};
  const intel_caps& c = probe.caps();
  const bool v2 = shape.version >= 2;
  result<bool> ok = true;
  for (unsigned x = 0; ok && x < intel_max_gp_counters; ++x) {
    if (x < shape.gp_counters) {
      ok = detail::fits("IA32_PMCx", s.pmc[x], gp_counter_mask(c));
      if (ok)
        ok = only<ia32_perfevtselx>("IA32_PERFEVTSELx", s.evtsel[x], ~perfevtsel_reserved(c, x));
    } else {
      ok = detail::absent("IA32_PMCx", x, s.pmc[x] | s.evtsel[x]);
    }
  }
  for (unsigned i = 0; ok && i < intel_max_fixed_counters; ++i) {
    ok = c.has_fixed(i) ? detail::fits("IA32_FIXED_CTRx", s.fixed[i], fixed_counter_mask(c))
                        : detail::absent("IA32_FIXED_CTRx", i, s.fixed[i]);
  }
  const intel_registers& reset = probe.registers();
  if (ok) {
    ok = only<ia32_fixed_ctr_ctrl>("IA32_FIXED_CTR_CTRL", s.fixed_ctrl,
                                   v2 ? ~fixed_ctr_ctrl_reserved(c) : 0);
  }
  if (ok) {  // without version 2 there is no GLOBAL_CTRL: it keeps its reset value
    ok = v2 ? only<ia32_perf_global_ctrl>("IA32_PERF_GLOBAL_CTRL", s.global_ctrl,
                                          ~global_ctrl_reserved(c))
            : only<ia32_perf_global_ctrl>("IA32_PERF_GLOBAL_CTRL",
                                          s.global_ctrl ^ reset.global_ctrl, 0);
  }
  if (ok) {
    ok = only<ia32_perf_global_status_bits>("IA32_PERF_GLOBAL_STATUS", s.global_status,
                                            v2 ? ~global_status_reserved(c) : 0);
  }
  if (ok) ok = only<ia32_debugctl>("IA32_DEBUGCTL", s.debugctl, debugctl_writable);
  return ok;
}

[[nodiscard]] constexpr result<bool> check_guest_registers(const amd_pmu_config& shape,
                                                           const amd_registers& s) {
  using namespace x86;
  using detail::only;
  const amd_pmu probe{shape};
  const unsigned counters = probe.config().counters;
  // A guest's PERF_CTL keeps what a guest write keeps (its reserved bits, HostOnly and GuestOnly
  // among them unless the model implements them, are dropped by hardware: a value with them set
  // is one no guest write produced).
  const std::uint64_t ctl_allowed =
      shape.host_guest_bits ? ~amd_perf_ctln::res0 : ~amd_perf_ctl_reserved;
  result<bool> ok = true;
  for (unsigned n = 0; ok && n < amd_core_counters; ++n) {
    if (n < counters) {
      ok = only<amd_perf_ctln>("AMD PERF_CTLn", s.ctl[n], ctl_allowed);
      if (ok) ok = detail::fits("AMD PERF_CTRn", s.ctr[n], amd_counter_mask());
    } else {
      ok = detail::absent("AMD PERF_CTRn", n, s.ctl[n] | s.ctr[n]);
    }
  }
  const std::uint64_t bits = low_mask(counters);
  if (ok) {  // without PerfMonV2 the globals do not exist: they keep their reset values
    ok = shape.perfmon_v2
             ? only<amd_perf_cntr_global_bits>("PERF_CNTR_GLOBAL_CTL", s.global_ctl, bits)
             : only<amd_perf_cntr_global_bits>("PERF_CNTR_GLOBAL_CTL",
                                               s.global_ctl ^ probe.registers().global_ctl, 0);
  }
  if (ok) {
    ok = only<amd_perf_cntr_global_bits>("PERF_CNTR_GLOBAL_STATUS", s.global_status,
                                         shape.perfmon_v2 ? bits : 0);
  }
  return ok;
}

}  // namespace vpmu::model
