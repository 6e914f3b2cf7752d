// SPDX-License-Identifier: MIT
// policy::partitioned exists only on arm64 (MDCR_EL2.HPMN): one error, saying so.
// vpmu-expect-error: vpmu::vcpu_pmu: no such combination
// vpmu-expect-errors: 1
#include "vpmu/access/x86_hw.hpp"
#include "vpmu/vcpu_pmu.hpp"

void use(vpmu::x86::hw_access& b, const vpmu::x86_config& c) {
  vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::partitioned, vpmu::x86::hw_access> pmu{b, c};
}
