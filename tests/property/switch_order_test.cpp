// SPDX-License-Identifier: MIT
// The order of the world-switch sequences, pinned with the recording backend, and the cost of an
// idle guest under lazy<>, counted with the counting backend.
#include <cstddef>
#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

#include "vpmu/access/counting.hpp"
#include "vpmu/access/recording.hpp"
#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace {

using vpmu::access_op;
using vpmu::access_record;

template <class Rec>
std::ptrdiff_t first(const Rec& log, access_op op, std::uint32_t id, std::ptrdiff_t from = 0) {
  for (std::size_t i = static_cast<std::size_t>(from); i < log.size(); ++i) {
    if (log[i].op == op && log[i].id == id) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}
template <class Rec>
std::ptrdiff_t last(const Rec& log, access_op op, std::uint32_t id) {
  std::ptrdiff_t at = -1;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].op == op && log[i].id == id) at = static_cast<std::ptrdiff_t>(i);
  }
  return at;
}

}  // namespace

TEST_CASE(
    "Intel mediated load: counting stopped first / counter before its selector / no GLOBAL_CTRL "
    "enable") {
  vpmu::sim::intel_pmu cpu;
  vpmu::recording<vpmu::sim::intel_pmu> rec{cpu};
  const auto cfg = vpmu::validate_x86_config(vpmu::x86_guest_shape{}, cpu.caps()).value();
  vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::mediated, decltype(rec)> pmu{rec, cfg};
  (void)pmu.on_wrmsr(0x186, 0x4300c0);
  (void)pmu.on_wrmsr(0x188, 0x43003c);
  (void)pmu.on_wrmsr(0x38d, 0x1);
  rec.clear();
  pmu.load();
  REQUIRE(rec.size() > 0);
  CHECK(rec[0] == access_record{access_op::wrmsr, 0x38f, 0});  // host quiesced before anything
  for (std::uint32_t i : {0U, 2U}) {
    const auto counter = first(rec, access_op::wrmsr, 0x4c1 + i);
    const auto selector = first(rec, access_op::wrmsr, 0x186 + i);
    CHECK(counter > 0);
    CHECK(selector > counter);
  }
  CHECK(first(rec, access_op::wrmsr, 0x187) == -1);  // unused counters are not touched
  CHECK(first(rec, access_op::wrmsr, 0x38d) > first(rec, access_op::wrmsr, 0x309));
  CHECK(last(rec, access_op::wrmsr, 0x38f) == 0);  // the guest's enable comes from the VMCS
  // GLOBAL_CTRL resets to every GP counter enabled (0xf); the VMCS value keeps counters in use.
  CHECK(pmu.entry_global_ctrl() == 0x5);
  (void)pmu.on_wrmsr(0x38f, 0x1'0000'0007);
  CHECK(pmu.entry_global_ctrl() == 0x1'0000'0005);
}

TEST_CASE(
    "AMD mediated: GLOBAL_CTL off before the switch, guest enables last / put stops counting "
    "before reading") {
  vpmu::sim::amd_pmu cpu;
  vpmu::recording<vpmu::sim::amd_pmu> rec{cpu};
  vpmu::x86_guest_shape shape;
  shape.vendor = vpmu::x86::vendor::amd;
  const auto cfg = vpmu::validate_x86_config(shape, cpu.caps()).value();
  vpmu::vcpu_pmu<vpmu::arch::amd, vpmu::policy::mediated, decltype(rec)> pmu{rec, cfg};
  (void)pmu.on_wrmsr(0xc001'0200, 0x4300c0);
  rec.clear();
  pmu.load();
  CHECK(rec[0] == access_record{access_op::wrmsr, 0xc000'0301, 0});
  CHECK(last(rec, access_op::wrmsr, 0xc000'0301) == static_cast<std::ptrdiff_t>(rec.size()) - 1);
  CHECK(rec[rec.size() - 1].value == 0x1);
  // The hardware copy carries GuestOnly.
  const auto sel = first(rec, access_op::wrmsr, 0xc001'0000);
  REQUIRE(sel >= 0);
  CHECK((rec[static_cast<std::size_t>(sel)].value & (1ULL << 40)) != 0);
  rec.clear();
  pmu.put();
  CHECK(rec[0] == access_record{access_op::wrmsr, 0xc000'0301, 0});
  CHECK(first(rec, access_op::rdpmc, 0) > 0);
}

TEST_CASE(
    "arm64 partitioned load: typers and counters before PMCR / PMCR before the enables / put stops "
    "the guest range last") {
  using namespace vpmu::arm64;
  vpmu::sim::arm_pmuv3 cpu{{10, pmuver::v3p5, false, 1}};
  vpmu::recording<vpmu::sim::arm_pmuv3> rec{cpu};
  const auto cfg = vpmu::validate_arm64_config({pmuver::v3p5, 4}, cpu.caps()).value();
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, decltype(rec)> pmu{rec, cfg};
  cpu.write(mdcr_el2::encoding, pmu.trap_config().mdcr_el2);
  (void)pmu.on_sysreg(encode_esr({pmevtyper_encoding_unchecked(1), false, 0}), 0x08);
  pmu.load();
  const auto pmcr = first(rec, access_op::write, pmcr_el0::encoding.key());
  const auto cnten = first(rec, access_op::write, pmcntenclr_el0::encoding.key());
  REQUIRE(pmcr > 0);
  for (unsigned n = 0; n < 4; ++n) {
    CHECK(first(rec, access_op::write, pmevcntr_encoding_unchecked(n).key()) < pmcr);
    CHECK(first(rec, access_op::write, pmevtyper_encoding_unchecked(n).key()) < pmcr);
  }
  CHECK(cnten > pmcr);
  // Only the guest range is touched: no access to counters >= HPMN.
  for (unsigned n = 4; n < 10; ++n) {
    CHECK(first(rec, access_op::write, pmevcntr_encoding_unchecked(n).key()) == -1);
    CHECK(first(rec, access_op::write, pmevtyper_encoding_unchecked(n).key()) == -1);
  }
  (void)cpu.guest_write(vpmu::sim::el::el1, pmcr_el0::encoding, 1);  // the guest enables, untrapped
  rec.clear();
  pmu.put();
  REQUIRE(rec.size() > 1);
  // The guest's PMCR (E set) read back, then written with E clear: the guest range stops.
  CHECK(rec[rec.size() - 1] == access_record{access_op::write, pmcr_el0::encoding.key(), 0});
}

TEST_CASE("an idle guest under lazy<> costs 0 register accesses per load + put") {
  vpmu::sim::intel_pmu cpu;
  vpmu::counting<vpmu::sim::intel_pmu> counted{cpu};
  const auto cfg = vpmu::validate_x86_config(vpmu::x86_guest_shape{}, cpu.caps()).value();
  vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::lazy<vpmu::policy::mediated>, decltype(counted)>
      pmu{counted, cfg};
  for (int i = 0; i < 1000; ++i) {
    pmu.load();
    pmu.put();
  }
  CHECK(counted.counts().total_reads() == 0);
  CHECK(counted.counts().total_writes() == 0);
  CHECK(pmu.trap_config().count == 0);  // everything traps

  using namespace vpmu::arm64;
  vpmu::sim::arm_pmuv3 arm{{10, pmuver::v3p5, false, 1}};
  vpmu::counting<vpmu::sim::arm_pmuv3> arm_counted{arm};
  const auto acfg = vpmu::validate_arm64_config({pmuver::v3p5, 6}, arm.caps()).value();
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::lazy<vpmu::policy::partitioned>,
                 decltype(arm_counted)>
      apmu{arm_counted, acfg};
  for (int i = 0; i < 1000; ++i) {
    apmu.load();
    apmu.put();
  }
  CHECK(arm_counted.counts().total_reads() == 0);
  CHECK(arm_counted.counts().total_writes() == 0);
  CHECK((apmu.trap_config().mdcr_el2 & mdcr_el2::tpm.mask) != 0);
  // The first access switches to the partitioned regime; an idle fallback returns to trapping.
  apmu.set_idle_puts(3);
  (void)apmu.on_sysreg(encode_esr({pmcr_el0::encoding, true, 0}), 0);
  CHECK(apmu.active());
  CHECK((apmu.trap_config().mdcr_el2 & mdcr_el2::tpm.mask) == 0);
  for (int i = 0; i < 3; ++i) {
    apmu.load();
    apmu.put();
  }
  CHECK_FALSE(apmu.active());
}

TEST_CASE("arm64 partitioned with a pmu_owner: a reload on the same CPU writes only what changed") {
  using namespace vpmu::arm64;
  vpmu::sim::arm_pmuv3 cpu{{10, pmuver::v3p5, false, 1}};
  vpmu::counting<vpmu::sim::arm_pmuv3> counted{cpu};
  const auto cfg = vpmu::validate_arm64_config({pmuver::v3p5, 6}, cpu.caps()).value();
  vpmu::pmu_owner owner;
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, decltype(counted)> a{counted, cfg,
                                                                                    &owner};
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, decltype(counted)> b{counted, cfg,
                                                                                    &owner};
  a.load();
  (void)cpu.guest_write(vpmu::sim::el::el1, pmcr_el0::encoding, 1);
  a.put();
  counted.reset();
  a.load();  // still the owner, and only PMCR changed (put cleared E, the guest had it set)
  CHECK(counted.counts().total_writes() == 1);
  a.put();
  b.load();  // another vCPU: everything is written
  const auto full = counted.counts().total_writes();
  b.put();
  counted.reset();
  a.load();  // a is no longer the owner: everything again
  CHECK(counted.counts().total_writes() >= 6);
  CHECK(full >= 6);
}

TEST_CASE("guest shapes the host cannot back are errors naming what does not fit") {
  vpmu::sim::intel_pmu cpu{{4, 4, 48, 3, 48, false}};
  vpmu::x86_guest_shape s;
  s.gp_counters = 8;
  auto r = vpmu::validate_x86_config(s, cpu.caps());
  REQUIRE_FALSE(r.has_value());
  CHECK(vpmu::equal_strings(r.error_value().field, "gp_counters"));
  s = {};
  s.version = 5;
  CHECK(
      vpmu::equal_strings(vpmu::validate_x86_config(s, cpu.caps()).error_value().field, "version"));
  s = {};
  s.gp_width = 40;
  CHECK(vpmu::equal_strings(vpmu::validate_x86_config(s, cpu.caps()).error_value().field,
                            "gp_width"));
  s = {};
  s.fixed_counters = 4;
  CHECK(vpmu::equal_strings(vpmu::validate_x86_config(s, cpu.caps()).error_value().field,
                            "fixed_counters"));
  s = {};
  CHECK(vpmu::equal_strings(vpmu::validate_x86_config(s, cpu.caps()).error_value().field,
                            "fw_writes"));
  s.fw_writes = false;
  CHECK(vpmu::validate_x86_config(s, cpu.caps()).has_value());
  // The CPUID leaf a hypervisor shows the guest decodes back to the shape.
  const auto leaf = vpmu::x86::encode_intel_cpuid_0a(s.intel_caps());
  CHECK(vpmu::x86::decode_intel_cpuid(leaf).gp_counters == s.gp_counters);

  using namespace vpmu::arm64;
  vpmu::sim::arm_pmuv3 arm{{6, pmuver::v3p4}};
  CHECK(vpmu::equal_strings(
      vpmu::validate_arm64_config({pmuver::v3p5, 4}, arm.caps()).error_value().field, "version"));
  CHECK(vpmu::equal_strings(
      vpmu::validate_arm64_config({pmuver::v3p4, 7}, arm.caps()).error_value().field, "counters"));
  // HPMN = 0 only with FEAT_HPMN0.
  CHECK_FALSE(vpmu::validate_arm64_config({pmuver::v3p4, 0}, arm.caps()).has_value());
  vpmu::sim::arm_pmuv3 hpmn0{{6, pmuver::v3p4, true}};
  CHECK(vpmu::validate_arm64_config({pmuver::v3p4, 0}, hpmn0.caps()).has_value());
}

TEST_CASE("the arm64 event filter follows KVM's first-range default and is constexpr") {
  constexpr vpmu::arm64_event_filter f = [] {
    vpmu::arm64_event_filter x;
    (void)x.add(0x08, 1, vpmu::arm64_event_filter::action::allow);
    (void)x.add(0x11, 1, vpmu::arm64_event_filter::action::allow);
    return x;
  }();
  static_assert(f.allows(0x08) && f.allows(0x11) && !f.allows(0x23));  // allow first: deny the rest
  vpmu::arm64_event_filter d;
  CHECK(d.add(0x23, 2, vpmu::arm64_event_filter::action::deny).has_value());
  CHECK_FALSE(d.allows(0x24));
  CHECK(d.allows(0x08));  // deny first: allow the rest
  CHECK_FALSE(d.add(0xffff, 2, vpmu::arm64_event_filter::action::deny).has_value());
}
