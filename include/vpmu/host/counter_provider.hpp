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
struct backing_event {
  std::uint64_t selector;  // x86: the guest PERFEVTSEL (EN forced); arm64: PMEVTYPER bits
  std::uint64_t period;    // events until the guest counter overflows (0: 2^64)
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
