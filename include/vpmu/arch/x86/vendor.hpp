// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace vpmu::x86 {

// Intel and AMD differ in MSR map and in how reserved bits are handled: Intel raises #GP, AMD
// ignores them (x86.md §2).
enum class vendor : std::uint8_t { intel, amd };

}  // namespace vpmu::x86
