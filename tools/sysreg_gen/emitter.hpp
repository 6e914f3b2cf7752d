// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "spec_model.hpp"

namespace sysreg_gen {

struct emit_options {
  std::string name_space = "sysreg";  // C++ namespace of the emitted types (yours, not vpmu's)
  std::string source_name;            // how the header names its source file
  std::string group;  // name of the struct that lists this file's registers (lookup by identity)
};

// A C++ keyword, or a member name every emitted struct has: not usable as an emitted name.
bool is_reserved_identifier(const std::string& word);

// C++ header text for every valid block of `s`.
std::string emit(const spec& s, const emit_options& options);

}  // namespace sysreg_gen
