// SPDX-License-Identifier: MIT
// Property tests of the arm64 policies (see arm_world.hpp): randomized guest programs from EL1 and
// EL0, two vCPUs time-sharing one simulated PMUv3 while the host's own counter runs, every guest
// result against the architectural model, the host's count exact, the full register file equal at
// save points; failures print the seed and a shrunk sequence.
#include <cstdint>
#include <doctest/doctest.h>
#include <string>
#include <vector>

#include "property/arm_world.hpp"
#include "property/run_world.hpp"
#include "property/shrink.hpp"
#include "support/soak.hpp"

namespace {

using namespace property;

template <class Policy>
void check_policy(arm_world_options options, unsigned seeds, unsigned length) {
  const auto run = [&](const std::vector<arm_op>& ops) -> std::string {
    arm_world<Policy> world{options};
    for (const arm_op& op : ops) {
      std::string failure = world.apply(op);
      if (!failure.empty()) return failure;
    }
    return world.finish();
  };
  std::uint64_t executed = 0;  // operations applied to a world (not merely generated)
  const auto run_counted = [&](const std::vector<arm_op>& ops) {
    return run_world<arm_world<Policy>>(ops, executed, options);
  };
  const test_support::soak_plan plan = test_support::property_plan(seeds, length);
  for (std::uint64_t seed = plan.first_seed; seed < plan.first_seed + plan.seeds; ++seed) {
    const std::vector<arm_op> ops = random_arm_program(seed, static_cast<unsigned>(plan.length));
    const std::string failure = run_counted(ops);
    if (!failure.empty()) {
      FAIL(report(seed, ops, failure, run, [](const arm_op& op) { return describe(op); }));
    }
  }
  CHECK(executed >= plan.seeds * plan.length);  // every operation of every program ran
  MESSAGE(executed << " operations");
}

vpmu::arm64_event_filter deny_cycles() {
  vpmu::arm64_event_filter f;
  (void)f.add(0x11, 1, vpmu::arm64_event_filter::action::deny);
  return f;
}
const vpmu::arm64_event_filter filter = deny_cycles();

}  // namespace

using vpmu::policy::emulated;
using vpmu::policy::lazy;
using vpmu::policy::mediated;
using vpmu::policy::partitioned;

TEST_CASE("property: arm64 partitioned with FGT") {
  check_policy<partitioned>({1, 6}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned without FGT (untrapped)") {
  check_policy<partitioned>({0, 6}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned without FGT (filter: trap everything)") {
  check_policy<partitioned>({0, 6, vpmu::arm64::pmuver::v3p5, &filter}, 25, 4000);
}
// Odd guest counter counts: the world-switch loops move counters two at a time, the last alone.
TEST_CASE("property: arm64 partitioned with FGT, an odd number of guest counters (5)") {
  check_policy<partitioned>({1, 5}, 15, 4000);
}
TEST_CASE("property: arm64 partitioned without FGT (untrapped), 3 guest counters") {
  check_policy<partitioned>({0, 3}, 15, 4000);
}
TEST_CASE("property: arm64 lazy partitioned, 1 guest counter") {
  check_policy<lazy<partitioned>>({1, 1}, 15, 4000);
}
TEST_CASE("property: arm64 mediated (HPMN = N)") {
  check_policy<mediated>({1, 10}, 25, 4000);
}
TEST_CASE("property: arm64 emulated") {
  check_policy<emulated>({0, 3}, 25, 4000);
}
TEST_CASE("property: arm64 lazy partitioned") {
  check_policy<lazy<partitioned>>({1, 6}, 25, 4000);
}
TEST_CASE("property: arm64 lazy mediated") {
  check_policy<lazy<mediated>>({1, 10}, 25, 4000);
}
TEST_CASE("property: arm64 lazy partitioned without FGT") {
  check_policy<lazy<partitioned>>({0, 6}, 25, 4000);
}
TEST_CASE("property: arm64 policy switches (partitioned <-> emulated) mid-run") {
  check_policy<arm_switching>({1, 2}, 25, 4000);
}
TEST_CASE("property: arm64 lazy emulated") {
  check_policy<lazy<emulated>>({0, 3}, 25, 4000);
}

// Guest PMUs older than the host's (32-bit event counters on a host with 64-bit ones, fewer
// events, no PMMIR) and a PMUv3p9 host with FEAT_FGT2.
using vpmu::arm64::pmuver;
TEST_CASE("property: arm64 partitioned, PMUv3 (v3p0) guest on a PMUv3p5 host with FGT") {
  check_policy<partitioned>({1, 6, pmuver::v3p5, nullptr, pmuver::imp}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned, PMUv3p1 guest on a PMUv3p5 host with FGT") {
  check_policy<partitioned>({1, 6, pmuver::v3p5, nullptr, pmuver::v3p1}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned, PMUv3p4 guest on a PMUv3p5 host with FGT") {
  check_policy<partitioned>({1, 6, pmuver::v3p5, nullptr, pmuver::v3p4}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned, PMUv3p4 guest on a PMUv3p5 host without FGT") {
  check_policy<partitioned>({0, 6, pmuver::v3p5, nullptr, pmuver::v3p4}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned, PMUv3p5 guest on a PMUv3p9 host with FGT2") {
  check_policy<partitioned>({2, 6, pmuver::v3p9, nullptr, pmuver::v3p5}, 25, 4000);
}
TEST_CASE("property: arm64 mediated, PMUv3p4 guest on a PMUv3p9 host with FGT2") {
  check_policy<mediated>({2, 10, pmuver::v3p9, nullptr, pmuver::v3p4}, 25, 4000);
}
TEST_CASE("property: arm64 emulated, PMUv3p1 guest on a PMUv3p9 host") {
  check_policy<emulated>({2, 3, pmuver::v3p9, nullptr, pmuver::v3p1}, 25, 4000);
}
TEST_CASE("property: arm64 lazy partitioned, PMUv3p4 guest on a PMUv3p5 host with FGT") {
  check_policy<lazy<partitioned>>({1, 6, pmuver::v3p5, nullptr, pmuver::v3p4}, 25, 4000);
}
TEST_CASE("property: arm64 emulated with an event filter (CPU_CYCLES denied)") {
  check_policy<emulated>({0, 3, pmuver::v3p5, &filter}, 25, 4000);
}
TEST_CASE("property: arm64 lazy partitioned with FGT and an event filter") {
  check_policy<lazy<partitioned>>({1, 6, pmuver::v3p5, &filter}, 25, 4000);
}
// A PMUv3 (v3p0) host has neither MDCR_EL2.HPMD nor HCCD: only the hardware copies of the guest's
// typers (NSH clear) keep EL2 work out of guest counters, and every access traps.
TEST_CASE("property: arm64 partitioned on a PMUv3 (v3p0) host without FGT") {
  check_policy<partitioned>({0, 6, pmuver::imp}, 25, 4000);
}
TEST_CASE("property: arm64 partitioned on a PMUv3p1 host without FGT (HPMD, no HCCD)") {
  check_policy<partitioned>({0, 6, pmuver::v3p1}, 25, 4000);
}
