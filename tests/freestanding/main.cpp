// SPDX-License-Identifier: MIT
// A freestanding program: no libc, no libstdc++, its own entry point. It is built with every
// public header included (check.sh passes them with -include) and exercises the core layer at
// run time, so the code paths are really emitted and linked, not only parsed.
#include <cstdint>

#include "vpmu/core.hpp"

namespace {

struct ctrl : vpmu::layout_base<"CTRL", 64, vpmu::reserved_bits{.res0 = ~0xffffULL}> {
  static constexpr vpmu::flag<ctrl, 0, "E"> e{};
  static constexpr vpmu::field<ctrl, 15, 1, "REST"> rest{};
  using fields = vpmu::field_list<decltype(e), decltype(rest)>;
};

// A tiny backend in memory; volatile keeps the compiler from folding everything away.
struct memory_backend {
  volatile std::uint64_t cell = 0;
  template <class R>
  std::uint64_t read() {
    return cell;
  }
  template <class R>
  void write(std::uint64_t v) {
    cell = v;
  }
};

int run(std::uint64_t input) {
  memory_backend hw;
  hw.cell = input;
  const auto v = vpmu::modify<ctrl>(hw, ctrl::e = 1);
  int failures = 0;
  if (!v.get(ctrl::e)) ++failures;
  if (ctrl::rest.checked(input << 20).has_value()) ++failures;  // too wide: must be an error
  if (vpmu::counter_add(0xffff'ffff, input + 1, 32).value != input) ++failures;
  return failures;
}

}  // namespace

extern "C" [[noreturn]] void _start() {
  const int status = run(0x10);
#if defined(__x86_64__)
  asm volatile("syscall" ::"a"(60), "D"(status) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
  register long x0 asm("x0") = status;
  register long x8 asm("x8") = 93;
  asm volatile("svc #0" ::"r"(x0), "r"(x8) : "memory");
#endif
  for (;;) {
  }
}
