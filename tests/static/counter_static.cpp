// SPDX-License-Identifier: MIT
// Counter arithmetic: wrap, overflow detection, distance to overflow, sign extension.
#include "vpmu/core/counter.hpp"

namespace {
using vpmu::counter_add;
using vpmu::distance_to_overflow;
using vpmu::sign_extend;

// 32-bit counter (Arm PMUv3 event counter with PMCR.LP = 0).
static_assert(counter_add(0xffff'fffe, 1, 32).value == 0xffff'ffff);
static_assert(!counter_add(0xffff'fffe, 1, 32).overflowed);
static_assert(counter_add(0xffff'ffff, 1, 32).value == 0);
static_assert(counter_add(0xffff'ffff, 1, 32).overflowed);
static_assert(counter_add(0xffff'fff0, 0x20, 32).value == 0x10);
// A counter value wider than its width is first reduced (upper bits are not the counter's).
static_assert(counter_add(0x1'0000'0005, 1, 32).value == 6);
static_assert(!counter_add(0x1'0000'0005, 1, 32).overflowed);
// 48-bit (AMD, Intel typical), 64-bit (PMUv3p5 with LP).
static_assert(counter_add(0xffff'ffff'ffff, 1, 48).value == 0);
static_assert(counter_add(0xffff'ffff'ffff, 1, 48).overflowed);
static_assert(counter_add(0xffff'ffff'fffe, 1, 48).value == 0xffff'ffff'ffff);
static_assert(counter_add(~0ULL, 1, 64).value == 0 && counter_add(~0ULL, 1, 64).overflowed);
static_assert(!counter_add(~0ULL - 1, 1, 64).overflowed);
// A delta larger than the whole range still reports overflow.
static_assert(counter_add(0, 0x1'0000'0000, 32).overflowed);

// Distance to overflow = 2^width - value (the sample period of a backing host counter).
static_assert(distance_to_overflow(0xffff'fff0, 32) == 0x10);
static_assert(distance_to_overflow(0, 32) == 0x1'0000'0000);
static_assert(distance_to_overflow(0xffff'ffff'ffff, 48) == 1);
static_assert(distance_to_overflow(~0ULL, 64) == 1);
static_assert(distance_to_overflow(0, 64) == 0);  // documented: 0 = full 2^64 range

// Legacy IA32_PMCx writes: bit 31 copied upwards (SDM 21.2.2), then cut to the counter width.
static_assert(sign_extend(0x8000'0000, 32) == 0xffff'ffff'8000'0000);
static_assert(sign_extend(0x7fff'ffff, 32) == 0x7fff'ffff);
static_assert(vpmu::legacy_counter_write(0x8000'0000, 48) == 0xffff'8000'0000);
static_assert(vpmu::legacy_counter_write(0x1234, 48) == 0x1234);
static_assert(sign_extend(0x1'8000'0000, 32) == 0xffff'ffff'8000'0000);  // bits above 31 ignored
}  // namespace
