// SPDX-License-Identifier: MIT
// Output for the EL2 images, which have no libc.
#pragma once

#include <cstdint>

namespace el2_stub {

// A fixed-size line buffer.
struct line {
  char text[120] = {};
  unsigned n = 0;
  line& operator<<(const char* s) {
    while (*s != 0 && n + 1 < sizeof(text))
      text[n++] = *s++;
    return *this;
  }
  line& hex(std::uint64_t v) {
    *this << "0x";
    bool started = false;
    for (int shift = 60; shift >= 0; shift -= 4) {
      const auto d = static_cast<unsigned>((v >> shift) & 0xf);
      if (d == 0 && !started && shift != 0) continue;
      started = true;
      if (n + 1 < sizeof(text)) text[n++] = "0123456789abcdef"[d];
    }
    return *this;
  }
  line& dec(std::uint64_t v) {
    char digits[20];
    unsigned k = 0;
    do {
      digits[k++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (k != 0 && n + 1 < sizeof(text))
      text[n++] = digits[--k];
    return *this;
  }
};

}  // namespace el2_stub
