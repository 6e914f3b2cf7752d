// SPDX-License-Identifier: MIT
// The closing check of a property run, the same in every world: each vCPU's saved state equals
// its reference model's registers, and the policies never made an access the (simulated)
// hardware faulted. Returns "" or what differs.
#pragma once

#include <string>

template <class Pmu, class Ref, class Cpu>
std::string final_state_mismatch(Pmu* pmus, const Ref* refs, unsigned vcpus, const Cpu& cpu) {
  for (unsigned v = 0; v < vcpus; ++v) {
    const auto s = pmus[v].save_state();
    if (!(s.registers == refs[v].registers())) {
      return "vCPU " + std::to_string(v) + ": final state differs from the architecture";
    }
  }
  if (cpu.backend_faults() != 0) return "the policy made a faulting hardware access";
  return "";
}
