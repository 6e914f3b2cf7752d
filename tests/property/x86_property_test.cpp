// SPDX-License-Identifier: MIT
// Property tests of the x86 policies: randomized guest programs (seeded, reproducible), two vCPUs
// time-sharing one simulated CPU while the host profiles itself. Checked after every operation,
// against independent references written from the SDM and APM (reference/x86_pmu_reference.hpp):
// each guest read and fault equals the architecture's (reference model), the guest's PMI line
// too, and the host's own counter counts exactly its host-mode events; after every run each
// vCPU's full register file equals the reference. A failure prints the seed and the shortest
// failing operation sequence.
#include <cstdint>
#include <doctest/doctest.h>
#include <string>
#include <vector>

#include "property/run_world.hpp"
#include "property/shrink.hpp"
#include "property/x86_world.hpp"
#include "support/soak.hpp"

namespace {

using namespace property;

template <class Arch, class Policy, unsigned Version = 0, bool HostGlobal = true>
std::string run_program(const std::vector<x86_op>& ops) {
  x86_world<Arch, Policy, Version, HostGlobal> world;
  for (const x86_op& op : ops) {
    std::string failure = world.apply(op);
    if (!failure.empty()) return failure;
  }
  return world.finish();
}

template <class Arch, class Policy, unsigned Version = 0, bool HostGlobal = true>
void check_policy(unsigned seeds, unsigned length) {
  std::uint64_t executed = 0;  // operations applied to a world (not merely generated)
  const auto run_counted = [&](const std::vector<x86_op>& ops) {
    return run_world<x86_world<Arch, Policy, Version, HostGlobal>>(ops, executed);
  };
  const test_support::soak_plan plan = test_support::property_plan(seeds, length);
  for (std::uint64_t seed = plan.first_seed; seed < plan.first_seed + plan.seeds; ++seed) {
    const std::vector<x86_op> ops =
        random_x86_program<Arch>(seed, static_cast<unsigned>(plan.length));
    const std::string failure = run_counted(ops);
    if (!failure.empty()) {
      FAIL(report(seed, ops, failure, run_program<Arch, Policy, Version, HostGlobal>,
                  [](const x86_op& op) { return describe(op); }));
    }
  }
  CHECK(executed >= plan.seeds * plan.length);  // every operation of every program ran
  MESSAGE(executed << " operations");
}

}  // namespace

TEST_CASE("property: Intel mediated") {
  check_policy<vpmu::arch::intel, vpmu::policy::mediated>(25, 4000);
}
TEST_CASE("property: Intel emulated") {
  check_policy<vpmu::arch::intel, vpmu::policy::emulated>(25, 4000);
}
TEST_CASE("property: Intel lazy mediated") {
  check_policy<vpmu::arch::intel, vpmu::policy::lazy<vpmu::policy::mediated>>(25, 4000);
}
TEST_CASE("property: Intel lazy emulated") {
  check_policy<vpmu::arch::intel, vpmu::policy::lazy<vpmu::policy::emulated>>(25, 4000);
}
TEST_CASE("property: Intel policy switches (mediated <-> emulated) mid-run") {
  check_policy<vpmu::arch::intel, property::switching>(25, 4000);
}
TEST_CASE("property: AMD policy switches (mediated <-> emulated) mid-run") {
  check_policy<vpmu::arch::amd, property::switching>(25, 4000);
}
TEST_CASE("property: AMD mediated") {
  check_policy<vpmu::arch::amd, vpmu::policy::mediated>(25, 4000);
}
TEST_CASE("property: AMD emulated") {
  check_policy<vpmu::arch::amd, vpmu::policy::emulated>(25, 4000);
}
TEST_CASE("property: AMD lazy mediated") {
  check_policy<vpmu::arch::amd, vpmu::policy::lazy<vpmu::policy::mediated>>(25, 4000);
}
TEST_CASE("property: AMD lazy emulated") {
  check_policy<vpmu::arch::amd, vpmu::policy::lazy<vpmu::policy::emulated>>(25, 4000);
}

// Guest PMU versions older than the host's: Intel v1 (no fixed counters, no globals), v2, v3 and
// v5 guests on a version-5 host; AMD guests without PerfMonV2 on a PerfMonV2 host.
TEST_CASE("property: Intel mediated, version 1 guest on a version 5 host") {
  check_policy<vpmu::arch::intel, vpmu::policy::mediated, 1>(25, 4000);
}
TEST_CASE("property: Intel mediated, version 2 guest on a version 5 host") {
  check_policy<vpmu::arch::intel, vpmu::policy::mediated, 2>(25, 4000);
}
TEST_CASE("property: Intel mediated, version 3 guest on a version 5 host") {
  check_policy<vpmu::arch::intel, vpmu::policy::mediated, 3>(25, 4000);
}
TEST_CASE("property: Intel mediated, version 5 guest on a version 5 host") {
  check_policy<vpmu::arch::intel, vpmu::policy::mediated, 5>(25, 4000);
}
TEST_CASE("property: Intel emulated, version 1 guest on a version 5 host") {
  check_policy<vpmu::arch::intel, vpmu::policy::emulated, 1>(25, 4000);
}
TEST_CASE("property: Intel emulated, version 2 guest on a version 5 host") {
  check_policy<vpmu::arch::intel, vpmu::policy::emulated, 2>(25, 4000);
}
TEST_CASE("property: AMD mediated, guest without PerfMonV2") {
  check_policy<vpmu::arch::amd, vpmu::policy::mediated, 1>(25, 4000);
}
TEST_CASE("property: AMD emulated, guest without PerfMonV2") {
  check_policy<vpmu::arch::amd, vpmu::policy::emulated, 1>(25, 4000);
}
TEST_CASE("property: AMD mediated on a host without PerfMonV2") {
  check_policy<vpmu::arch::amd, vpmu::policy::mediated, 1, false>(25, 4000);
}
TEST_CASE("property: AMD emulated on a host without PerfMonV2") {
  check_policy<vpmu::arch::amd, vpmu::policy::emulated, 1, false>(25, 4000);
}
