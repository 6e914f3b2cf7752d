// SPDX-License-Identifier: MIT
// Building, checking and reading register values with vpmu's core layer.
//
// The register here is described inline to keep the example self-contained; real code uses the
// descriptions under vpmu/arch/.
#include <cinttypes>
#include <cstdio>

#include <vpmu/vpmu.hpp>

namespace {

// A PMSELR_EL0-shaped register: SEL in bits [4:0], the rest RES0.
struct selector : vpmu::layout_base<"SELECTOR", 64, vpmu::reserved_bits{.res0 = ~0x1fULL}> {
  static constexpr vpmu::field<selector, 4, 0, "SEL"> sel{};
  using fields = vpmu::field_list<decltype(sel)>;
  using value = vpmu::reg_value<selector>;
};

// What a trap handler does with a value the guest wrote: check it, never truncate it.
void guest_writes(std::uint64_t raw) {
  const auto v = selector::value::make(raw);
  if (!v) {
    const vpmu::error& e = v.error_value();
    std::printf("guest wrote %#" PRIx64 " to %s: %s (bits %#llx) -> inject UNDEF\n", raw, e.where,
                vpmu::describe(e.code), e.bits);
    return;
  }
  std::printf("guest wrote %#" PRIx64 ": SEL = %" PRIu64 "\n", raw, v.value().get(selector::sel));
}

}  // namespace

int main() {
  // Compile-time construction: `selector::sel = 40` would not compile (40 needs 6 bits).
  constexpr auto v = selector::value{}.with(selector::sel = 31);
  static_assert(v.raw() == 31);
  std::printf("built at compile time: %#" PRIx64 "\n", v.raw());

  guest_writes(5);
  guest_writes(0x25);  // bit 5 is RES0

  // Counter arithmetic: a 32-bit counter two events from wrapping.
  const auto sum = vpmu::counter_add(0xffff'fffe, 3, 32);
  std::printf("0xfffffffe + 3 in 32 bits = %" PRIu64 ", overflow %s\n", sum.value,
              sum.overflowed ? "yes" : "no");
  return 0;
}
