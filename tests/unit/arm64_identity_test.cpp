// SPDX-License-Identifier: MIT
// What an arm64 guest reads as its PMU's identification and events, in every policy. Found by
// running kvm-unit-tests arm/pmu as the guest (issue 14): the guest must see the host's
// PMCR_EL0.IMP/IDCODE whether PMCR traps or not, and PMCEID0/1_EL0 must advertise exactly what the
// policy delivers. Expected values come from the Arm ARM (M.a.a), not from vpmu:
//   PMCR_EL0: IMP = bits[31:24], IDCODE = bits[23:16], N = bits[15:11] (D24.5.x PMCR_EL0);
//   PMCEID0_EL0 bit n = common event n for n < 32, bit 32+n = event 0x4000+n (from PMUv3p1);
//   PMCEID1_EL0 bit n = event 0x20+n; STALL_FRONTEND = 0x23, STALL_BACKEND = 0x24, which
//   PMUv3p1 and later must implement (D24.11.1); CHAIN = 0x1E, SW_INCR = 0x00.
#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace {

using vpmu::arch::arm64;
using vpmu::sim::el;
using vpmu::sim::outcome;
namespace pol = vpmu::policy;
namespace a64 = vpmu::arm64;
using perf_type = vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>;

constexpr std::uint64_t b(unsigned n) {
  return std::uint64_t{1} << n;
}

// A host that is not an Arm Ltd core: implementer 'Q' (0x51), IDCODE 0x2a. Its events: SW_INCR,
// L1I_CACHE_REFILL (0x01), L1D_CACHE (0x04), INST_RETIRED, CPU_CYCLES, STALL_FRONTEND,
// STALL_BACKEND, and 0x4004 (CNT_CYCLES); no CHAIN (its counters do not chain).
constexpr std::uint64_t host_pmceid0 = b(0x00) | b(0x01) | b(0x04) | b(0x08) | b(0x11) | b(32 + 4);
constexpr std::uint64_t host_pmceid1 = b(0x23 - 0x20) | b(0x24 - 0x20);

vpmu::model::arm64_pmu_config host_config(unsigned fgt) {
  vpmu::model::arm64_pmu_config c{10, a64::pmuver::v3p5, false, fgt};
  c.implementer = 0x51;
  c.idcode = 0x2a;
  c.pmceid0 = host_pmceid0;
  c.pmceid1 = host_pmceid1;
  return c;
}

struct host {
  vpmu::sim::arm_pmuv3 cpu;
  perf_type perf;
  explicit host(unsigned fgt)
      : cpu(host_config(fgt)), perf(cpu, cpu.counter_width(), vpmu::bit_mask(9, 6)) {}
};

// A guest MRS at EL1: the hardware answers, or the policy when it traps.
template <class Pmu>
std::uint64_t guest_read(host& h, Pmu& pmu, a64::sysreg_encoding e) {
  const auto o = h.cpu.guest_read(el::el1, e);
  if (o.kind == outcome::trap_el2) {
    const vpmu::sysreg_result r = pmu.on_sysreg(o.esr, 0);
    REQUIRE_FALSE(r.undefined);
    return r.value;
  }
  REQUIRE(o.kind == outcome::executed);
  return o.value;
}

template <class Pmu>
void enter(host& h, Pmu& pmu) {
  vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
  pmu.load();
}

constexpr std::uint64_t identification(std::uint64_t pmcr) {
  return (pmcr >> 16) & 0xffff;  // IMP:IDCODE
}

}  // namespace

TEST_CASE("probe_caps reads the host's identification from PMCR_EL0") {
  const auto caps = a64::probe_caps(
      a64::id_aa64dfr0_el1::value::from_hardware(std::uint64_t{6} << 8),  // PMUVer = v3p5
      a64::id_aa64dfr1_el1::value::from_hardware(0), a64::id_aa64mmfr0_el1::value::from_hardware(0),
      a64::pmcr_el0::value::from_hardware(0x512a'3000),  // IMP 'Q', IDCODE 0x2a, N = 6
      host_pmceid0, host_pmceid1);
  CHECK(caps.implementer == 0x51);
  CHECK(caps.idcode == 0x2a);
  CHECK(caps.counters == 6);
  CHECK(caps.pmceid0 == host_pmceid0);
  CHECK(caps.pmceid1 == host_pmceid1);
}

TEST_CASE("arm64: PMCR_EL0.IMP/IDCODE are the host's in every policy, trapped or not") {
  constexpr std::uint64_t expected = 0x512a;
  for (unsigned fgt : {0U, 1U, 2U}) {
    CAPTURE(fgt);
    host h(fgt);
    const auto cfg = vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, h.cpu.caps()).value();
    const auto check = [&](auto& pmu) {
      enter(h, pmu);
      CHECK(identification(guest_read(h, pmu, a64::pmcr_el0::encoding)) == expected);
      pmu.put();
    };
    vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> part{h.cpu, cfg};
    check(part);
    vpmu::vcpu_pmu<arm64, pol::mediated, vpmu::sim::arm_pmuv3> med{h.cpu, cfg};
    check(med);
    vpmu::vcpu_pmu<arm64, pol::emulated, perf_type> emu{h.perf, cfg};
    check(emu);

    // Lazy: the first read traps (nothing switched yet) and switches; the next one reaches the
    // hardware where FGT lets it. Both show the same identification.
    vpmu::vcpu_pmu<arm64, pol::lazy<pol::partitioned>, vpmu::sim::arm_pmuv3> lazy{h.cpu, cfg};
    enter(h, lazy);
    const std::uint64_t first = guest_read(h, lazy, a64::pmcr_el0::encoding);
    CHECK(lazy.active());
    lazy.put();
    enter(h, lazy);
    const std::uint64_t second = guest_read(h, lazy, a64::pmcr_el0::encoding);
    CHECK(identification(first) == expected);
    CHECK(identification(second) == expected);
    CHECK(((first >> 11) & 0x1f) == 6);  // N = the guest's 6 counters, both times
    CHECK(((second >> 11) & 0x1f) == 6);
    lazy.put();
  }
}

TEST_CASE("arm64: PMCEID advertises what the policy delivers") {
  for (unsigned fgt : {0U, 1U, 2U}) {
    CAPTURE(fgt);
    host h(fgt);
    const auto cfg = vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, h.cpu.caps()).value();

    // Emulated on a PMUv3p5 host: the host's events (STALL_FRONTEND/BACKEND included, as
    // PMUv3p1+ requires) plus CHAIN, which the model counts itself.
    vpmu::vcpu_pmu<arm64, pol::emulated, perf_type> emu{h.perf, cfg};
    enter(h, emu);
    CHECK(guest_read(h, emu, a64::pmceid0_el0::encoding) == (host_pmceid0 | b(0x1e)));
    CHECK(guest_read(h, emu, a64::pmceid1_el0::encoding) == host_pmceid1);
    emu.put();

    // Hardware counters (trap-everything or not): the host's events; no CHAIN it lacks.
    // A filter makes a FEAT_FGT-less partitioned vCPU trap all; the events it denies are hidden
    // (as KVM's kvm_pmu_get_pmceid does): here L1I_CACHE_REFILL (0x01).
    vpmu::arm64_event_filter f;  // the first range denies: everything else is allowed
    REQUIRE(f.add(0x01, 1, vpmu::arm64_event_filter::action::deny).has_value());
    const auto filtered =
        vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, h.cpu.caps(), &f).value();
    vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> part{h.cpu, filtered};
    enter(h, part);
    const std::uint64_t pmceid0 = guest_read(h, part, a64::pmceid0_el0::encoding);
    CHECK((pmceid0 & b(0x1e)) == 0);
    CHECK(pmceid0 == (host_pmceid0 & ~b(0x01)));
    CHECK(guest_read(h, part, a64::pmceid1_el0::encoding) == host_pmceid1);
    part.put();
  }
}

TEST_CASE("arm64: a PMUv3 (v3p0) guest sees no 0x4000-range events") {
  host h(0);
  const auto cfg = vpmu::validate_arm64_config({a64::pmuver::imp, 6}, h.cpu.caps()).value();
  vpmu::vcpu_pmu<arm64, pol::emulated, perf_type> emu{h.perf, cfg};
  enter(h, emu);
  CHECK(guest_read(h, emu, a64::pmceid0_el0::encoding) == ((host_pmceid0 | b(0x1e)) & 0xffff'ffff));
  emu.put();
}

TEST_CASE("arm64: a host whose PMCEID was not probed advertises only the model's own events") {
  vpmu::arm64_config c =
      vpmu::validate_arm64_config({a64::pmuver::v3p5, 4}, {a64::pmuver::v3p5, 6}).value();
  const auto hw = vpmu::arm64_guest_model_config(c, vpmu::arm64_counting::hardware);
  const auto emu = vpmu::arm64_guest_model_config(c, vpmu::arm64_counting::emulated);
  // SW_INCR, INST_RETIRED, CPU_CYCLES; CHAIN only where the model does the chaining.
  CHECK(hw.pmceid0 == (b(0x00) | b(0x08) | b(0x11)));
  CHECK(emu.pmceid0 == (b(0x00) | b(0x08) | b(0x11) | b(0x1e)));
  CHECK(hw.implementer == 0x41);  // pmu_caps' default: Arm Ltd ('A')
}

TEST_CASE("arm64: a state saved on one host restores on a host with other identification") {
  host q(1);                                                      // implementer 'Q', its own events
  vpmu::sim::arm_pmuv3 a_cpu({10, a64::pmuver::v3p5, false, 1});  // an Arm Ltd core
  perf_type a_perf(a_cpu, a_cpu.counter_width(), vpmu::bit_mask(9, 6));
  const auto from = vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, q.cpu.caps()).value();
  const auto to = vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, a_cpu.caps()).value();
  vpmu::vcpu_pmu<arm64, pol::emulated, perf_type> src{q.perf, from};
  vpmu::vcpu_pmu<arm64, pol::emulated, perf_type> dst{a_perf, to};
  // Identification is the running host's (as KVM recomputes it on arrival), not a shape mismatch.
  CHECK(dst.restore_state(src.save_state()).has_value());
  auto other = src.save_state();
  other.shape.version = a64::pmuver::v3p4;  // a different PMU version still is
  CHECK_FALSE(dst.restore_state(other).has_value());
}

TEST_CASE("arm64: events a changed filter denies disappear from PMCEID (on_filter_change)") {
  host h(1);
  vpmu::arm64_event_filter f;  // allows everything at first: deny an event nobody uses
  REQUIRE(f.add(0x3ff, 1, vpmu::arm64_event_filter::action::deny).has_value());
  const auto cfg = vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, h.cpu.caps(), &f).value();
  vpmu::vcpu_pmu<arm64, pol::emulated, perf_type> emu{h.perf, cfg};
  vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> part{h.cpu, cfg};
  const auto pmceid = [&](auto& pmu, a64::sysreg_encoding e) {
    enter(h, pmu);
    const std::uint64_t v = guest_read(h, pmu, e);
    pmu.put();
    return v;
  };
  CHECK(pmceid(emu, a64::pmceid0_el0::encoding) == (host_pmceid0 | b(0x1e)));
  CHECK(pmceid(part, a64::pmceid0_el0::encoding) == host_pmceid0);
  // The VM now denies STALL_BACKEND (0x24) and CNT_CYCLES (0x4004).
  REQUIRE(f.add(0x24, 1, vpmu::arm64_event_filter::action::deny).has_value());
  REQUIRE(f.add(0x4004, 1, vpmu::arm64_event_filter::action::deny).has_value());
  emu.on_filter_change();
  part.on_filter_change();
  CHECK(pmceid(emu, a64::pmceid0_el0::encoding) == ((host_pmceid0 | b(0x1e)) & ~b(32 + 4)));
  CHECK(pmceid(emu, a64::pmceid1_el0::encoding) == (host_pmceid1 & ~b(0x24 - 0x20)));
  CHECK(pmceid(part, a64::pmceid0_el0::encoding) == (host_pmceid0 & ~b(32 + 4)));
  CHECK(pmceid(part, a64::pmceid1_el0::encoding) == (host_pmceid1 & ~b(0x24 - 0x20)));
}
