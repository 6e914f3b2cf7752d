// SPDX-License-Identifier: MIT
// The four functions every freestanding GCC/Clang target must provide (the compilers may emit
// calls to them for copies and initialisation: GCC's "-ffreestanding" documentation, Clang's
// likewise): all a program that links vpmu needs beyond its own code; the EL2 images of
// examples/el2_stub link it too. Built with
// -fno-builtin and -fno-tree-loop-distribute-patterns so the loops do not become calls to
// themselves.
#include <cstddef>

extern "C" {
void* memcpy(void* d, const void* s, std::size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  const auto* q = static_cast<const unsigned char*>(s);
  while (n-- != 0)
    *p++ = *q++;
  return d;
}
void* memmove(void* d, const void* s, std::size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  const auto* q = static_cast<const unsigned char*>(s);
  if (p < q) {
    while (n-- != 0)
      *p++ = *q++;
  } else {
    while (n-- != 0)
      p[n] = q[n];
  }
  return d;
}
void* memset(void* d, int c, std::size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  while (n-- != 0)
    *p++ = static_cast<unsigned char>(c);
  return d;
}
int memcmp(const void* a, const void* b, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(a);
  const auto* q = static_cast<const unsigned char*>(b);
  for (; n != 0; --n, ++p, ++q) {
    if (*p != *q) return *p < *q ? -1 : 1;
  }
  return 0;
}
}
