// SPDX-License-Identifier: MIT
// The unrolled loops over a guest's event counters (access/concepts.hpp): for every count of
// counters an Arm guest can have (MDCR_EL2.HPMN is bits 4:0; PMEVCNTR<n>_EL0 exists for n = 0..30,
// bit 31 of the PMCNTEN/PMINTEN/PMOVS masks being the cycle counter's), every counter below it is
// visited once, in order, two at a time with the last alone when the count is odd, and none at or
// above it.
#include <cstdint>
#include <doctest/doctest.h>

#include "vpmu/access/concepts.hpp"

namespace {

struct visit_log {
  unsigned order[32] = {};
  unsigned group_size[32] = {};  // how many indexes came with the call that brought counter i
  unsigned count = 0;
  unsigned calls = 0;
};

visit_log visit(unsigned n) {
  visit_log log;
  vpmu::for_each_counter_in(vpmu::low_counters(n), [&](auto... i) {
    ++log.calls;
    ((log.group_size[log.count] = sizeof...(i), log.order[log.count++] = i), ...);
  });
  return log;
}

}  // namespace

TEST_CASE("low_counters: the counters below n, for n = 0..31") {
  for (unsigned n = 0; n <= 31; ++n) {
    const vpmu::low_counters r(n);
    for (unsigned i = 0; i < 32; ++i)
      CHECK_MESSAGE(r.contains(i) == (i < n), "n = " << n << ", counter " << i);
  }
  CHECK(vpmu::low_counters(31).mask() == 0x7fff'ffffu);  // PMEVCNTR0..30: bit 31 is PMCCNTR's
}

TEST_CASE("for_each_counter_in: each counter below n once, in order, in pairs") {
  for (unsigned n = 0; n <= 31; ++n) {
    const visit_log log = visit(n);
    REQUIRE_MESSAGE(log.count == n, "n = " << n);
    CHECK_MESSAGE(log.calls == (n + 1) / 2, "n = " << n);
    for (unsigned k = 0; k < n; ++k) {
      CHECK_MESSAGE(log.order[k] == k, "n = " << n << ", position " << k);
      const bool last_alone = n % 2 == 1 && k == n - 1;
      CHECK_MESSAGE(log.group_size[k] == (last_alone ? 1u : 2u), "n = " << n << ", counter " << k);
    }
  }
}
