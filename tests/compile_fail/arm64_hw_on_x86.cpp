// SPDX-License-Identifier: MIT
// arm64::hw_access executes MRS/MSR: on another target, constructing one is one error saying so.
// vpmu-expect-error: vpmu::arm64::hw_access executes MRS/MSR and exists only when compiling for
// AArch64 vpmu-expect-errors: 1
#include "vpmu/access/arm64_hw.hpp"
#include "vpmu/vcpu_pmu.hpp"

#if defined(__aarch64__)
#error "this case is for other targets"
#endif

void use(const vpmu::arm64_config& c) {
  vpmu::arm64::hw_access hw;
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, vpmu::arm64::hw_access> pmu{hw, c};
  pmu.load();
}
