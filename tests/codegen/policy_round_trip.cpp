// SPDX-License-Identifier: MIT
// load() + put() of the direct policies over the hardware backends, for check_policy.sh to
// disassemble: how many instructions per register-access instruction, and whether anything is
// left as a call.
#include <cstdint>

#include "vpmu/vcpu_pmu.hpp"

#if defined(__x86_64__)
#include "vpmu/access/x86_hw.hpp"
using intel_mediated =
    vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::mediated, vpmu::x86::hw_access>;
using amd_mediated = vpmu::vcpu_pmu<vpmu::arch::amd, vpmu::policy::mediated, vpmu::x86::hw_access>;
extern "C" void vpmu_intel_mediated_round_trip(intel_mediated& p) {
  p.load();
  p.put();
}
extern "C" void vpmu_amd_mediated_round_trip(amd_mediated& p) {
  p.load();
  p.put();
}
#elif defined(__aarch64__)
#include "vpmu/access/arm64_hw.hpp"
using partitioned =
    vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, vpmu::arm64::hw_access>;
extern "C" void vpmu_arm64_partitioned_round_trip(partitioned& p) {
  p.load();
  p.put();
}
#endif
