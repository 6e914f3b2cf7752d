// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "spec_model.hpp"

namespace sysreg_gen {

// Parses `text` (the contents of `file`). Every problem is recorded with its line; parsing goes
// on after a problem so that all of them are reported, and blocks with problems are marked
// invalid (the emitter skips them).
spec parse(const std::string& file, const std::string& text);

}  // namespace sysreg_gen
