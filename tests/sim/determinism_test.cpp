// SPDX-License-Identifier: MIT
// The models are deterministic: the same scripted run twice gives the same register trace,
// access for access and value for value.
#include <cstddef>
#include <cstdint>
#include <doctest/doctest.h>

#include "support/splitmix.hpp"
#include "vpmu/access/recording.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

namespace {

template <class Sim, class Script>
bool same_trace_twice(Script script) {
  Sim a, b;
  vpmu::recording<Sim, 8192> ra{a}, rb{b};
  script(ra, a);
  script(rb, b);
  if (ra.size() != rb.size() || ra.size() == 0 || ra.dropped() != 0) return false;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    if (!(ra[i] == rb[i])) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("Intel: identical traces") {
  CHECK(same_trace_twice<vpmu::sim::intel_pmu>([](auto& rec, auto& sim) {
    test_support::splitmix64 rng{11};
    for (int i = 0; i < 2000; ++i) {
      const unsigned x = static_cast<unsigned>(rng.below(8));
      rec.wrmsr(0x186 + x, (rng.next() & 0x00cf'ffff) | (1ULL << 22));
      sim.retire(static_cast<std::uint16_t>(rng.next() & 0xffff), rng.below(100));
      sim.instructions(rng.below(1000));
      (void)rec.rdpmc(x);
      (void)rec.rdmsr(0x38e);
    }
  }));
}

TEST_CASE("AMD: identical traces") {
  CHECK(same_trace_twice<vpmu::sim::amd_pmu>([](auto& rec, auto& sim) {
    test_support::splitmix64 rng{12};
    for (int i = 0; i < 2000; ++i) {
      const unsigned n = static_cast<unsigned>(rng.below(6));
      rec.wrmsr(0xc001'0200 + 2 * n, rng.next());
      sim.retire(static_cast<std::uint32_t>(rng.next() & 0xfffff), rng.below(100));
      (void)rec.rdmsr(0xc001'0201 + 2 * n);
      (void)rec.rdmsr(0xc000'0300);
    }
  }));
}

TEST_CASE("Arm: identical traces") {
  CHECK(same_trace_twice<vpmu::sim::arm_pmuv3>([](auto& rec, auto& sim) {
    using namespace vpmu::arm64;
    test_support::splitmix64 rng{13};
    rec.write(mdcr_el2::encoding, 3 | mdcr_el2::hpme.mask);
    rec.write(pmcr_el0::encoding, 1);
    for (int i = 0; i < 2000; ++i) {
      const unsigned n = static_cast<unsigned>(rng.below(6));
      rec.write(pmevtyper_encoding_unchecked(n), rng.next() & 0xf800'00ff);
      rec.write(pmcntenset_el0::encoding, rng.next() & 0xffff'ffff);
      sim.set_el(static_cast<vpmu::sim::el>(rng.below(3)));
      sim.retire(static_cast<std::uint16_t>(rng.below(0x20)), rng.below(1000));
      sim.cycles(rng.below(1000));
      (void)rec.read(pmevcntr_encoding_unchecked(n));
      (void)rec.read(pmovsset_el0::encoding);
    }
  }));
}
