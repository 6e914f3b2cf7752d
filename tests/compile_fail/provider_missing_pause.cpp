// SPDX-License-Identifier: MIT
// A counter provider without pause(): one error, naming the missing member.
// vpmu-expect-error: vpmu counter provider: no `pause\(handle\)`
// vpmu-expect-errors: 1
#include <cstdint>

#include "vpmu/vcpu_pmu.hpp"

struct my_perf {
  using handle = unsigned;
  vpmu::result<handle> acquire(const vpmu::backing_event&) { return 0U; }
  void release(handle) {}
  std::uint64_t read(handle) { return 0; }
  void set_period(handle, std::uint64_t) {}
  void resume(handle) {}
};

void use(my_perf& p, const vpmu::x86_config& c) {
  vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::lazy<vpmu::policy::emulated>, my_perf> pmu{p, c};
}
