// SPDX-License-Identifier: MIT
// Trapped-access decoding with real ESR_EL2 values (measured under QEMU 7.2's
// -cpu max), and the encode/decode round trip over every PMU register.
#include <cstdint>
#include <doctest/doctest.h>

#include "vpmu/arch/arm64.hpp"

using namespace vpmu::arm64;

TEST_CASE("ESR 0x6230e4d9 is a PMCR_EL0 read into x6") {
  const auto a = decode_esr(0x6230'e4d9);
  REQUIRE(a.has_value());
  CHECK(a.value().encoding == pmcr_el0::encoding);
  CHECK(a.value().is_read);
  CHECK(a.value().rt == 6);
  const auto p = decode_pmu_trap(0x6230'e4d9).value();
  CHECK(p.target == pmu_reg_ref{pmu_reg::pmcr, 0});
}

TEST_CASE("ESR 0x6230f810 is a PMEVCNTR0_EL0 write from x0") {
  const auto a = decode_esr(0x6230'f810).value();
  CHECK(a.encoding == pmevcntr_el0<0>::encoding);
  CHECK_FALSE(a.is_read);
  CHECK(a.rt == 0);
  CHECK(classify(a.encoding) == pmu_reg_ref{pmu_reg::pmevcntr, 0});
}

TEST_CASE("ESR 0x623ae7f8 is a PMSELR_EL0 write of XZR (Rt = 31)") {
  const auto a = decode_esr(0x623a'e7f8).value();
  CHECK(a.encoding == pmselr_el0::encoding);
  CHECK_FALSE(a.is_read);
  CHECK(a.rt == 31);
}

TEST_CASE("non-0x18 exception classes are rejected / not misread") {
  const auto undef = decode_esr(0x0200'0000);  // EC 0x00: unknown reason (an UNDEF)
  REQUIRE_FALSE(undef.has_value());
  CHECK(undef.error_value().code == vpmu::errc::not_implemented);
  CHECK(undef.error_value().bits == 0);
  // EC 0x18 but not a PMU register (MDSCR_EL1 is 2,0,0,2,2).
  const auto esr = encode_esr({{2, 0, 0, 2, 2}, true, 1});
  CHECK(decode_esr(esr).has_value());
  CHECK_FALSE(decode_pmu_trap(esr).has_value());
}

TEST_CASE("encode then decode is the identity for every operand combination") {
  for (unsigned crm = 0; crm < 16; ++crm) {
    for (unsigned op2 = 0; op2 < 8; ++op2) {
      for (unsigned rt = 0; rt < 32; rt += 7) {
        for (int dir = 0; dir < 2; ++dir) {
          const sysreg_access a{
              {3, 3, 14, static_cast<std::uint8_t>(crm), static_cast<std::uint8_t>(op2)},
              dir == 1,
              static_cast<std::uint8_t>(rt)};
          const auto back = decode_esr(encode_esr(a));
          REQUIRE(back.has_value());
          CHECK(back.value() == a);
        }
      }
    }
  }
}

TEST_CASE("the families classify to their index / slot 31 is PMCCFILTR / unallocated") {
  for (unsigned n = 0; n < 31; ++n) {
    CAPTURE(n);
    CHECK(classify(pmevcntr_encoding(n).value()) ==
          pmu_reg_ref{pmu_reg::pmevcntr, static_cast<std::uint8_t>(n)});
    CHECK(classify(pmevtyper_encoding(n).value()) ==
          pmu_reg_ref{pmu_reg::pmevtyper, static_cast<std::uint8_t>(n)});
  }
  CHECK(classify({3, 3, 14, 15, 7}).reg == pmu_reg::pmccfiltr);
  CHECK(classify({3, 3, 14, 11, 7}).reg == pmu_reg::none);
  const auto bad = pmevcntr_encoding(31);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error_value().code == vpmu::errc::index_out_of_range);
}

TEST_CASE("every generated PMU register classifies as itself") {
  int seen = 0;
  pmu_registers::visit(pmcr_el0::encoding, [&]<class R>() {
    CHECK(vpmu::equal_strings(R::register_name, "PMCR_EL0"));
    ++seen;
  });
  CHECK(seen == 1);
  // Walk all 2^14 encodings with op0 = 3: the visitor and classify() must agree on which are PMU
  // registers (the generated table and the hand-written switch are independent).
  int agreed = 0;
  for (unsigned key = 0; key < (1U << 14); ++key) {
    const sysreg_encoding e{
        3, static_cast<std::uint8_t>((key >> 11) & 7), static_cast<std::uint8_t>((key >> 7) & 15),
        static_cast<std::uint8_t>((key >> 3) & 15), static_cast<std::uint8_t>(key & 7)};
    const bool generated = pmu_registers::visit(e, []<class R>() {});
    const pmu_reg_ref r = classify(e);
    const bool family = r.reg == pmu_reg::pmevcntr || r.reg == pmu_reg::pmevtyper;
    if (!family) {
      CAPTURE(key);
      CHECK(generated == (r.reg != pmu_reg::none));
      ++agreed;
    }
  }
  CHECK(agreed > 16000);
}
