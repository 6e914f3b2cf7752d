// SPDX-License-Identifier: MIT
// The edges where vpmu meets untrusted input and other contexts. A restore blob is a guest write:
// every the blob carries the shape it was saved from, and a refused restore leaves the vCPU exactly
// as it was and the host's counters untouched. Expected bit positions are written here from the
// manuals (Arm ARM M.a.a D24.5: PMCR_EL0.P = bit 1, C = bit 2; SDM Vol. 3B 21.2: PERFEVTSEL
// AnyThread = bit 21; APM Vol. 2 13.2.1: PERF_CTL HostOnly = bit 41, EN = bit 22).
#include <cstdint>
#include <cstring>
#include <doctest/doctest.h>
#include <initializer_list>

#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace {

using vpmu::arch::arm64;
namespace pol = vpmu::policy;
constexpr std::uint64_t b(unsigned n) {
  return std::uint64_t{1} << n;
}

bool names(const vpmu::error& e, const char* where, const char* field) {
  return e.where != nullptr && std::strcmp(e.where, where) == 0 &&
         (field == nullptr ? e.field == nullptr
                           : e.field != nullptr && std::strcmp(e.field, field) == 0);
}

// An arm64 CPU with N = 10 whose host keeps event counter 6 counting at EL2 and lends 7-9.
struct arm_host {
  vpmu::sim::arm_pmuv3 cpu;
  vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3> perf;
  unsigned host_counter = 0;
  explicit arm_host(unsigned fgt, vpmu::arm64::pmuver v = vpmu::arm64::pmuver::v3p5)
      : cpu({10, v, false, fgt}), perf(cpu, cpu.counter_width(), vpmu::bit_mask(9, 6)) {
    // The host counts INST_RETIRED at every level (NSH: EL2 too).
    host_counter = perf.start_host_event(0x08 | vpmu::arm64::pmevtypern_el0::nsh.mask).value();
    cpu.write(vpmu::arm64::pmevcntr_encoding_unchecked(host_counter), 100);
  }
  std::uint64_t host_value() { return perf.host_count(host_counter); }
};

template <class Pmu>
void refuse_pmcr_p(Pmu& pmu, arm_host& h) {
  vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
  pmu.load();
  const auto before = pmu.save_state();
  auto blob = before;
  blob.registers.pmcr |= b(1);  // PMCR_EL0.P: reset all event counters (an action)
  const auto r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(names(r.error_value(), "PMCR_EL0", "P"));
  CHECK(h.host_value() == 100);       // the host's counter was not reset
  CHECK(pmu.save_state() == before);  // nothing of the vCPU changed
  blob = before;
  blob.registers.pmcr |= b(2);  // PMCR_EL0.C
  const auto c = pmu.restore_state(blob);
  REQUIRE_FALSE(c.has_value());
  CHECK(names(c.error_value(), "PMCR_EL0", "C"));
  pmu.put();
  CHECK(h.host_value() == 100);
}

}  // namespace

TEST_CASE(
    "arm64 restore: PMCR_EL0.P/C in a blob are refused, and the host's counter keeps its value") {
  for (unsigned fgt : {0U, 1U, 2U}) {
    CAPTURE(fgt);
    arm_host h(fgt);
    const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 6}, h.cpu.caps());
    REQUIRE(cfg.has_value());
    vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> part{h.cpu, cfg.value()};
    refuse_pmcr_p(part, h);
    vpmu::vcpu_pmu<arm64, pol::lazy<pol::partitioned>, vpmu::sim::arm_pmuv3> lazy{h.cpu,
                                                                                  cfg.value()};
    refuse_pmcr_p(lazy, h);
  }
  arm_host filtered(0);  // with an event filter and no FGT: MDCR_EL2.TPM traps everything
  vpmu::arm64_event_filter f;
  REQUIRE(f.add(0x08, 1, vpmu::arm64_event_filter::action::allow).has_value());
  const auto cfg =
      vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 6}, filtered.cpu.caps(), &f);
  vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> trap_all{filtered.cpu, cfg.value()};
  REQUIRE(trap_all.traps_everything());
  refuse_pmcr_p(trap_all, filtered);
}

TEST_CASE("arm64 restore: bits and counters beyond the guest's shape are refused by name") {
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 3}, h.cpu.caps());
  vpmu::vcpu_pmu<arm64, pol::emulated, vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>> pmu{
      h.perf, cfg.value()};
  const auto good = pmu.save_state();
  auto blob = good;
  blob.registers.pmcr = ~std::uint64_t{0};  // garbage: N would read 31 for a 3-counter guest
  CHECK_FALSE(pmu.restore_state(blob).has_value());
  blob = good;
  blob.registers.cnten = b(5);  // counter 5 of a 3-counter guest
  auto r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(names(r.error_value(), "PMCNTENSET_EL0", "P"));
  blob = good;
  blob.registers.evcntr[4] = 1;
  CHECK_FALSE(pmu.restore_state(blob).has_value());
  blob = good;
  blob.registers.evtyper[0] = vpmu::arm64::pmevtypern_el0::tlc.mask;  // FEAT_PMUv3_TH2 absent
  r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(names(r.error_value(), "PMEVTYPER<n>_EL0", "TLC"));
  blob = good;
  blob.registers.pmuacr = 1;  // not exposed to guests
  CHECK_FALSE(pmu.restore_state(blob).has_value());
  CHECK(pmu.save_state() == good);
  CHECK(pmu.restore_state(good).has_value());
}

TEST_CASE("arm64 restore: a 32-bit guest's counter cannot hold a 64-bit value") {
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p4, 4}, h.cpu.caps());
  REQUIRE(cfg.has_value());
  vpmu::vcpu_pmu<arm64, pol::emulated, vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>> pmu{
      h.perf, cfg.value()};
  auto blob = pmu.save_state();
  blob.registers.evcntr[1] = 0x1'0000'0005;  // PMUv3p4: event counters are 32 bits
  const auto r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(names(r.error_value(), "PMEVCNTR<n>_EL0", "EVCNT"));
}

TEST_CASE("restore: a state saved from another shape is refused") {
  arm_host h(1);
  const auto six = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 6}, h.cpu.caps());
  const auto two = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 2}, h.cpu.caps());
  vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> a{h.cpu, six.value()};
  vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> c{h.cpu, two.value()};
  const auto r = c.restore_state(a.save_state());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error_value().code == vpmu::errc::invalid_config);

  vpmu::sim::intel_pmu cpu;
  vpmu::x86_guest_shape big, small;
  small.gp_counters = 2;
  const auto caps = cpu.caps();
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> x{
      cpu, vpmu::validate_x86_config(big, caps).value()};
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> y{
      cpu, vpmu::validate_x86_config(small, caps).value()};
  CHECK_FALSE(y.restore_state(x.save_state()).has_value());
  CHECK(x.restore_state(x.save_state()).has_value());
}

TEST_CASE("Intel restore: reserved PERFEVTSEL / FIXED_CTR_CTRL bits and wide counters refused") {
  vpmu::sim::intel_pmu cpu;  // the host: v4, 8 GP + 3 fixed, 48 bits, full-width writes
  const auto cfg = vpmu::validate_x86_config(vpmu::x86_guest_shape{}, cpu.caps());
  REQUIRE(cfg.has_value());
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> pmu{cpu, cfg.value()};
  pmu.load();
  const auto good = pmu.save_state();
  auto blob = good;
  blob.registers.evtsel[0] = 0x3c | b(22) | b(21);  // EN | AnyThread
  auto r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(names(r.error_value(), "IA32_PERFEVTSELx", "ANY"));
  blob = good;
  blob.registers.evtsel[1] = b(40);  // UMASK2 without CPUID.0x23
  CHECK_FALSE(pmu.restore_state(blob).has_value());
  blob = good;
  blob.registers.pmc[2] = b(48);  // one bit beyond a 48-bit counter
  r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error_value().code == vpmu::errc::value_too_wide);
  blob = good;
  blob.registers.fixed_ctrl = b(2);  // AnyThread of fixed counter 0
  CHECK_FALSE(pmu.restore_state(blob).has_value());
  blob = good;
  blob.registers.global_ctrl = b(40);  // fixed counter 8 does not exist
  CHECK_FALSE(pmu.restore_state(blob).has_value());
  CHECK(cpu.backend_faults() == 0);  // nothing reached the hardware
  CHECK(pmu.save_state() == good);
}

TEST_CASE("AMD restore: HostOnly in a guest PERF_CTL is refused (the hypervisor's bit)") {
  vpmu::sim::amd_pmu cpu;
  vpmu::host_perf<vpmu::arch::amd, vpmu::sim::amd_pmu> perf{cpu, cpu.counter_width(), 0x3f};
  vpmu::x86_guest_shape s;
  s.vendor = vpmu::x86::vendor::amd;
  s.version = 2;
  s.gp_counters = 4;
  const auto cfg = vpmu::validate_x86_config(s, cpu.caps());
  REQUIRE(cfg.has_value());
  vpmu::vcpu_pmu<vpmu::arch::amd, pol::emulated, decltype(perf)> pmu{perf, cfg.value()};
  auto blob = pmu.save_state();
  blob.registers.ctl[0] = 0x76 | b(22) | b(41);  // EN | HostOnly
  const auto r = pmu.restore_state(blob);
  REQUIRE_FALSE(r.has_value());
  CHECK(names(r.error_value(), "AMD PERF_CTLn", "HOST_ONLY"));
}

TEST_CASE("IA32_DEBUGCTL: unimplemented and reserved bits #GP, FREEZE_WHILE_SMM is accepted") {
  vpmu::sim::intel_pmu cpu;
  const auto cfg = vpmu::validate_x86_config(vpmu::x86_guest_shape{}, cpu.caps());
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> pmu{cpu, cfg.value()};
  constexpr std::uint32_t debugctl = 0x1d9;
  CHECK(pmu.on_wrmsr(debugctl, ~std::uint64_t{0}).fault);
  CHECK(pmu.on_wrmsr(debugctl, b(12)).fault);  // FREEZE_PERFMON_ON_PMI: not emulated
  CHECK(pmu.on_rdmsr(debugctl).value == 0);
  CHECK_FALSE(pmu.on_wrmsr(debugctl, b(14)).fault);  // FREEZE_WHILE_SMM
  CHECK(pmu.on_rdmsr(debugctl).value == b(14));
}

namespace {
// A backend whose PMCR_EL0 reads show C and P set (RAZ on real PMUs, but a backend may not care).
struct noisy_pmcr {
  vpmu::sim::arm_pmuv3* cpu;
  std::uint64_t read(vpmu::arm64::sysreg_encoding e) {
    const std::uint64_t v = cpu->read(e);
    return e == vpmu::arm64::pmcr_el0::encoding ? v | b(1) | b(2) : v;
  }
  void write(vpmu::arm64::sysreg_encoding e, std::uint64_t v) { cpu->write(e, v); }
};
}  // namespace

TEST_CASE("arm64 passthrough keeps only PMCR_EL0's stored bits (never P or C) from hardware") {
  arm_host h(1);
  noisy_pmcr hw{&h.cpu};
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 6}, h.cpu.caps());
  vpmu::vcpu_pmu<arm64, pol::partitioned, noisy_pmcr> pmu{hw, cfg.value()};
  vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
  pmu.load();
  pmu.put();
  const auto s = pmu.save_state();
  CHECK((s.registers.pmcr & (b(1) | b(2))) == 0);
  CHECK(pmu.restore_state(s).has_value());  // and so the state it saves restores
}

TEST_CASE("one pmu_owner shared by a partitioned and an emulated vCPU stays truthful") {
  using vpmu::sim::el;
  using vpmu::sim::outcome;
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 6}, h.cpu.caps());
  vpmu::pmu_owner owner;
  vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> a{h.cpu, cfg.value(), &owner};
  vpmu::vcpu_pmu<arm64, pol::emulated, vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>> e{h.perf,
                                                                                       cfg.value()};
  const auto run = [&](auto& pmu, auto&& guest) {
    vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), &owner);
    pmu.load();
    guest();
    pmu.put();
  };
  constexpr vpmu::arm64::sysreg_encoding pmselr = vpmu::arm64::pmselr_el0::encoding;
  constexpr vpmu::arm64::sysreg_encoding pmuserenr = vpmu::arm64::pmuserenr_el0::encoding;
  constexpr vpmu::arm64::sysreg_encoding pmccntr = vpmu::arm64::pmccntr_el0::encoding;
  // A's kernel selects counter 3 and denies EL0 everything (with FGT both writes trap to EL2,
  // and A's policy writes them through; their reads run untrapped).
  const auto write = [&](vpmu::arm64::sysreg_encoding reg, std::uint64_t v) {
    const auto r = h.cpu.guest_write(el::el1, reg, v);
    if (r.kind == outcome::trap_el2) {
      REQUIRE_FALSE(a.on_sysreg(r.esr, v).undefined);
      return;
    }
    REQUIRE(r.kind == outcome::executed);
  };
  run(a, [&] {
    write(pmselr, 3);
    write(pmuserenr, 0);
  });
  run(e, [] {});  // trap-everything: neutral PMUSERENR = EN|SW|CR|ER, PMSELR = 0 on this CPU
  run(a, [&] {
    const auto sel = h.cpu.guest_read(el::el1, pmselr);
    CHECK(sel.kind == outcome::executed);
    CHECK(sel.value == 3);
    CHECK(h.cpu.guest_read(el::el0, pmccntr).kind == outcome::trap_el1);  // still denied
  });
}

TEST_CASE("an older arm64 guest on a PMUv3p5 host sees 32-bit event counters (every policy)") {
  using vpmu::sim::el;
  using vpmu::sim::outcome;
  static constexpr auto pmevcntr0 = vpmu::arm64::pmevcntr_el0<0>::encoding;
  static constexpr auto pmevtyper0 = vpmu::arm64::pmevtyper_el0<0>::encoding;
  static constexpr auto pmcntenset = vpmu::arm64::pmcntenset_el0::encoding;
  static constexpr auto pmcr = vpmu::arm64::pmcr_el0::encoding;
  const auto check = [](auto& h, auto& pmu) {
    const auto access = [&](bool rd, vpmu::arm64::sysreg_encoding e, std::uint64_t v) {
      auto o = rd ? h.cpu.guest_read(el::el1, e) : h.cpu.guest_write(el::el1, e, v);
      if (o.kind == outcome::trap_el2) {
        const auto r = pmu.on_sysreg(o.esr, v);
        REQUIRE_FALSE(r.undefined);
        return r.value;
      }
      REQUIRE(o.kind == outcome::executed);
      return o.value;
    };
    vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
    // A trapped (emulated) vCPU leaves PMCR_EL0 to the host, whose lent counters need E.
    if (pmu.trap_config().neutral_el0_state) h.cpu.write(pmcr, 1);
    pmu.load();
    (void)access(false, pmevcntr0, 0xabcd'0000'0000'0005);
    CHECK(access(true, pmevcntr0, 0) == 0x5);  // the architecture: 32 bits before PMUv3p5
    (void)access(false, pmevtyper0, 0x08);     // INST_RETIRED, EL0 and EL1
    (void)access(false, pmcntenset, 1);
    (void)access(false, pmcr, 1);  // E
    (void)access(false, pmevcntr0, 0xffff'fff0);
    h.cpu.set_el(el::el1);
    h.cpu.instructions(0x20);
    CHECK(access(true, pmevcntr0, 0) == 0x10);
    (void)access(false, pmcr, 1 | b(7));  // LP is RES0 before PMUv3p5
    CHECK((access(true, pmcr, 0) & b(7)) == 0);
    pmu.put();
    CHECK(pmu.save_state().registers.evcntr[0] == 0x10);
  };
  for (unsigned fgt : {0U, 1U}) {
    CAPTURE(fgt);
    arm_host h(fgt);
    const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p4, 6}, h.cpu.caps());
    REQUIRE(cfg.has_value());
    vpmu::vcpu_pmu<arm64, pol::partitioned, vpmu::sim::arm_pmuv3> part{h.cpu, cfg.value()};
    check(h, part);
  }
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p4, 6}, h.cpu.caps());
  vpmu::vcpu_pmu<arm64, pol::emulated, vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>> emul{
      h.perf, cfg.value()};
  check(h, emul);
}

TEST_CASE("arm64 config: a PMUv3p9 guest is refused (no policy gives it PMZR_EL0/PMUACR_EL1)") {
  vpmu::sim::arm_pmuv3 cpu{{10, vpmu::arm64::pmuver::v3p9, false, 2}};
  const auto r = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p9, 6}, cpu.caps());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error_value().code == vpmu::errc::invalid_config);
  CHECK(std::strncmp(r.error_value().field, "version", 7) == 0);
  CHECK(vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p8, 6}, cpu.caps()).has_value());
}

TEST_CASE(
    "an EL0 access its kernel denied traps to the guest's EL1, with the syndrome (emulated)") {
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 3}, h.cpu.caps());
  vpmu::vcpu_pmu<arm64, pol::emulated, vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>> pmu{
      h.perf, cfg.value()};
  vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
  pmu.load();
  // PMUSERENR_EL0 = 0 (the guest kernel's reset value): EL0 may not read PMCCNTR_EL0.
  const auto o = h.cpu.guest_read(vpmu::sim::el::el0, vpmu::arm64::pmccntr_el0::encoding, 7);
  REQUIRE(o.kind == vpmu::sim::outcome::trap_el2);  // neutral EL0 state: EL2 sees it first
  const vpmu::sysreg_result r = pmu.on_sysreg(o.esr, 0, /*from_el0=*/true);
  CHECK_FALSE(r.undefined);
  REQUIRE(r.trap_to_el1);
  // ESR_EL1: EC 0x18, IL, op0 3, op2 0, op1 3, CRn 9, Rt 7, CRm 13, direction read.
  CHECK(r.esr == ((0x18U << 26) | (1U << 25) | (3U << 20) | (0U << 17) | (3U << 14) | (9U << 10) |
                  (7U << 5) | (13U << 1) | 1U));
}

TEST_CASE("emulated x86: host work while the vCPU is loaded never reaches guest counters") {
  const auto run = [](auto& cpu, auto& perf, auto& pmu, std::uint32_t evtsel0, std::uint32_t pmc0,
                      std::uint64_t selector, auto&& retire) {
    REQUIRE_FALSE(pmu.on_wrmsr(evtsel0, selector).fault);
    pmu.load();
    perf.enter_guest();
    cpu.set_mode({true, 0});
    retire(50);  // the guest's work
    cpu.set_mode({false, 0});
    perf.exit_guest();
    retire(1000);  // exit handling: the hypervisor, the vCPU still loaded
    CHECK(pmu.on_rdmsr(pmc0).value == 50);
    pmu.put();
  };
  {
    vpmu::sim::intel_pmu cpu;
    vpmu::host_perf<vpmu::arch::intel, vpmu::sim::intel_pmu> perf{cpu, cpu.counter_width(), 0xff};
    vpmu::x86_guest_shape s;
    s.gp_counters = 2;
    s.fixed_counters = 0;
    vpmu::vcpu_pmu<vpmu::arch::intel, pol::emulated, decltype(perf)> pmu{
        perf, vpmu::validate_x86_config(s, cpu.caps()).value()};
    REQUIRE_FALSE(pmu.on_wrmsr(0x38f, 1).fault);  // GLOBAL_CTRL: counter 0
    run(cpu, perf, pmu, 0x186, 0xc1, 0xc0 | b(16) | b(17) | b(22),
        [&](std::uint64_t n) { cpu.retire(0xc0, n); });
  }
  {
    vpmu::sim::amd_pmu cpu;
    vpmu::host_perf<vpmu::arch::amd, vpmu::sim::amd_pmu> perf{cpu, cpu.counter_width(), 0x3f};
    vpmu::x86_guest_shape s;
    s.vendor = vpmu::x86::vendor::amd;
    s.version = 2;
    s.gp_counters = 2;
    vpmu::vcpu_pmu<vpmu::arch::amd, pol::emulated, decltype(perf)> pmu{
        perf, vpmu::validate_x86_config(s, cpu.caps()).value()};
    run(cpu, perf, pmu, 0xc0010200, 0xc0010201, 0xc0 | b(16) | b(17) | b(22),
        [&](std::uint64_t n) { cpu.retire(0xc0, n); });
  }
}

TEST_CASE(
    "AMD mediated on a host without PerfMonV2: no global MSR is touched, wraps raise the PMI") {
  vpmu::sim::amd_pmu cpu{{false, true, 6}};  // the host: six core counters, no PerfMonV2
  vpmu::x86_guest_shape s;
  s.vendor = vpmu::x86::vendor::amd;
  s.version = 1;
  s.gp_counters = 4;
  const auto cfg = vpmu::validate_x86_config(s, cpu.caps());
  REQUIRE(cfg.has_value());
  vpmu::vcpu_pmu<vpmu::arch::amd, pol::mediated, vpmu::sim::amd_pmu> pmu{cpu, cfg.value()};
  constexpr std::uint32_t ctl0 = 0xc0010200, ctr0 = 0xc0010201;
  REQUIRE_FALSE(pmu.on_wrmsr(ctl0, 0xc0 | b(16) | b(17) | b(20) | b(22)).fault);  // EN, INT
  REQUIRE_FALSE(pmu.on_wrmsr(ctr0, (std::uint64_t{1} << 48) - 10).fault);
  CHECK(pmu.trap_config().rdpmc_exiting);
  CHECK_FALSE(pmu.trap_config().passes_through(ctr0));  // intercepted: writes must be seen
  for (int round = 0; round < 2; ++round) {
    pmu.load();
    cpu.set_mode({true, 0});
    cpu.retire(0xc0, round == 0 ? 5 : 20);  // the second round wraps the counter
    cpu.set_mode({false, 0});
    if (round == 1) CHECK(pmu.on_host_overflow());
    pmu.put();
    // Stopped by the selector (no GlobalCtl): host-mode events after put() do not count.
    cpu.retire(0xc0, 1000);
  }
  CHECK(cpu.backend_faults() == 0);  // the host has no 0xC0000300-0xC0000303
  CHECK(pmu.irq_pending());
  CHECK(pmu.on_rdmsr(ctr0).value == 15);  // 2^48 - 10 + 25, wrapped
}

TEST_CASE("lazy: a restored state that counts puts the vCPU back into its regime") {
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, 6}, h.cpu.caps());
  vpmu::vcpu_pmu<arm64, pol::lazy<pol::partitioned>, vpmu::sim::arm_pmuv3> pmu{h.cpu, cfg.value()};
  auto s = pmu.save_state();      // inactive: nothing switched yet
  s.registers.pmcr |= 1;          // E
  s.registers.cnten = 1;          // counter 0 ...
  s.registers.evtyper[0] = 0x08;  // ... counts INST_RETIRED at EL0 and EL1
  REQUIRE_FALSE(pmu.active());
  REQUIRE(pmu.restore_state(s).has_value());
  CHECK(pmu.active());
  vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
  pmu.load();
  h.cpu.set_el(vpmu::sim::el::el1);
  h.cpu.instructions(7);
  h.cpu.set_el(vpmu::sim::el::el2);
  pmu.put();
  CHECK(pmu.save_state().registers.evcntr[0] == 7);
}

TEST_CASE("Intel mediated: a counter coming into use while loaded waits for VM entry") {
  vpmu::sim::intel_pmu cpu;  // GLOBAL_CTRL resets with every GP counter enabled
  vpmu::x86_guest_shape s;
  s.gp_counters = 2;
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> pmu{
      cpu, vpmu::validate_x86_config(s, cpu.caps()).value()};
  pmu.load();  // nothing in use: nothing switched
  REQUIRE_FALSE(pmu.on_wrmsr(0x187, 0xc0 | b(16) | b(17) | b(22)).fault);  // PERFEVTSEL1 EN
  cpu.retire(0xc0, 503);  // exit handling before the next VM entry: the host's time
  cpu.wrmsr(0x38f, pmu.entry_global_ctrl());  // VM entry: the VMCS guest GLOBAL_CTRL
  cpu.set_mode({true, 3});
  cpu.retire(0xc0, 5);
  cpu.set_mode({false, 0});
  cpu.wrmsr(0x38f, 0);  // VM exit
  pmu.put();
  CHECK(pmu.on_rdmsr(0xc2).value == 5);
}

TEST_CASE("Intel mediated: RDPMC passes through once every counter is the guest's and in use") {
  vpmu::sim::intel_pmu cpu;        // v4, 8 GP + 3 fixed
  vpmu::sim::intel_pmu reference;  // the architecture, fed the guest's events directly
  const auto caps = cpu.caps();
  vpmu::x86_guest_shape s;  // the host's own shape: RDPMC can name nothing but guest counters
  s.version = 4;
  s.gp_counters = 8;
  s.fixed_counters = 3;
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> pmu{
      cpu, vpmu::validate_x86_config(s, caps).value()};
  pmu.load();
  const auto both = [&](std::uint32_t msr, std::uint64_t v) {
    REQUIRE_FALSE(pmu.on_wrmsr(msr, v).fault);
    REQUIRE_FALSE(reference.try_wrmsr(msr, v).fault);
  };
  for (unsigned x = 0; x < 8; ++x)
    both(0x186 + x, 0xc0 | b(16) | b(17) | b(22));
  CHECK(pmu.trap_config().rdpmc_exiting);  // fixed counters not in use yet
  both(0x38d, 0x333);                      // fixed 0-2: OS | USR
  both(0x38f, 0xff | (0x7ULL << 32));
  REQUIRE_FALSE(pmu.trap_config().rdpmc_exiting);
  cpu.wrmsr(0x38f, pmu.entry_global_ctrl());  // VM entry
  cpu.set_mode({true, 3});
  cpu.instructions(42);
  cpu.set_mode({false, 0});
  cpu.wrmsr(0x38f, 0);  // VM exit
  reference.instructions(42);
  // The guest's RDPMC runs on the hardware: it reads exactly what the architecture says.
  for (std::uint32_t sel : {0U, 7U, (1U << 30) | 0U}) {
    CAPTURE(sel);
    CHECK(cpu.try_rdpmc(sel).value == reference.try_rdpmc(sel).value);
  }
  pmu.put();
  CHECK(pmu.on_rdpmc(3).value == 42);
}

TEST_CASE("a filter changed at run time takes effect (on_filter_change), mediated and emulated") {
  const auto deny_c0 = [] {
    const std::uint64_t e[] = {0xc0};
    return vpmu::x86_event_filter::create(1, 0, 0, e, 1).value();
  };
  const auto allow_c0 = [] {
    const std::uint64_t e[] = {0xc0};
    return vpmu::x86_event_filter::create(0, 0, 0, e, 1).value();
  };
  const auto run = [&](auto& cpu, auto& perf, auto& pmu, vpmu::x86_event_filter& f, bool mediated) {
    REQUIRE_FALSE(pmu.on_wrmsr(0x186, 0xc0 | b(16) | b(17) | b(22)).fault);
    REQUIRE_FALSE(pmu.on_wrmsr(0x38f, 1).fault);
    const auto slice = [&](std::uint64_t n) {
      pmu.load();
      perf.enter_guest();
      if (mediated) cpu.wrmsr(0x38f, pmu.entry_global_ctrl());  // VM entry (VMCS)
      cpu.set_mode({true, 3});
      cpu.retire(0xc0, n);
      cpu.set_mode({false, 0});
      if (mediated) cpu.wrmsr(0x38f, 0);  // VM exit
      perf.exit_guest();
      perf.reassert();
      pmu.put();
    };
    slice(10);  // denied: nothing counts
    CHECK(pmu.on_rdmsr(0xc1).value == 0);
    f = allow_c0();
    pmu.on_filter_change();
    slice(10);
    CHECK(pmu.on_rdmsr(0xc1).value == 10);
  };
  vpmu::x86_guest_shape s;
  s.gp_counters = 2;
  s.fixed_counters = 0;
  {
    vpmu::sim::intel_pmu cpu;
    vpmu::host_perf<vpmu::arch::intel, vpmu::sim::intel_pmu> perf{cpu, cpu.counter_width(), 0xfc};
    vpmu::x86_event_filter f = deny_c0();
    vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> pmu{
        cpu, vpmu::validate_x86_config(s, cpu.caps(), &f).value()};
    run(cpu, perf, pmu, f, true);
  }
  {
    vpmu::sim::intel_pmu cpu;
    vpmu::host_perf<vpmu::arch::intel, vpmu::sim::intel_pmu> perf{cpu, cpu.counter_width(), 0xff};
    vpmu::x86_event_filter f = deny_c0();
    vpmu::vcpu_pmu<vpmu::arch::intel, pol::emulated, decltype(perf)> pmu{
        perf, vpmu::validate_x86_config(s, cpu.caps(), &f).value()};
    run(cpu, perf, pmu, f, false);
  }
}

// A host that reports a backing counter's overflow late (QEMU: at the guest's next trapped PMU
// access) must not cost the guest its interrupt. The Arm ARM asserts the PMU interrupt when the
// counter overflows with PMINTEN and PMCR_EL0.E set (D24.4 "Generating overflow interrupt
// requests"); that was before the guest's PMCR_EL0.E = 0, so the guest must still take it.
TEST_CASE(
    "arm64 emulated: an overflow folded at the access that clears PMCR_EL0.E still interrupts") {
  using vpmu::sim::el;
  using vpmu::sim::outcome;
  namespace a64 = vpmu::arm64;
  arm_host h(1);
  const auto cfg = vpmu::validate_arm64_config({a64::pmuver::v3p5, 6}, h.cpu.caps()).value();
  vpmu::vcpu_pmu<arm64, pol::emulated, vpmu::host_perf<arm64, vpmu::sim::arm_pmuv3>> pmu{h.perf,
                                                                                         cfg};
  const auto access = [&](bool rd, a64::sysreg_encoding e, std::uint64_t v) {
    const auto o = rd ? h.cpu.guest_read(el::el1, e) : h.cpu.guest_write(el::el1, e, v);
    REQUIRE(o.kind == outcome::trap_el2);  // emulated: every access traps
    const auto r = pmu.on_sysreg(o.esr, v);
    REQUIRE_FALSE(r.undefined);
    return r.value;
  };
  vpmu::program_traps(h.cpu, pmu.trap_config(), h.cpu.caps(), nullptr);
  h.cpu.write(a64::pmcr_el0::encoding, 1);  // the host's lent counters need E
  pmu.load();
  (void)access(false, a64::pmevtyper_el0<0>::encoding, 0x08);  // INST_RETIRED, EL0 and EL1
  (void)access(false, a64::pmevcntr_el0<0>::encoding, 0xffff'fff0);
  (void)access(false, a64::pmintenset_el1::encoding, 1);
  (void)access(false, a64::pmcntenset_el0::encoding, 1);
  (void)access(false, a64::pmcr_el0::encoding, 1);  // E: counting starts
  h.cpu.set_el(el::el1);
  h.cpu.instructions(0x20);  // overflows; the host's interrupt is not reported (late)
  h.cpu.set_el(el::el2);
  CHECK_FALSE(pmu.irq_pending());                   // nothing folded yet
  (void)access(false, a64::pmcr_el0::encoding, 0);  // E = 0 ends the measurement
  CHECK(pmu.irq_pending());                         // the overflow came before it: still raised
  CHECK(pmu.irq_pending());                         // a level until acknowledged
  // The guest's handler reads PMOVSCLR (bit 0: counter 0 overflowed) and clears it.
  CHECK((access(true, a64::pmovsclr_el0::encoding, 0) & 1) == 1);
  (void)access(false, a64::pmovsclr_el0::encoding, 1);
  CHECK_FALSE(pmu.irq_pending());
  pmu.put();
}
