// SPDX-License-Identifier: MIT
// ESR_EL2 for a trapped MSR/MRS (exception class 0x18), decoded and encoded.
//
// Arm ARM D24.2.x "ISS encoding for an exception from MSR, MRS, or System instruction execution
// in AArch64 state": ISS[21:20] Op0, [19:17] Op2, [16:14] Op1, [13:10] CRn, [9:5] Rt,
// [4:1] CRm, [0] Direction (1 = read, MRS; 0 = write, MSR). ESR[31:26] = EC, [25] = IL.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/arch/arm64/sysreg_encoding.hpp"
#include "vpmu/core/result.hpp"

namespace vpmu::arm64 {

inline constexpr std::uint32_t ec_sysreg_trap = 0x18;

struct sysreg_access {
  sysreg_encoding encoding;
  bool is_read;     // MRS (the guest reads the register into Xt)
  std::uint8_t rt;  // 31 = XZR: a read result is discarded, a write writes zero

  friend constexpr bool operator==(sysreg_access, sysreg_access) = default;
};

[[nodiscard]] constexpr std::uint32_t esr_ec(std::uint64_t esr) {
  return static_cast<std::uint32_t>((esr >> 26) & 0x3f);
}

// An error unless ESR's class is 0x18 (the only class that carries a system-register access).
[[nodiscard]] constexpr result<sysreg_access> decode_esr(std::uint64_t esr) {
  if (esr_ec(esr) != ec_sysreg_trap) {
    return error{errc::not_implemented, "ESR_EL2", "EC", esr_ec(esr)};
  }
  const auto iss = static_cast<std::uint32_t>(esr & 0x1ff'ffff);
  const auto bits = [iss](unsigned shift, std::uint32_t mask) {
    return static_cast<std::uint8_t>((iss >> shift) & mask);
  };
  return sysreg_access{{bits(20, 3), bits(14, 7), bits(10, 15), bits(1, 15), bits(17, 7)},
                       (iss & 1) != 0,
                       bits(5, 31)};
}

// The ESR value hardware reports for `a` (IL = 1: a 32-bit instruction).
[[nodiscard]] constexpr std::uint32_t encode_esr(sysreg_access a) {
  const sysreg_encoding& e = a.encoding;
  return (ec_sysreg_trap << 26) | (1U << 25) | (std::uint32_t{e.op0} << 20) |
         (std::uint32_t{e.op2} << 17) | (std::uint32_t{e.op1} << 14) |
         (std::uint32_t{e.crn} << 10) | (std::uint32_t{a.rt} << 5) | (std::uint32_t{e.crm} << 1) |
         (a.is_read ? 1U : 0U);
}

// A trapped PMU access, decoded all the way to register + family index.
struct pmu_access {
  pmu_reg_ref target;
  bool is_read;
  std::uint8_t rt;
};

[[nodiscard]] constexpr result<pmu_access> decode_pmu_trap(std::uint64_t esr) {
  const auto a = decode_esr(esr);
  if (!a) return a.error_value();
  const pmu_reg_ref r = classify(a.value().encoding);
  if (r.reg == pmu_reg::none) return error{errc::not_implemented, "ESR_EL2", "ISS", esr};
  return pmu_access{r, a.value().is_read, a.value().rt};
}

}  // namespace vpmu::arm64
