// SPDX-License-Identifier: MIT
// Reader of the sysreg directive language. The rules follow Linux's gen-sysreg.awk (block
// structure, fields descending from bit 63 with no gap or overlap, Prefix views) and add the
// checks it lacks: enumerator values must be binary literals that fit their field, names must be
// unique, `Fields`/`Mapping` must name a block that exists, unknown directives are errors.
#include "parser.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace sysreg_gen {
namespace {

std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);  // any run of spaces/tabs separates words
  for (std::string w; in >> w;)
    words.push_back(w);
  return words;
}

bool parse_unsigned(const std::string& s, std::uint64_t& out) {
  if (s.empty()) return false;
  int base = 10;
  std::size_t i = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    i = 2;
  }
  std::uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    unsigned d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    if (d >= static_cast<unsigned>(base)) return false;
    if (v > (UINT64_MAX - d) / static_cast<unsigned>(base)) return false;
    v = v * static_cast<unsigned>(base) + d;
  }
  out = v;
  return true;
}

// Names become C++ identifiers and string literals: letters, digits and '_' only, and short
// enough for every compiler's template-argument and identifier limits.
constexpr std::size_t max_name_length = 200;
std::string name_problem(const std::string& name) {
  if (name.size() > max_name_length) {
    return "is " + std::to_string(name.size()) + " characters long (at most " +
           std::to_string(max_name_length) + ")";
  }
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "contains '" + std::string(1, c) + "' (names use letters, digits and '_')";
  }
  return "";
}
std::string lowered(const std::string& name) {
  std::string l = name;
  for (char& c : l)
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return l;
}

std::string bits_text(int msb, int lsb) {
  return msb == lsb ? std::to_string(msb) : std::to_string(msb) + ":" + std::to_string(lsb);
}

class parser {
 public:
  parser(const std::string& file, const std::string& text) : text_(text) { result_.file = file; }

  spec run() {
    std::istringstream in(text_);
    std::string raw;
    while (std::getline(in, raw)) {
      ++line_;
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      const auto first = raw.find_first_not_of(" \t");
      if (first == std::string::npos || raw[first] == '#') continue;  // blank or comment
      handle(split_words(raw));
    }
    if (state_ == state::enumeration) {
      report(item_line_, "Enum '" + current_item().name + "' is never closed with EndEnum");
      state_ = state::block;
    }
    if (state_ == state::prefix) {
      report(prefix_line_, "Prefix is never closed with EndPrefix");
      state_ = state::block;
    }
    if (state_ == state::block) {
      report(current_block().line,
             end_word(current_block().kind) + " missing for '" + current_block().name + "'");
      current_block().valid = false;
      close_block(false);
    }
    resolve_references();
    return std::move(result_);
  }

 private:
  enum class state { root, block, prefix, enumeration };

  static std::string end_word(block_kind k) {
    switch (k) {
      case block_kind::sysreg: return "EndSysreg";
      case block_kind::sysreg_fields: return "EndSysregFields";
      case block_kind::msr: return "EndMsr";
    }
    return "End";
  }

  void report(int line, const std::string& message) {
    result_.problems.push_back({result_.file, line, message});
  }
  // A problem inside the current block: report it and keep the block out of the output.
  void fail(const std::string& message) {
    report(line_, message);
    if (has_block_) current_block().valid = false;
  }

  block& current_block() { return result_.blocks.back(); }
  layout& current_layout() { return current_block().layouts.back(); }
  item& current_item() { return current_layout().items.back(); }

  bool expect_words(const std::vector<std::string>& w, std::size_t n) {
    if (w.size() == n) return true;
    fail("'" + w[0] + "' takes " + std::to_string(n - 1) + " argument(s), found " +
         std::to_string(w.size() - 1));
    return false;
  }

  void handle(const std::vector<std::string>& w) {
    const std::string& d = w[0];
    switch (state_) {
      case state::enumeration:
        if (d == "EndEnum") {
          if (expect_words(w, 1)) {
          }
          state_ = layout_state_;
          return;
        }
        if (d.rfind("0b", 0) == 0 || (w.size() == 2 && !is_directive(d))) {
          enum_value(w);
          return;
        }
        fail("EndEnum missing before '" + d + "' (Enum '" + current_item().name +
             "' opened at line " + std::to_string(item_line_) + ")");
        state_ = layout_state_;
        handle(w);
        return;
      case state::prefix:
        if (d == "EndPrefix") {
          expect_words(w, 1);
          end_layout("prefix " + current_layout().prefix);
          open_layout("", line_);
          names_.clear();
          lowered_names_.clear();
          state_ = state::block;
          return;
        }
        [[fallthrough]];
      case state::block:
        if (block_item(w)) return;
        if (is_block_start(d)) {
          fail(end_word(current_block().kind) + " missing for '" + current_block().name + "'");
          close_block(false);
          handle(w);
          return;
        }
        if (is_directive(d)) {
          fail("'" + d + "' is not allowed here (inside " + context_name() + ")");
        } else {
          fail("unknown directive '" + d + "'");
        }
        return;
      case state::root:
        if (d == "Sysreg" || d == "SysregFields" || d == "Msr") {
          open_block(w);
          return;
        }
        report(line_, is_directive(d) ? "'" + d + "' outside a Sysreg/SysregFields/Msr block"
                                      : "unknown directive '" + d + "'");
        return;
    }
  }

  std::string context_name() {
    if (state_ == state::prefix) return "Prefix " + current_layout().prefix;
    return "'" + current_block().name + "'";
  }

  static bool is_block_start(const std::string& d) {
    return d == "Sysreg" || d == "SysregFields" || d == "Msr";
  }
  static bool is_directive(const std::string& d) {
    static const std::set<std::string> all = {
        "Sysreg",       "EndSysreg",  "SysregFields", "EndSysregFields",
        "Msr",          "EndMsr",     "Fields",       "Mapping",
        "Prefix",       "EndPrefix",  "Field",        "Enum",
        "UnsignedEnum", "SignedEnum", "EndEnum",      "Res0",
        "Res1",         "Unkn",       "Raz"};
    return all.count(d) != 0;
  }

  void open_block(const std::vector<std::string>& w) {
    block b;
    b.line = line_;
    if (w[0] == "Sysreg") {
      b.kind = block_kind::sysreg;
    } else if (w[0] == "SysregFields") {
      b.kind = block_kind::sysreg_fields;
    } else {
      b.kind = block_kind::msr;
    }
    result_.blocks.push_back(b);
    has_block_ = true;
    state_ = state::block;
    names_.clear();
    lowered_names_.clear();
    prefixes_.clear();
    open_layout("", line_);

    const std::size_t want = b.kind == block_kind::sysreg ? 7 : b.kind == block_kind::msr ? 3 : 2;
    if (w.size() < 2) {
      fail("'" + w[0] + "' needs a name");
      return;
    }
    current_block().name = w[1];
    if (!expect_words(w, want)) return;
    if (!valid_name(w[1], "register name")) return;
    // Emitted type names are lower case: two blocks whose names differ only in case would be one.
    if (auto it = lowered_blocks_.find(lowered(w[1]));
        it != lowered_blocks_.end() && it->second.first != w[1]) {
      fail("'" + w[1] + "' differs only in case from '" + it->second.first + "' (line " +
           std::to_string(it->second.second) + "): both would emit the type '" + lowered(w[1]) +
           "'");
      return;
    }
    lowered_blocks_.emplace(lowered(w[1]), std::make_pair(w[1], line_));

    auto& seen = b.kind == block_kind::sysreg_fields ? field_blocks_ : register_blocks_;
    if (auto it = seen.find(w[1]); it != seen.end()) {
      fail("duplicate definition of '" + w[1] + "' (first defined at line " +
           std::to_string(it->second) + ")");
    } else {
      seen[w[1]] = line_;
    }
    if (b.kind == block_kind::sysreg) {
      unsigned* out[] = {&current_block().op0, &current_block().op1, &current_block().crn,
                         &current_block().crm, &current_block().op2};
      const std::uint64_t limit[] = {3, 7, 15, 15, 7};
      for (int i = 0; i < 5; ++i) {
        std::uint64_t v = 0;
        if (!parse_unsigned(w[static_cast<std::size_t>(i) + 2], v) || v > limit[i]) {
          fail("encoding operand '" + w[static_cast<std::size_t>(i) + 2] + "' of '" + w[1] +
               "' is not a number in 0.." + std::to_string(limit[i]));
          return;
        }
        *out[i] = static_cast<unsigned>(v);
      }
    } else if (b.kind == block_kind::msr) {
      std::uint64_t v = 0;
      if (!parse_unsigned(w[2], v) || v > 0xffff'ffffULL) {
        fail("MSR index '" + w[2] + "' of '" + w[1] + "' is not a 32-bit number");
        return;
      }
      current_block().msr_index = static_cast<std::uint32_t>(v);
    }
  }

  void open_layout(const std::string& prefix, int line) {
    layout l;
    l.prefix = prefix;
    l.line = line;
    current_block().layouts.push_back(l);
    next_bit_ = 63;
  }

  // Checks the layout that ends here covers 63..0; what = "prefix X" or "'REG'".
  void end_layout(const std::string& what) {
    if (next_bit_ >= 0) {
      fail("bits " + bits_text(next_bit_, 0) + " of " + what + " are not described");
    }
  }

  void close_block(bool check_bits) {
    block& b = current_block();
    // The unprefixed layout is the last one; drop it when empty after prefix views or a
    // Fields/Mapping reference.
    if (check_bits && !b.fields_ref && !b.mapping_ref) {
      end_layout("'" + b.name + "'");
    }
    if (b.layouts.back().items.empty() && (b.layouts.size() > 1 || b.fields_ref || b.mapping_ref)) {
      b.layouts.pop_back();
    }
    state_ = state::root;
  }

  // Bit range `msb[:lsb]`, checked against the next undescribed bit. Returns false on a problem
  // (already reported); the position is resynchronised so later items are still checked.
  bool bit_range(const std::string& text, const std::string& what, unsigned& msb, unsigned& lsb) {
    std::uint64_t hi = 0, lo = 0;
    const auto colon = text.find(':');
    const bool ok = colon == std::string::npos ? parse_unsigned(text, hi) && ((lo = hi), true)
                                               : parse_unsigned(text.substr(0, colon), hi) &&
                                                     parse_unsigned(text.substr(colon + 1), lo);
    if (!ok) {
      fail("invalid bit range '" + text + "' for " + what);
      return false;
    }
    if (hi > 63 || lo > hi) {
      fail("invalid bit range '" + text + "' for " + what + " (bits are msb:lsb within 63..0)");
      return false;
    }
    msb = static_cast<unsigned>(hi);
    lsb = static_cast<unsigned>(lo);
    const int h = static_cast<int>(hi);
    bool good = true;
    if (h > next_bit_) {
      fail(what + " at " + text + " overlaps bits already described" +
           (next_bit_ >= 0 ? " (next undescribed bit is " + std::to_string(next_bit_) + ")"
                           : " (all 64 bits are already described)"));
      good = false;
    } else if (h < next_bit_) {
      fail("gap: bits " + bits_text(next_bit_, h + 1) + " are not described before " + what +
           " at " + text);
      good = false;
    }
    next_bit_ = static_cast<int>(lo) - 1;
    return good;
  }

  bool block_item(const std::vector<std::string>& w) {
    const std::string& d = w[0];
    block& b = current_block();
    if (d == end_word(b.kind)) {
      if (state_ == state::prefix) {
        fail("EndPrefix missing before " + d);
        state_ = state::block;
      }
      expect_words(w, 1);
      close_block(true);
      return true;
    }
    if (d == "Fields" || d == "Mapping") {
      if (b.kind == block_kind::sysreg_fields || state_ == state::prefix) {
        fail("'" + d + "' is only allowed in a Sysreg or Msr block");
        return true;
      }
      if (!expect_words(w, 2)) return true;
      if (!valid_name(w[1], "referenced name")) return true;
      if (next_bit_ != 63 || b.layouts.size() > 1 || b.fields_ref || b.mapping_ref) {
        fail("'" + d + " " + w[1] + "' must be the only content of '" + b.name + "'");
        return true;
      }
      (d == "Fields" ? b.fields_ref : b.mapping_ref) = w[1];
      b.ref_line = line_;
      next_bit_ = -1;  // the referenced block describes every bit
      return true;
    }
    if (d == "Prefix") {
      if (state_ == state::prefix) {
        fail("Prefix cannot nest (EndPrefix missing)");
        return true;
      }
      if (!expect_words(w, 2)) return true;
      if (next_bit_ != 63 || b.fields_ref || b.mapping_ref) {
        fail("prefixed fields must precede non-prefixed fields in '" + b.name + "'");
        return true;
      }
      if (!valid_name(w[1], "prefix")) return true;
      if (!prefixes_.insert(w[1]).second)
        fail("duplicate prefix '" + w[1] + "' in '" + b.name + "'");
      current_layout().prefix = w[1];
      current_layout().line = line_;
      prefix_line_ = line_;
      names_.clear();
      lowered_names_.clear();
      state_ = state::prefix;
      return true;
    }
    static const std::map<std::string, item_kind> reserved = {{"Res0", item_kind::res0},
                                                              {"Res1", item_kind::res1},
                                                              {"Unkn", item_kind::unkn},
                                                              {"Raz", item_kind::raz}};
    const bool is_field = d == "Field";
    const bool is_enum = d == "Enum" || d == "UnsignedEnum" || d == "SignedEnum";
    const auto res = reserved.find(d);
    if (!is_field && !is_enum && res == reserved.end()) return false;
    if (b.fields_ref || b.mapping_ref) {
      fail("'" + b.name + "' takes its fields from '" +
           (b.fields_ref ? *b.fields_ref : *b.mapping_ref) + "'; it cannot describe fields too");
      return true;
    }
    if (!expect_words(w, res != reserved.end() ? 2 : 3)) {
      if (is_enum) enter_enum(item{item_kind::enumeration, 0, 0, "?", enum_kind::plain, {}, line_});
      return true;
    }
    item it;
    it.line = line_;
    if (res != reserved.end()) {
      it.kind = res->second;
      if (bit_range(w[1], d, it.msb, it.lsb)) current_layout().items.push_back(it);
      return true;
    }
    it.name = w[2];
    it.kind = is_field ? item_kind::field : item_kind::enumeration;
    it.sign = d == "UnsignedEnum" ? enum_kind::unsigned_
              : d == "SignedEnum" ? enum_kind::signed_
                                  : enum_kind::plain;
    const bool bits_ok = bit_range(w[1], "field '" + it.name + "'", it.msb, it.lsb);
    check_name(it.name);
    if (is_enum) {
      enter_enum(it);
    } else if (bits_ok) {
      current_layout().items.push_back(it);
    }
    return true;
  }

  // Reports (at this line) a name that cannot become an identifier and a string literal.
  bool valid_name(const std::string& name, const char* what) {
    const std::string problem = name_problem(name);
    if (problem.empty()) return true;
    fail(std::string(what) + " '" + name.substr(0, 40) + (name.size() > 40 ? "...'" : "'") + " " +
         problem);
    return false;
  }

  void check_name(const std::string& name) {
    if (!valid_name(name, "field name")) return;
    if (auto it = names_.find(name); it != names_.end()) {
      fail("duplicate field name '" + name + "' (first at line " + std::to_string(it->second) +
           ")");
      return;
    }
    names_[name] = line_;
    std::string lower;
    for (char c : name)
      lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (auto it = lowered_names_.find(lower); it != lowered_names_.end()) {
      fail("field name '" + name + "' differs only in case from '" + it->second +
           "' (both become '" + lower + "' in C++)");
      return;
    }
    lowered_names_[lower] = name;
  }

  void enter_enum(const item& it) {
    current_layout().items.push_back(it);
    item_line_ = line_;
    layout_state_ = state_;
    state_ = state::enumeration;
    enum_values_.clear();
    enum_names_.clear();
  }

  void enum_value(const std::vector<std::string>& w) {
    item& it = current_item();
    if (w.size() != 2) {
      fail("an enumerator line is '<0b value> <name>', found " + std::to_string(w.size()) +
           " word(s)");
      return;
    }
    const std::string& lit = w[0];
    bool binary = lit.size() > 2 && lit.rfind("0b", 0) == 0;
    std::uint64_t v = 0;
    for (std::size_t i = 2; binary && i < lit.size(); ++i) {
      if (lit[i] != '0' && lit[i] != '1') binary = false;
      if (i - 2 >= 64) binary = false;
      v = (v << 1) | static_cast<std::uint64_t>(lit[i] == '1');
    }
    if (!binary) {
      fail("enumerator value '" + lit + "' of " + current_block().name + "." + it.name + "." +
           w[1] + " is not a binary literal (0b followed by 0s and 1s)");
      return;
    }
    const unsigned width = it.msb - it.lsb + 1;
    if (width < 64 && (v >> width) != 0) {
      fail("enumerator value " + lit + " of " + current_block().name + "." + it.name + "." + w[1] +
           " does not fit the " + std::to_string(width) + "-bit field");
      return;
    }
    if (auto f = enum_values_.find(v); f != enum_values_.end()) {
      fail("duplicate enumerator value " + lit + " in " + it.name + " (also '" + f->second + "')");
      return;
    }
    if (!valid_name(w[1], "enumerator name")) return;
    if (auto f = enum_names_.find(w[1]); f != enum_names_.end()) {
      fail("duplicate enumerator name '" + w[1] + "' in " + it.name + " (first at line " +
           std::to_string(f->second) + ")");
      return;
    }
    enum_values_[v] = w[1];
    enum_names_[w[1]] = line_;
    it.values.push_back({v, w[1], line_});
  }

  void resolve_references() {
    std::map<std::string, const block*> fields, registers;
    for (const block& b : result_.blocks) {
      (b.kind == block_kind::sysreg_fields ? fields : registers).emplace(b.name, &b);
    }
    for (block& b : result_.blocks) {
      if (b.fields_ref) {
        auto it = fields.find(*b.fields_ref);
        if (it == fields.end()) {
          report(b.ref_line, "'" + b.name + "' uses Fields '" + *b.fields_ref +
                                 "', but no SysregFields block of that name exists");
          b.valid = false;
        } else if (!it->second->valid) {
          b.valid = false;  // its layout had problems, already reported at their lines
        }
      }
      if (b.mapping_ref) {
        auto it = registers.find(*b.mapping_ref);
        if (it == registers.end() || it->second == &b) {
          report(b.ref_line, "'" + b.name + "' is a Mapping of '" + *b.mapping_ref +
                                 "', but no register of that name exists");
          b.valid = false;
        } else if (it->second->mapping_ref) {
          report(b.ref_line, "'" + b.name + "' is a Mapping of '" + *b.mapping_ref +
                                 "', which is itself a Mapping (of '" + *it->second->mapping_ref +
                                 "'): map the register directly");
          b.valid = false;
        }
      }
    }
    // A mapping of an invalid register is not emitted either (iterate to a fixed point so
    // chains of mappings settle).
    for (bool changed = true; changed;) {
      changed = false;
      for (block& b : result_.blocks) {
        if (!b.valid || !b.mapping_ref) continue;
        auto it = registers.find(*b.mapping_ref);
        if (it != registers.end() && !it->second->valid) {
          b.valid = false;
          changed = true;
        }
      }
    }
  }

  const std::string& text_;
  spec result_;
  int line_ = 0;
  state state_ = state::root;
  state layout_state_ = state::block;
  bool has_block_ = false;
  int next_bit_ = 63;
  int item_line_ = 0;
  int prefix_line_ = 0;
  std::map<std::string, int> register_blocks_, field_blocks_;
  std::map<std::string, std::pair<std::string, int>> lowered_blocks_;  // lower-case name -> first
  std::map<std::string, int> names_;
  std::map<std::string, std::string> lowered_names_;
  std::set<std::string> prefixes_;
  std::map<std::uint64_t, std::string> enum_values_;
  std::map<std::string, int> enum_names_;
};

}  // namespace

spec parse(const std::string& file, const std::string& text) {
  return parser(file, text).run();
}

}  // namespace sysreg_gen
