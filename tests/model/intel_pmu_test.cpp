// SPDX-License-Identifier: MIT
// The Intel model against the SDM's rules (Vol. 3B ch. 21), one case per rule.
#include "vpmu/sim/intel_pmu.hpp"

#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

using namespace vpmu::x86;
using vpmu::sim::intel_pmu;
using vpmu::sim::x86_mode;
namespace ev = vpmu::sim::intel_event;

namespace {
constexpr std::uint64_t EN = 1ULL << 22, OS = 1ULL << 17, USR = 1ULL << 16, INT = 1ULL << 20;
constexpr std::uint64_t INV = 1ULL << 23, EDGE = 1ULL << 18;
constexpr std::uint32_t evtsel0 = 0x186, pmc0 = 0xc1, a_pmc0 = 0x4c1, fixed0 = 0x309;
constexpr std::uint32_t fixed_ctrl = 0x38d, status = 0x38e, ctrl = 0x38f, ovf_ctrl = 0x390;
constexpr std::uint32_t status_set = 0x391, inuse = 0x392;
}  // namespace

TEST_CASE("a GP counter counts its event only when EN and its GLOBAL_CTRL bit are set") {
  intel_pmu pmu;
  pmu.wrmsr(evtsel0, ev::instructions | OS | USR);  // EN clear
  pmu.instructions(5);
  CHECK(pmu.rdmsr(pmc0) == 0);
  pmu.wrmsr(evtsel0, ev::instructions | OS | USR | EN);
  pmu.instructions(5);
  pmu.retire(ev::branches, 3);  // another event
  CHECK(pmu.rdmsr(pmc0) == 5);
  pmu.wrmsr(ctrl, 0);  // GLOBAL_CTRL gates everything
  pmu.instructions(5);
  CHECK(pmu.rdmsr(pmc0) == 5);
}

TEST_CASE("USR counts at ring 3 / OS at ring 0") {
  intel_pmu pmu;
  pmu.wrmsr(evtsel0, ev::instructions | OS | EN);
  pmu.wrmsr(evtsel0 + 1, ev::instructions | USR | EN);
  pmu.set_mode({false, 3});
  pmu.instructions(7);
  pmu.set_mode({false, 0});
  pmu.instructions(2);
  CHECK(pmu.rdmsr(pmc0) == 2);
  CHECK(pmu.rdmsr(pmc0 + 1) == 7);
}

TEST_CASE("CMASK counts cycles with >= CMASK occurrences / INV inverts / E counts rising edges") {
  intel_pmu pmu;
  pmu.wrmsr(evtsel0, ev::instructions | OS | EN | (2ULL << 24));
  pmu.wrmsr(evtsel0 + 1, ev::instructions | OS | EN | INV | (2ULL << 24));
  pmu.wrmsr(evtsel0 + 2, ev::instructions | OS | EN | EDGE | (2ULL << 24));
  for (std::uint64_t per_cycle : {3ULL, 1ULL, 2ULL, 2ULL, 0ULL, 5ULL})
    pmu.instructions(per_cycle);
  CHECK(pmu.rdmsr(pmc0) == 4);      // cycles with >= 2: 3, 2, 2, 5
  CHECK(pmu.rdmsr(pmc0 + 1) == 2);  // cycles with < 2: 1, 0
  CHECK(pmu.rdmsr(pmc0 + 2) == 3);  // rising edges of (>= 2): at 3, at the first 2, at 5
}

TEST_CASE("overflow sets GLOBAL_STATUS and raises the PMI only with INT") {
  intel_pmu pmu{{4, 4, 48, 3, 48, true}};
  pmu.wrmsr(evtsel0, ev::instructions | OS | EN);
  pmu.wrmsr(a_pmc0, 0xffff'ffff'fffe);
  pmu.instructions(3);
  CHECK(pmu.rdmsr(pmc0) == 1);
  CHECK(pmu.rdmsr(status) == 1);
  CHECK_FALSE(pmu.irq_pending());
  pmu.wrmsr(evtsel0 + 1, ev::instructions | OS | EN | INT);
  pmu.wrmsr(a_pmc0 + 1, 0xffff'ffff'ffff);
  pmu.instructions(1);
  CHECK(pmu.rdmsr(status) == 0b11);
  CHECK(pmu.irq_pending());
}

TEST_CASE("fixed counters: nibble OS/USR / GLOBAL_CTRL bit 32+i / status bit 32+i / PMI bit") {
  intel_pmu pmu;
  pmu.wrmsr(fixed_ctrl, 0x1 | (0xa << 4));  // fixed0 OS; fixed1 USR|PMI
  pmu.wrmsr(ctrl, 0x3ULL << 32);
  pmu.set_mode({false, 0});
  pmu.instructions(4);
  pmu.cycles(10);
  pmu.set_mode({false, 3});
  pmu.instructions(4);
  pmu.cycles(10);
  CHECK(pmu.rdmsr(fixed0) == 4);       // instructions at ring 0 only
  CHECK(pmu.rdmsr(fixed0 + 1) == 10);  // core cycles at ring 3 only
  CHECK(pmu.rdmsr(fixed0 + 2) == 0);   // not enabled
  pmu.wrmsr(fixed0 + 1, 0xffff'ffff'ffff);
  pmu.cycles(1);
  CHECK(pmu.rdmsr(status) == (1ULL << 33));
  CHECK(pmu.irq_pending());
}

TEST_CASE("OVF_CTRL clears status bits / STATUS_SET sets them (v4) / STATUS is read-only") {
  intel_pmu pmu;
  CHECK_FALSE(pmu.try_wrmsr(status_set, 0b101 | (1ULL << 33)).fault);
  CHECK(pmu.rdmsr(status) == (0b101 | (1ULL << 33)));
  CHECK_FALSE(pmu.try_wrmsr(ovf_ctrl, 0b001).fault);
  CHECK(pmu.rdmsr(status) == (0b100 | (1ULL << 33)));
  CHECK(pmu.rdmsr(ovf_ctrl) == 0);
  CHECK(pmu.try_wrmsr(status, 0).fault);
  CHECK(pmu.try_wrmsr(ovf_ctrl, 1ULL << 40).fault);  // reserved bit
  intel_pmu v3{{3}};
  CHECK(v3.try_wrmsr(status_set, 1).fault);  // no STATUS_SET before version 4
  CHECK(v3.try_rdmsr(inuse).fault);
}

TEST_CASE("INUSE reflects programmed selectors / fixed nibbles and PMI bits (v4)") {
  intel_pmu pmu;
  CHECK(pmu.rdmsr(inuse) == 0);
  pmu.wrmsr(evtsel0 + 2, ev::branches | OS);
  pmu.wrmsr(fixed_ctrl, 0x8 << 4);
  CHECK(pmu.rdmsr(inuse) == ((1ULL << 2) | (1ULL << 33) | (1ULL << 63)));
  CHECK(pmu.try_wrmsr(inuse, 0).fault);
}

TEST_CASE("legacy PMC writes sign-extend bit 31 / full-width writes take the value as is") {
  intel_pmu pmu{{4, 4, 48, 3, 48, true}};
  pmu.wrmsr(pmc0, 0x8000'0000);
  CHECK(pmu.rdmsr(pmc0) == 0xffff'8000'0000);
  pmu.wrmsr(pmc0, 0x1'7fff'ffff);  // bits above 31 are not written
  CHECK(pmu.rdmsr(pmc0) == 0x7fff'ffff);
  pmu.wrmsr(a_pmc0, 0x1234'5678'9abc);
  CHECK(pmu.rdmsr(pmc0) == 0x1234'5678'9abc);
  CHECK(pmu.try_wrmsr(a_pmc0, 1ULL << 48).fault);  // beyond the counter width
  intel_pmu no_fw{{4, 4, 48, 3, 48, false}};
  CHECK(no_fw.try_wrmsr(a_pmc0, 1).fault);
  CHECK(no_fw.try_rdmsr(a_pmc0).fault);
}

TEST_CASE("#GP for reserved bits and for MSRs the PMU does not have") {
  intel_pmu pmu{{4, 4, 48, 3, 48, true}};
  CHECK(pmu.try_wrmsr(evtsel0, EN | (1ULL << 21)).fault);  // AnyThread
  CHECK(pmu.try_wrmsr(evtsel0, EN | (1ULL << 32)).fault);
  CHECK(pmu.try_wrmsr(evtsel0 + 4, EN).fault);  // only 4 GP counters
  CHECK(pmu.try_rdmsr(pmc0 + 4).fault);
  CHECK(pmu.try_wrmsr(fixed_ctrl, 0x4).fault);        // AnyThread nibble bit
  CHECK(pmu.try_wrmsr(fixed_ctrl, 0x1 << 12).fault);  // fixed counter 3 does not exist
  CHECK(pmu.try_wrmsr(ctrl, 1ULL << 4).fault);
  CHECK(pmu.try_wrmsr(ctrl, 1ULL << 35).fault);
  CHECK(pmu.try_rdmsr(fixed0 + 3).fault);
  CHECK(pmu.backend_faults() == 0);  // try_ accesses never count as backend faults
  intel_pmu v1{{1, 2, 40, 0, 0, false}};
  CHECK(v1.try_rdmsr(ctrl).fault);
  CHECK(v1.try_rdmsr(fixed_ctrl).fault);
  // Version 1 has no GLOBAL_CTRL: an enabled selector counts.
  v1.wrmsr(evtsel0, ev::instructions | OS | EN);
  v1.instructions(3);
  CHECK(v1.rdmsr(pmc0) == 3);
}

TEST_CASE("RDPMC: ECX 30 selects fixed counters / ECX 31 faults / absent counters fault") {
  intel_pmu pmu;
  pmu.wrmsr(pmc0 + 3, 77);
  pmu.wrmsr(fixed0 + 2, 88);
  CHECK(pmu.rdpmc(3) == 77);
  CHECK(pmu.rdpmc((1U << 30) | 2) == 88);
  CHECK(pmu.try_rdpmc(1U << 31).fault);
  CHECK(pmu.try_rdpmc(8).fault);
  CHECK(pmu.try_rdpmc((1U << 30) | 3).fault);
}

TEST_CASE("the backend view counts faults instead of hiding them") {
  intel_pmu pmu{{2}};
  pmu.wrmsr(status, 1);
  (void)pmu.rdmsr(0x12345);
  CHECK(pmu.backend_faults() == 2);
}
