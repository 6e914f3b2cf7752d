// SPDX-License-Identifier: MIT
// The identity of an AArch64 system register: the (op0, op1, CRn, CRm, op2) operands of its
// MRS/MSR encoding (Arm ARM C5.3, "A64 System instructions for ... system register access").
#pragma once

#include <cstdint>

namespace vpmu::arm64 {

struct sysreg_encoding {
  std::uint8_t op0;
  std::uint8_t op1;
  std::uint8_t crn;
  std::uint8_t crm;
  std::uint8_t op2;

  // A dense, order-preserving number for switch dispatch: op0:op1:CRn:CRm:op2 (2+3+4+4+3 bits),
  // the same packing Linux's sys_reg() uses, shifted down to bit 0.
  [[nodiscard]] constexpr std::uint32_t key() const {
    return (std::uint32_t{op0} << 14) | (std::uint32_t{op1} << 11) | (std::uint32_t{crn} << 7) |
           (std::uint32_t{crm} << 3) | std::uint32_t{op2};
  }

  friend constexpr bool operator==(sysreg_encoding, sysreg_encoding) = default;
};

}  // namespace vpmu::arm64
