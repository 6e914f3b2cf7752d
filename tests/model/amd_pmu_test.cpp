// SPDX-License-Identifier: MIT
// The AMD model against the APM's rules (Vol. 2 13.2), one case per rule.
#include "vpmu/sim/amd_pmu.hpp"

#include <cstdint>
#include <doctest/doctest.h>

using vpmu::sim::amd_pmu;

namespace {
constexpr std::uint64_t EN = 1ULL << 22, OS = 1ULL << 17, USR = 1ULL << 16, INT = 1ULL << 20;
constexpr std::uint64_t GUEST_ONLY = 1ULL << 40, HOST_ONLY = 1ULL << 41;
constexpr std::uint32_t legacy_sel0 = 0xc001'0000, legacy_ctr0 = 0xc001'0004;
constexpr std::uint32_t ctl0 = 0xc001'0200, ctr0 = 0xc001'0201;
constexpr std::uint32_t g_status = 0xc000'0300, g_ctl = 0xc000'0301, g_clr = 0xc000'0302,
                        g_set = 0xc000'0303;
constexpr std::uint32_t retired = 0xc0;  // event 0xC0, umask 0
}  // namespace

TEST_CASE("legacy PerfEvtSel0-3/PerfCtr0-3 alias core extension counters 0-3") {
  amd_pmu pmu;
  for (unsigned n = 0; n < 4; ++n) {
    pmu.wrmsr(legacy_sel0 + n, retired | OS | EN | n);
    CHECK(pmu.rdmsr(ctl0 + 2 * n) == (retired | OS | EN | n));
    pmu.wrmsr(ctr0 + 2 * n, 100 + n);
    CHECK(pmu.rdmsr(legacy_ctr0 + n) == 100 + n);
  }
  CHECK(pmu.try_rdmsr(0xc001'0008).fault);  // nothing after PerfCtr3
}

TEST_CASE("counters are 48 bits / overflow sets GlobalStatus and raises the PMI with INT") {
  amd_pmu pmu;
  pmu.wrmsr(ctl0, retired | OS | EN | INT);
  pmu.wrmsr(ctr0, 0xffff'ffff'ffff'ffff);
  CHECK(pmu.rdmsr(ctr0) == 0xffff'ffff'ffff);
  pmu.retire(retired, 2);
  CHECK(pmu.rdmsr(ctr0) == 1);
  CHECK(pmu.rdmsr(g_status) == 1);
  CHECK(pmu.irq_pending());
}

TEST_CASE("PerfMonV2: GlobalCtl gates counting / StatusClr/StatusSet / Status is read-only") {
  amd_pmu pmu;
  CHECK(pmu.rdmsr(g_ctl) == 0x3f);  // every counter enabled at reset
  pmu.wrmsr(ctl0 + 2, retired | OS | EN);
  pmu.wrmsr(g_ctl, 0b1);
  pmu.retire(retired, 5);
  CHECK(pmu.rdmsr(ctr0 + 2) == 0);
  pmu.wrmsr(g_ctl, 0b10);
  pmu.retire(retired, 5);
  CHECK(pmu.rdmsr(ctr0 + 2) == 5);
  pmu.wrmsr(g_set, 0b1010);
  CHECK(pmu.rdmsr(g_status) == 0b1010);
  pmu.wrmsr(g_clr, 0b0010);
  CHECK(pmu.rdmsr(g_status) == 0b1000);
  CHECK_FALSE(pmu.try_wrmsr(g_status, 0).fault);  // ignored, no #GP
  CHECK(pmu.rdmsr(g_status) == 0b1000);
  amd_pmu v1{{false, true, 6}};
  CHECK(v1.try_rdmsr(g_ctl).fault);
}

TEST_CASE("HostOnly / GuestOnly select the mode / both or neither count everywhere") {
  amd_pmu pmu;
  pmu.wrmsr(ctl0, retired | OS | EN);
  pmu.wrmsr(ctl0 + 2, retired | OS | EN | HOST_ONLY);
  pmu.wrmsr(ctl0 + 4, retired | OS | EN | GUEST_ONLY);
  pmu.wrmsr(ctl0 + 6, retired | OS | EN | GUEST_ONLY | HOST_ONLY);
  pmu.set_mode({false, 0});
  pmu.retire(retired, 3);
  pmu.set_mode({true, 0});
  pmu.retire(retired, 4);
  CHECK(pmu.rdmsr(ctr0) == 7);
  CHECK(pmu.rdmsr(ctr0 + 2) == 3);
  CHECK(pmu.rdmsr(ctr0 + 4) == 4);
  CHECK(pmu.rdmsr(ctr0 + 6) == 7);
}

TEST_CASE("reserved selector bits are dropped / never a #GP") {
  amd_pmu pmu;
  const std::uint64_t reserved = (1ULL << 19) | (1ULL << 21) | (0xfULL << 36) | (1ULL << 50);
  const auto o = pmu.try_wrmsr(ctl0, retired | EN | USR | reserved);
  CHECK_FALSE(o.fault);
  CHECK(pmu.rdmsr(ctl0) == (retired | EN | USR));
}

TEST_CASE("12-bit event selects: EventSelect 11:8 at bits 35:32 must match too") {
  amd_pmu pmu;
  pmu.wrmsr(ctl0, 0xc2 | (1ULL << 32) | OS | EN);  // event 0x1C2
  pmu.retire(0xc2, 5);
  CHECK(pmu.rdmsr(ctr0) == 0);
  pmu.retire(0x1c2, 5);
  CHECK(pmu.rdmsr(ctr0) == 5);
}

TEST_CASE("without PerfCtrExtCore only the legacy four exist") {
  amd_pmu pmu{{false, false, 6}};
  CHECK(pmu.try_rdmsr(ctl0).fault);
  CHECK_FALSE(pmu.try_rdmsr(legacy_sel0 + 3).fault);
  CHECK(pmu.try_rdpmc(4).fault);
}
