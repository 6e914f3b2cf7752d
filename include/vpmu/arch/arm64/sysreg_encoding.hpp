// SPDX-License-Identifier: MIT
// The identity of an AArch64 system register: the (op0, op1, CRn, CRm, op2) operands of its
// MRS/MSR encoding (Arm ARM C5.3, "A64 System instructions for ... system register access").
#pragma once

#include <cstdint>

namespace vpmu::arm64 {

// "S3_3_C9_C12_0": the generic assembler spelling of a system register, which every assembler
// accepts whether or not it knows the register's name.
struct sysreg_asm_name {
  char text[20]{};
  [[nodiscard]] constexpr const char* c_str() const { return text; }
};

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

  [[nodiscard]] constexpr sysreg_asm_name asm_name() const {
    sysreg_asm_name n;
    unsigned at = 0;
    const auto put = [&](char c) { n.text[at++] = c; };
    const auto number = [&](unsigned v) {
      if (v >= 10) put(static_cast<char>('0' + v / 10));
      put(static_cast<char>('0' + v % 10));
    };
    put('S');
    number(op0);
    put('_');
    number(op1);
    put('_');
    put('C');
    number(crn);
    put('_');
    put('C');
    number(crm);
    put('_');
    number(op2);
    return n;
  }

  friend constexpr bool operator==(sysreg_encoding, sysreg_encoding) = default;
};

}  // namespace vpmu::arm64
