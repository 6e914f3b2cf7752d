// SPDX-License-Identifier: MIT
// What an MRS/MSR of a PMU register comes to, by the architecture's rules (Arm ARM M.a.a D24.5,
// each register's access pseudocode): executed (with the value read), trapped to EL2 or to EL1
// (with the ESR_ELx syndrome hardware reports, EC 0x18), or UNDEFINED.
#pragma once

#include <cstdint>

namespace vpmu::model {

// The exception level an access comes from.
enum class el : std::uint8_t { el0, el1, el2 };

enum class outcome : std::uint8_t { executed, trap_el2, trap_el1, undefined };

struct sysreg_outcome {
  outcome kind = outcome::executed;
  std::uint64_t value = 0;  // the value read, when executed and a read
  std::uint32_t esr = 0;    // the syndrome, when trapped (or EC 0 for UNDEFINED)
  friend constexpr bool operator==(const sysreg_outcome&, const sysreg_outcome&) = default;
};

// ESR_ELx for an UNDEFINED instruction: EC 0x00 (unknown reason), IL = 1 (32-bit instruction).
inline constexpr std::uint32_t esr_undefined = 0x0200'0000;

}  // namespace vpmu::model
