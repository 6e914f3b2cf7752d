// SPDX-License-Identifier: MIT
// The register file of a model with its dirty record (dirty_registers): what every architecture's
// model keeps in the same way. Writes go through the model's access rules, which record what they
// change; a whole register file replaced (a restore) is dirty everywhere.
#pragma once

#include <cstdint>

#include "vpmu/model/dirty_registers.hpp"

namespace vpmu::model {

template <class Registers>
class register_file {
 public:
  using registers_type = Registers;

  [[nodiscard]] constexpr const Registers& registers() const { return r_; }
  constexpr Registers& registers() { return r_; }

  // The registers guest or restore writes changed since the last call.
  constexpr dirty_registers take_dirty() {
    const dirty_registers d = dirty_;
    dirty_ = {};
    return d;
  }
  constexpr void replace_registers(const Registers& r) {
    r_ = r;
    dirty_ = {~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint32_t{0}};
  }

 protected:
  Registers r_{};
  dirty_registers dirty_{};
};

}  // namespace vpmu::model
