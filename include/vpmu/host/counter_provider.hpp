// SPDX-License-Identifier: MIT
// How the emulated policy gets host counters to back guest counters: a small provider concept,
// implemented by the hypervisor over its host perf subsystem (Linux KVM uses perf_event kernel
// counters for the same job), and by vpmu::host_perf over any register backend.
#pragma once

#include <cstdint>

#include "vpmu/core/result.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

// What one guest counter counts, in the host counter's terms.
//
// guest_only: count only while the CPU runs the guest, never in the host (exit handling, the
// rest of the hypervisor) while the vCPU is loaded -- perf's exclude_host, which Linux KVM asks
// for its guest counters. What a real provider does for it:
//  - Intel: enable the counter only in the VM-entry IA32_PERF_GLOBAL_CTRL value (the VMCS guest
//    field / MSR-load list), never in the host's;
//  - AMD: set PERF_CTL.GuestOnly (bit 40) in the hardware selector;
//  - arm64: clear PMEVTYPER.NSH (never count EL2, where the hypervisor runs).
struct backing_event {
  std::uint64_t selector;  // x86: the guest PERFEVTSEL (EN forced); arm64: PMEVTYPER bits
  std::uint64_t period;    // events until the guest counter overflows (0: 2^64)
  bool guest_only = true;  // count only in guest mode (see above)
};

template <class P>
concept counter_provider = requires(P& p, const backing_event& e, typename P::handle h,
                                    std::uint64_t period) {
  { p.acquire(e) } -> meta::same_as<result<typename P::handle>>;
  p.release(h);
  // Events counted since acquire() (monotonic; a 64-bit count the policy differences).
  { p.read(h) } -> meta::same_as<std::uint64_t>;
  // The next host interrupt comes after `period` more events.
  p.set_period(h, period);
  // Stop / restart counting of every counter this provider gave one vCPU (load/put).
  p.pause(h);
  p.resume(h);
};

}  // namespace vpmu
