// SPDX-License-Identifier: MIT
// A string literal usable as a template argument, so a field's name is part of its type.
//
// Why: compile errors about a field (value too wide, RES0 bit set, field of another register)
// print the offending type; with the name inside it, the message says "PMCR_EL0.N", not "field
// at bits 15:11".
#pragma once
namespace vpmu {

template <decltype(sizeof 0) N>  // (std::size_t without <cstddef>)
struct fixed_string {
  char chars[N]{};

  consteval fixed_string(const char (&text)[N]) {
    for (decltype(N) i = 0; i < N; ++i)
      chars[i] = text[i];
  }

  [[nodiscard]] constexpr const char* c_str() const { return chars; }
  [[nodiscard]] static constexpr decltype(N) size() { return N - 1; }
};
// Deduction from a string literal is the intended use (and saying so silences Clang's
// -Wctad-maybe-unsupported in users' builds).
template <decltype(sizeof(0)) N>
fixed_string(const char (&)[N]) -> fixed_string<N>;

// Compares two C strings at compile time (no <cstring>: headers stay freestanding).
[[nodiscard]] constexpr bool equal_strings(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

}  // namespace vpmu
