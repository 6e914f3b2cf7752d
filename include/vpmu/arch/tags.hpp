// SPDX-License-Identifier: MIT
// Names for the PMU architectures vpmu knows, used as template arguments (vcpu_pmu, host_perf,
// the saved states).
#pragma once

namespace vpmu::arch {

struct intel {};
struct amd {};
struct arm64 {};

}  // namespace vpmu::arch
