// SPDX-License-Identifier: MIT
// Sign-aware ID-field comparisons (Arm ARM D19.1.3 and G8.1.3.2). The cases are the ones the
// architecture defines; each expectation is derived from the rule, not from the implementation.
#include "support/test_layouts.hpp"

namespace {
using test_regs::idr;
using vpmu::at_least;
using ver = idr::ver_t;
using mt = idr::mt_t;
using cnt = idr::cnt_t;

// Signed field: 0x0 = implemented (the baseline), 0x1 = a later extension, 0xF = -1 = NOT
// implemented. 0xF must never satisfy "at least implemented".
static_assert(!at_least(0xF, mt::imp));
static_assert(!at_least(0xF, mt::ni_impdef));
static_assert(at_least(0xF, mt::ni));
static_assert(at_least(0x0, mt::ni_impdef));
static_assert(!at_least(0x0, mt::imp));
static_assert(at_least(0x1, mt::imp));
static_assert(at_least(0x1, mt::ni_impdef));
static_assert(at_least(0x7, mt::imp));         // +7: a future, larger value
static_assert(!at_least(0x8, mt::ni_impdef));  // 0x8 is -8: below "implemented"

// Unsigned field: plain ordering, 0xF is the largest value.
static_assert(at_least(0x2, cnt::imp));
static_assert(at_least(0xF, cnt::v2));
static_assert(!at_least(0x0, cnt::imp));
static_assert(at_least(0x0, cnt::ni));

// PMUVer-style field: unsigned, but 0xF = IMPLEMENTATION DEFINED PMU satisfies no minimum,
// not even "not implemented" ordering tricks.
static_assert(!at_least(0xF, ver::imp));
static_assert(!at_least(0xF, ver::ni));
static_assert(!at_least(0xF, ver::v3p5));
static_assert(at_least(0x6, ver::v3p5));
static_assert(at_least(0x6, ver::v3p1));
static_assert(!at_least(0x4, ver::v3p5));
static_assert(at_least(0x1, ver::imp));
static_assert(!at_least(0x0, ver::imp));
static_assert(at_least(0x9, ver::v3p5));      // a later version still counts
static_assert(!at_least(0x6, ver::imp_def));  // asking for IMP_DEF is never "at least"

// Through a register value: the enumerator selects the field.
constexpr auto v = idr::value{}.with(idr::ver = ver::v3p5, idr::mt = 0xF, idr::cnt = cnt::v2);
static_assert(at_least(v, ver::v3p1));
static_assert(!at_least(v, mt::imp));
static_assert(at_least(v, cnt::imp));
static_assert(at_least(v, idr::mt, mt::ni));
static_assert(!at_least(v, idr::mt, mt::ni_impdef));
static_assert(at_least(v.get(idr::ver), ver::v3p5));

// Only the field's own bits count: high garbage in a raw value passed in is masked.
static_assert(at_least(0x10, cnt::ni) && !at_least(0x10, cnt::imp));

// The comparison works on the whole width of wider fields too (sign bit is the field's msb).
}  // namespace
