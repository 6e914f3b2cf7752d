// SPDX-License-Identifier: MIT
// The consumer's whole program: include the umbrella header, use it at compile time and run time.
#include <vpmu/vpmu.hpp>

static_assert(VPMU_VERSION_MAJOR == 0);
static_assert(vpmu::bit_mask(15, 11) == 0xf800);

int main() {
  return vpmu::counter_add(0xffff'ffff, 1, 32).overflowed ? 0 : 1;
}
