// SPDX-License-Identifier: MIT
// The guest-side assertions of Linux's KVM PMU selftests (tools/testing/selftests/kvm:
// x86/pmu_counters_test.c, x86/pmu_event_filter_test.c, arm64/vpmu_counter_access.c), written
// against the simulators: what those tests demand of a PMU a guest sees, the models provide.
//
// One deliberate difference: KVM lets IA32_PMC0/1 (0xC1/0xC2) beyond the guest's counters read
// 0 without a fault, a KVM quirk; the model is hardware, where a missing MSR #GPs.
#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

using vpmu::sim::intel_pmu;

// --- pmu_counters_test.c ------------------------------------------------------------------------

TEST_CASE("pmu_counters_test: GLOBAL_CTRL resets to GENMASK(nGP-1 / 0) / or 0 without counters") {
  for (unsigned n : {0U, 1U, 4U, 8U}) {
    intel_pmu pmu{{2, n, 48, 3, 48, true}};
    CHECK(pmu.rdmsr(0x38f) == (n == 0 ? 0 : (1ULL << n) - 1));
  }
}

TEST_CASE("pmu_counters_test: counters read back what was written iff they exist") {
  for (bool fw : {false, true}) {
    for (unsigned ngp : {0U, 3U, 8U}) {
      intel_pmu pmu{{4, ngp, 48, 3, 48, fw}};
      const std::uint32_t base = fw ? 0x4c1 : 0xc1;  // PDCM + FW_WRITES selects full width
      for (unsigned i = 0; i < 8; ++i) {
        CAPTURE(i);
        const auto w = pmu.try_wrmsr(base + i, 0xffff);
        const auto r = pmu.try_rdmsr(base + i);
        CHECK(w.fault == (i >= ngp));
        CHECK(r.fault == (i >= ngp));
        if (i < ngp) CHECK(r.value == 0xffff);
        CHECK(pmu.try_rdpmc(i).fault == (i >= ngp));
      }
    }
  }
}

TEST_CASE("pmu_counters_test: an arch event counts exactly / RDPMC stops changing once disabled") {
  intel_pmu pmu;
  constexpr std::uint64_t os_en = (1ULL << 17) | (1ULL << 22);
  pmu.wrmsr(0x38f, 0);
  pmu.wrmsr(0x186, vpmu::sim::intel_event::instructions | os_en);
  pmu.wrmsr(0x187, vpmu::sim::intel_event::branches | os_en);
  pmu.wrmsr(0x38f, 0b11);
  // The measured block: 10 iterations of {op, mfence, mov, loop}, plus 5 instructions.
  for (int i = 0; i < 10; ++i) {
    pmu.instructions(4);
    pmu.retire(vpmu::sim::intel_event::branches, 1);
  }
  pmu.instructions(5);
  CHECK(pmu.rdpmc(0) == 45);
  CHECK(pmu.rdpmc(1) == 10);
  pmu.wrmsr(0x38f, 0);
  const std::uint64_t frozen = pmu.rdpmc(0);
  pmu.instructions(100);
  CHECK(pmu.rdpmc(0) == frozen);
  pmu.wrmsr(0xc1, 0xdead);
  CHECK(pmu.rdpmc(0) == 0xdead);
  CHECK(pmu.try_rdpmc(1U << 31).fault);  // the "fast" bit always faults
}

TEST_CASE("pmu_counters_test: unsupported fixed counters cannot be enabled") {
  intel_pmu pmu{{4, 4, 48, 2, 48, true}};          // fixed counters 0, 1
  CHECK(pmu.try_wrmsr(0x38d, 0x3ULL << 8).fault);  // FIXED_CTR_CTRL nibble 2
  CHECK(pmu.try_wrmsr(0x38f, 1ULL << 34).fault);   // GLOBAL_CTRL bit 32 + 2
  CHECK_FALSE(pmu.try_wrmsr(0x38d, 0x3ULL << 4).fault);
  CHECK_FALSE(pmu.try_wrmsr(0x38f, 1ULL << 33).fault);
  // A supported one counts after the loop.
  pmu.wrmsr(0x38d, 0x1);
  pmu.wrmsr(0x38f, 1ULL << 32);
  pmu.instructions(45);
  CHECK(pmu.rdpmc((1U << 30) | 0) == 45);
}

// --- vpmu_counter_access.c (arm64), guest at EL1 seeing n = HPMN counters ----------------------

namespace {
using namespace vpmu::arm64;
using vpmu::sim::arm_pmuv3;
using vpmu::sim::el;
using vpmu::sim::outcome;

constexpr sysreg_encoding set_clr[6] = {pmcntenset_el0::encoding, pmcntenclr_el0::encoding,
                                        pmintenset_el1::encoding, pmintenclr_el1::encoding,
                                        pmovsset_el0::encoding,   pmovsclr_el0::encoding};

std::uint64_t guest_read(arm_pmuv3& pmu, sysreg_encoding e) {
  const auto o = pmu.guest_read(el::el1, e);
  REQUIRE(o.kind == outcome::executed);
  return o.value;
}
void guest_write(arm_pmuv3& pmu, sysreg_encoding e, std::uint64_t v) {
  REQUIRE(pmu.guest_write(el::el1, e, v).kind == outcome::executed);
}

// Accessor combinations: direct PMEV* or through PMSELR + PMXEV*.
std::uint64_t read_counter(arm_pmuv3& pmu, unsigned idx, bool indirect, bool typer) {
  if (!indirect)
    return guest_read(pmu,
                      typer ? pmevtyper_encoding_unchecked(idx) : pmevcntr_encoding_unchecked(idx));
  guest_write(pmu, pmselr_el0::encoding, idx);
  return guest_read(pmu, typer ? pmxevtyper_el0::encoding : pmxevcntr_el0::encoding);
}
void write_counter(arm_pmuv3& pmu, unsigned idx, bool indirect, bool typer, std::uint64_t v) {
  if (!indirect) {
    guest_write(pmu, typer ? pmevtyper_encoding_unchecked(idx) : pmevcntr_encoding_unchecked(idx),
                v);
    return;
  }
  guest_write(pmu, pmselr_el0::encoding, idx);
  guest_write(pmu, typer ? pmxevtyper_el0::encoding : pmxevcntr_el0::encoding, v);
}
}  // namespace

TEST_CASE("vpmu_counter_access: PMCR.N / RAZ bits / read-back / UNDEF above N") {
  for (unsigned n = 0; n <= 10; n += 2) {
    CAPTURE(n);
    arm_pmuv3 pmu{{10, pmuver::v3p5, true}};
    pmu.write(mdcr_el2::encoding, n);  // the guest gets n counters
    CHECK(pmcr_el0::n.extract(guest_read(pmu, pmcr_el0::encoding)) == n);
    const std::uint64_t unimplemented = vpmu::bit_mask(30, 0) & ~vpmu::low_mask(n);
    for (sysreg_encoding e : set_clr)
      guest_write(pmu, e == set_clr[1] ? e : e, ~0ULL);
    for (sysreg_encoding e : set_clr)
      CHECK((guest_read(pmu, e) & unimplemented) == 0);

    for (unsigned idx = 0; idx < n; ++idx) {
      for (int combo = 0; combo < 4; ++combo) {
        const bool indirect_read = (combo & 1) != 0, indirect_write = (combo & 2) != 0;
        guest_write(pmu, pmcr_el0::encoding, pmcr_el0::p.mask);  // reset counters, E = 0
        guest_write(pmu, pmcntenclr_el0::encoding, 1ULL << idx);
        guest_write(pmu, pmintenclr_el1::encoding, 1ULL << idx);
        guest_write(pmu, pmovsclr_el0::encoding, 1ULL << idx);
        for (sysreg_encoding e : set_clr)
          CHECK((guest_read(pmu, e) & (1ULL << idx)) == 0);
        guest_write(pmu, pmcntenset_el0::encoding, 1ULL << idx);
        guest_write(pmu, pmintenset_el1::encoding, 1ULL << idx);
        guest_write(pmu, pmovsset_el0::encoding, 1ULL << idx);
        for (sysreg_encoding e : set_clr)
          CHECK((guest_read(pmu, e) & (1ULL << idx)) != 0);
        guest_write(pmu, pmcntenclr_el0::encoding, 1ULL << idx);
        guest_write(pmu, pmintenclr_el1::encoding, 1ULL << idx);
        guest_write(pmu, pmovsclr_el0::encoding, 1ULL << idx);
        for (sysreg_encoding e : set_clr)
          CHECK((guest_read(pmu, e) & (1ULL << idx)) == 0);
        write_counter(pmu, idx, indirect_write, true, 0x8000'0008);  // EXCLUDE_EL1 | INST_RETIRED
        CHECK(read_counter(pmu, idx, indirect_read, true) == 0x8000'0008);
        CHECK(read_counter(pmu, idx, indirect_read, false) == 0);
        write_counter(pmu, idx, indirect_write, false, idx + 0x12345);
        CHECK(read_counter(pmu, idx, indirect_read, false) == idx + 0x12345);
      }
    }
    for (unsigned idx = n; idx < 31; ++idx) {
      CAPTURE(idx);
      CHECK(pmu.guest_read(el::el1, pmevcntr_encoding_unchecked(idx)).kind == outcome::undefined);
      CHECK(pmu.guest_write(el::el1, pmevtyper_encoding_unchecked(idx), 0).kind ==
            outcome::undefined);
      guest_write(pmu, pmselr_el0::encoding, idx);
      CHECK(pmu.guest_read(el::el1, pmxevcntr_el0::encoding).kind == outcome::undefined);
      CHECK(pmu.guest_write(el::el1, pmxevcntr_el0::encoding, 0).kind == outcome::undefined);
      for (sysreg_encoding e : set_clr)
        CHECK((guest_read(pmu, e) & (1ULL << idx)) == 0);
    }
  }
}
