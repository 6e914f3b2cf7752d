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

// One static_assert per member, so that a provider that lacks one is told which.
template <class P>
constexpr bool check_counter_provider() {
  static_assert(
      requires { typename P::handle; },
      "vpmu counter provider (the Host of policy::emulated: host counters back the guest's): no "
      "`handle` type (what acquire() hands out)");
  if constexpr (requires { typename P::handle; }) {
    using handle = typename P::handle;
    static_assert(
        requires(P & p, const backing_event& e) {
          { p.acquire(e) } -> meta::same_as<result<handle>>;
        },
        "vpmu counter provider: no `vpmu::result<handle> acquire(const vpmu::backing_event&)`");
    static_assert(
        requires(P & p, handle h) { p.release(h); }, "vpmu counter provider: no `release(handle)`");
    static_assert(
        requires(P & p, handle h) {
          { p.read(h) } -> meta::same_as<std::uint64_t>;
        },
        "vpmu counter provider: no `std::uint64_t read(handle)`");
    static_assert(
        requires(P & p, handle h, std::uint64_t period) { p.set_period(h, period); },
        "vpmu counter provider: no `set_period(handle, std::uint64_t period)`");
    static_assert(
        requires(P & p, handle h) { p.pause(h); }, "vpmu counter provider: no `pause(handle)`");
    static_assert(
        requires(P & p, handle h) { p.resume(h); }, "vpmu counter provider: no `resume(handle)`");
  }
  return true;
}

}  // namespace vpmu
