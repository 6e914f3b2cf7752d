// SPDX-License-Identifier: MIT
// The parsed form of a register spec file in the Linux arch/arm64/tools/sysreg language, plus
// vpmu's one extension: `Msr <name> <index>` ... `EndMsr` for x86 MSRs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sysreg_gen {

enum class item_kind { field, enumeration, res0, res1, unkn, raz };
enum class enum_kind { plain, unsigned_, signed_ };

struct enumerator {
  std::uint64_t value = 0;
  std::string name;
  int line = 0;
};

struct item {
  item_kind kind = item_kind::field;
  unsigned msb = 0;
  unsigned lsb = 0;
  std::string name;  // empty for reserved ranges
  enum_kind sign = enum_kind::plain;
  std::vector<enumerator> values;
  int line = 0;
};

// One complete 63..0 description: a block's own layout, or a `Prefix` view of it.
struct layout {
  std::string prefix;  // empty for the unprefixed layout
  std::vector<item> items;
  int line = 0;
};

enum class block_kind { sysreg, sysreg_fields, msr };

struct block {
  block_kind kind = block_kind::sysreg;
  std::string name;
  int line = 0;
  unsigned op0 = 0, op1 = 0, crn = 0, crm = 0, op2 = 0;  // sysreg
  std::uint32_t msr_index = 0;                           // msr
  std::vector<layout> layouts;             // prefix views first, then the unprefixed one (if any)
  std::optional<std::string> fields_ref;   // `Fields X`: layout shared with SysregFields X
  std::optional<std::string> mapping_ref;  // `Mapping X`: VHE alias of register X
  int ref_line = 0;
  bool valid = true;  // false when any problem was reported inside the block
};

struct diagnostic {
  std::string file;
  int line = 0;
  std::string message;
};

struct spec {
  std::string file;
  std::vector<block> blocks;
  std::vector<diagnostic> problems;
};

}  // namespace sysreg_gen
