// SPDX-License-Identifier: MIT
// What a simulated x86 CPU adds around a PMU model: the mode it executes in, how one general-
// purpose counter counts a batch of events, and the hypervisor's (backend) view of the registers.
//
// The PERFEVTSEL low 32 bits have the same meaning on both vendors (SDM Vol. 3B 21.2.1.1,
// APM Vol. 2 13.2.1):
//   CMASK = 0       the counter adds every occurrence;
//   CMASK = c > 0   the counter adds 1 per cycle in which at least c occurrences happened
//                   (fewer than c when INV is set);
//   E (edge) + CMASK counts rising edges of that per-cycle condition.
// The simulator treats one retire() call as one cycle's worth of occurrences.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/arch/x86/vendor.hpp"
#include "vpmu/model/x86_access.hpp"

namespace vpmu::sim {

using msr_outcome = msr_result;

// Execution context of an x86 CPU, as the counters see it.
struct x86_mode {
  bool guest = false;  // in VMX non-root / SVM guest mode
  unsigned ring = 0;   // current privilege level (0 kernel, 3 user)
};

struct cmask_state {
  bool last_condition = false;  // for edge detection
};

[[nodiscard]] constexpr std::uint64_t selector_increment(std::uint64_t selector,
                                                         std::uint64_t occurrences,
                                                         cmask_state& state) {
  using s = x86::ia32_perfevtselx;
  const std::uint64_t cmask = (selector & s::cmask.mask) >> s::cmask.lsb;
  const bool inv = (selector & s::inv.mask) != 0;
  const bool edge = (selector & s::e.mask) != 0;
  if (cmask == 0) return occurrences;
  const bool condition = (occurrences >= cmask) != inv;
  const bool rising = condition && !state.last_condition;
  state.last_condition = condition;
  if (edge) return rising ? 1 : 0;
  return condition ? 1 : 0;
}

// USR counts at ring > 0, OS at ring 0.
[[nodiscard]] constexpr bool ring_allows(std::uint64_t selector, x86_mode mode) {
  using s = x86::ia32_perfevtselx;
  return (selector & (mode.ring == 0 ? s::os.mask : s::usr.mask)) != 0;
}

// A write through the model's rules that restarts the CMASK edge detection of a counter whose
// selector it wrote (PERFEVTSEL / PERF_CTL): the simulators' try_wrmsr.
template <class Model, unsigned N>
constexpr msr_result write_restarting_edge(Model& m, cmask_state (&edge)[N], x86::vendor v,
                                           std::uint32_t index, std::uint64_t value) {
  const msr_result r = m.Model::try_wrmsr(index, value);
  const x86::msr_ref ref = x86::decode_msr(v, index);
  const bool selector =
      ref.reg == x86::pmu_msr::perfevtsel || ref.reg == x86::pmu_msr::amd_perf_ctl;
  if (!r.fault && selector && ref.index < N) edge[ref.index] = {};
  return r;
}

// The backend view of an x86 model (vpmu::msr_access): the hypervisor's accesses, which never
// expect a fault; one is counted in backend_faults() for tests to assert on.
template <class Sim>
class x86_backend_view : public typed_msr_access<Sim> {
 public:
  constexpr std::uint64_t rdmsr(std::uint32_t index) {
    return value_or_fault(self().try_rdmsr(index));
  }
  constexpr void wrmsr(std::uint32_t index, std::uint64_t v) {
    (void)value_or_fault(self().try_wrmsr(index, v));
  }
  constexpr std::uint64_t rdpmc(std::uint32_t selector) {
    return value_or_fault(self().try_rdpmc(selector));
  }
  [[nodiscard]] constexpr unsigned backend_faults() const { return faults_; }

 private:
  constexpr Sim& self() { return static_cast<Sim&>(*this); }
  constexpr std::uint64_t value_or_fault(msr_result o) {
    if (o.fault) ++faults_;
    return o.value;
  }
  unsigned faults_ = 0;
};

}  // namespace vpmu::sim
