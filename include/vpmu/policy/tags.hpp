// SPDX-License-Identifier: MIT
// Names for vcpu_pmu's template arguments: which PMU architecture (arch/tags.hpp), and which way of
// handing it to the guest.
//
//   vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::mediated, Access>
//   vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::lazy<vpmu::policy::partitioned>, Access>
#pragma once

#include "vpmu/arch/tags.hpp"

namespace vpmu::policy {

// Every guest PMU access traps; guest counters are backed by host counters from a provider.
struct emulated {};
// The guest owns the counters while it runs; selectors are intercepted for the event filter.
struct mediated {};
// arm64: MDCR_EL2.HPMN splits the counters; the host keeps [HPMN, N) running under the guest.
struct partitioned {};
// Wraps P: nothing is switched and everything traps until the guest first touches its PMU.
template <class P>
struct lazy {};

}  // namespace vpmu::policy
