// SPDX-License-Identifier: MIT
// counting<B> and recording<B>: every access forwarded, counted by register class, and logged in
// order; a full log says how much it dropped.
#include <cstdint>
#include <doctest/doctest.h>

#include "vpmu/access/counting.hpp"
#include "vpmu/access/recording.hpp"
#include "vpmu/arch/arm64.hpp"
#include "vpmu/arch/x86.hpp"
#include "vpmu/core/modify.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

using vpmu::reg_class;

TEST_CASE("counting: x86 accesses by class, typed and runtime forms alike") {
  vpmu::sim::intel_pmu pmu;
  vpmu::counting<vpmu::sim::intel_pmu> c{pmu};
  c.wrmsr(0x186, 0x43'00c0);                           // config
  (void)c.rdmsr(0xc1);                                 // counter
  (void)c.rdpmc(0);                                    // counter
  c.write<vpmu::x86::ia32_perf_global_ctrl>(1);        // control
  (void)c.read<vpmu::x86::ia32_perf_global_status>();  // status
  (void)c.read<vpmu::x86::ia32_perf_capabilities>();   // info
  const auto& n = c.counts();
  CHECK(n.write_count(reg_class::config) == 1);
  CHECK(n.read_count(reg_class::counter) == 2);
  CHECK(n.write_count(reg_class::control) == 1);
  CHECK(n.read_count(reg_class::status) == 1);
  CHECK(n.read_count(reg_class::info) == 1);
  CHECK(n.total_reads() == 4);
  CHECK(n.total_writes() == 2);
  CHECK(pmu.rdmsr(0x186) == 0x43'00c0);  // forwarded
  CHECK(pmu.rdmsr(0x38f) == 1);
  c.reset();
  CHECK(c.counts().total_reads() == 0);
}

TEST_CASE("counting: arm64 accesses by class, and modify() is one read plus one write") {
  vpmu::sim::arm_pmuv3 pmu;
  vpmu::counting<vpmu::sim::arm_pmuv3> c{pmu};
  using namespace vpmu::arm64;
  (void)vpmu::modify<pmcr_el0>(c, pmcr_el0::e = 1);
  c.write(pmevtyper_encoding(2).value(), 0x11);
  (void)c.read(pmevcntr_encoding(2).value());
  c.write<mdcr_el2>(3);
  CHECK(c.counts().read_count(reg_class::control) == 1);
  CHECK(c.counts().write_count(reg_class::control) == 1);
  CHECK(c.counts().write_count(reg_class::config) == 1);
  CHECK(c.counts().read_count(reg_class::counter) == 1);
  CHECK(c.counts().write_count(reg_class::el2) == 1);
  CHECK((pmu.read(pmcr_el0::encoding) & 1) == 1);
}

TEST_CASE("recording: ordered log with values / overflow is reported, not hidden") {
  vpmu::sim::intel_pmu pmu;
  vpmu::recording<vpmu::sim::intel_pmu, 3> r{pmu};
  r.wrmsr(0x38f, 0);
  r.wrmsr(0xc1, 5);
  (void)r.rdmsr(0xc1);
  (void)r.rdpmc(0);
  REQUIRE(r.size() == 3);
  CHECK(r.dropped() == 1);
  CHECK(r[0] == vpmu::access_record{vpmu::access_op::wrmsr, 0x38f, 0});
  CHECK(r[1] == vpmu::access_record{vpmu::access_op::wrmsr, 0xc1, 5});
  CHECK(r[2] == vpmu::access_record{vpmu::access_op::rdmsr, 0xc1, 5});
  CHECK(r[1].is_write());
  CHECK_FALSE(r[2].is_write());
  r.clear();
  CHECK(r.size() == 0);
  CHECK(r.dropped() == 0);
}
