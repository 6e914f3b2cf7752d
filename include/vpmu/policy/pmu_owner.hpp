// SPDX-License-Identifier: MIT
// Which vCPU's PMU state a physical CPU's PMU holds. One per physical CPU, kept by the
// hypervisor and shared by the vCPUs that run there. A policy whose vCPU was the last one loaded
// (and whose state nobody else touched since) knows what the hardware holds, so load() writes
// only what changed. Anything else that programs those registers calls invalidate().
#pragma once

namespace vpmu {

struct pmu_owner {
  const void* vcpu = nullptr;
  constexpr void invalidate() { vcpu = nullptr; }
};

}  // namespace vpmu
