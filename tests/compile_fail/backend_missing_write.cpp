// SPDX-License-Identifier: MIT
// An arm64 register backend without write(): one error, naming the missing member.
// vpmu-expect-error: vpmu arm64 register backend: no `void write\(vpmu::arm64::sysreg_encoding
// vpmu-expect-errors: 1
#include <cstdint>

#include "vpmu/vcpu_pmu.hpp"

struct my_backend {
  std::uint64_t read(vpmu::arm64::sysreg_encoding) { return 0; }
};

void use(my_backend& b, const vpmu::arm64_config& c) {
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, my_backend> pmu{b, c};
}
