// SPDX-License-Identifier: MIT
// Linux's pmu_event_filter_test (tools/testing/selftests/kvm/x86/pmu_event_filter_test.c; its
// cases), run against each x86 policy on the simulator: the
// guest programs its counters, runs, and reads them; a denied event reads back as programmed but
// never counts.
#include <cstdint>
#include <doctest/doctest.h>
#include <type_traits>
#include <vector>

#include "property/x86_world.hpp"

namespace {

using vpmu::masked_event;
using vpmu::x86_event_filter;
using action = x86_event_filter::action;

x86_event_filter make(action a, std::vector<std::uint64_t> events, bool masked = false,
                      std::uint32_t fixed = 0, bool pad = false) {
  if (pad) {  // pad to the 300-entry limit with entries that match nothing the guest runs
    while (events.size() < 300)
      events.push_back(masked_event::encode(0x7f, 0xff, 0x7f, false).raw);
  }
  return x86_event_filter::create(static_cast<std::uint32_t>(a), masked ? 1 : 0, fixed,
                                  events.data(), static_cast<unsigned>(events.size()))
      .value();
}

constexpr std::uint64_t en_os = (1ULL << 22) | (1ULL << 17);

// The selftest's guest: EVNTSEL0 = branches, EVNTSEL1 = instructions, GLOBAL_CTRL = 0x3, then a
// 42-iteration loop. Returns {branches, instructions}.
template <class Arch, class Policy>
std::pair<std::uint64_t, std::uint64_t> branches_and_instructions(const x86_event_filter* f) {
  constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  property::x86_world<Arch, Policy> vm{f};
  const std::uint32_t sel0 = intel ? 0x186 : 0xc001'0000, ctr0 = intel ? 0xc1 : 0xc001'0004;
  const std::uint32_t branch = intel ? 0xc4 : 0xc2;
  CHECK_FALSE(vm.write(sel0, branch | en_os).fault);
  CHECK_FALSE(vm.write(sel0 + 1, 0xc0 | en_os).fault);
  if (intel) CHECK_FALSE(vm.write(0x38f, 0x3).fault);
  vm.run(branch, 42);
  vm.run(0xc0, 42 * 3);
  CHECK(vm.read(sel0).value == (branch | en_os));  // reads back as programmed, denied or not
  return {vm.read(ctr0).value, vm.read(ctr0 + 1).value};
}

template <class Arch, class Policy>
void allow_deny_cases() {
  constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  // Intel's architectural events (event | umask << 8) and AMD's C0/C2.
  const std::vector<std::uint64_t> arch_events =
      intel ? std::vector<std::uint64_t>{0x003c, 0x00c0, 0x013c, 0x4f2e, 0x412e, 0x00c4, 0x00c5}
            : std::vector<std::uint64_t>{0x00c0, 0x00c2, 0x0076};
  const auto none = branches_and_instructions<Arch, Policy>(nullptr);
  CHECK(none.first == 42);
  CHECK(none.second > 0);
  const auto deny = make(action::deny, arch_events);
  const auto d = branches_and_instructions<Arch, Policy>(&deny);
  CHECK(d.first == 0);
  CHECK(d.second == 0);
  const auto allow = make(action::allow, arch_events);
  const auto a = branches_and_instructions<Arch, Policy>(&allow);
  CHECK(a.first == 42);
  CHECK(a.second > 0);
  std::vector<std::uint64_t> others = {0x00d0, 0x0123};
  const auto deny_others = make(action::deny, others);
  const auto dn = branches_and_instructions<Arch, Policy>(&deny_others);
  CHECK(dn.first == 42);
  CHECK(dn.second > 0);
  const auto allow_others = make(action::allow, others);
  const auto an = branches_and_instructions<Arch, Policy>(&allow_others);
  CHECK(an.first == 0);
  CHECK(an.second == 0);
  if constexpr (!intel) {  // 0x1C2 is not 0xC2: the high select bits differ
    const auto deny_1c2 = make(action::deny, {0x1'0000'00c2});
    CHECK(branches_and_instructions<Arch, Policy>(&deny_1c2).first == 42);
  }
}

// Masked events: three counters on loads / stores / both (Intel 0xD0 umask 0x81/0x82/0x83,
// AMD 0x29 umask bits 0/1/2); returns which of them counted.
template <class Arch, class Policy>
std::uint32_t masked_case(const x86_event_filter& f) {
  constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  property::x86_world<Arch, Policy> vm{&f};
  const std::uint32_t ev = intel ? 0xd0 : 0x29;
  const std::uint64_t umask[3] = {intel ? 0x81U : 0x1U, intel ? 0x82U : 0x2U, intel ? 0x83U : 0x4U};
  const std::uint32_t sel0 = intel ? 0x186 : 0xc001'0000, ctr0 = intel ? 0xc1 : 0xc001'0004;
  std::uint32_t counted = 0;
  for (unsigned k = 0; k < 3; ++k) {  // one event at a time (emulated guests have two counters)
    const unsigned slot = k % 2;
    CHECK_FALSE(vm.write(sel0 + slot, ev | (umask[k] << 8) | en_os).fault);
    if (intel) CHECK_FALSE(vm.write(0x38f, 0x3).fault);
    CHECK_FALSE(vm.write(ctr0 + slot, 0).fault);
    vm.run(intel ? static_cast<std::uint32_t>(ev | (umask[k] << 8))
                 : static_cast<std::uint32_t>(ev | (umask[k] << 12)),
           10);
    if (vm.read(ctr0 + slot).value != 0) counted |= 1U << k;
  }
  return counted;
}

template <class Arch, class Policy>
void masked_cases() {
  constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  const std::uint32_t ev = intel ? 0xd0 : 0x29;
  const std::uint8_t loads = intel ? 0x81 : 0x1, stores = intel ? 0x82 : 0x2,
                     both = intel ? 0x83 : 0x4;
  const auto inc = [&](std::uint8_t mask, std::uint8_t match) {
    return masked_event::encode(ev, mask, match, false).raw;
  };
  const auto exc = [&](std::uint8_t mask, std::uint8_t match) {
    return masked_event::encode(ev, mask, match, true).raw;
  };
  struct row {
    std::vector<std::uint64_t> entries;
    std::uint32_t expect;  // bit 0 loads, 1 stores, 2 both
  };
  // AMD's umasks are single bits; the masks translate (0x7C -> 0xF8: match 0 on the bits above).
  // AMD: "stores and both" = umask bit 0 clear (mask 0x01, match 0).
  const std::uint8_t any = intel ? 0x7c : 0xf8, not_low = intel ? 0xfe : 0x01;
  const std::vector<row> rows = {
      {{inc(0xff, loads)}, 0b001},
      {{inc(0xff, stores)}, 0b010},
      {{inc(0xff, both)}, 0b100},
      {{inc(any, 0), exc(0xff, both)}, 0b011},
      {{inc(any, 0), exc(0xff, stores)}, 0b101},
      {{inc(not_low, intel ? stores : 0)}, 0b110},
      {{inc(any, 0)}, 0b111},
  };
  for (bool pad : {false, true}) {
    for (const row& r : rows) {
      const auto f = make(action::allow, r.entries, true, 0, pad);
      CAPTURE(pad);
      CHECK(masked_case<Arch, Policy>(f) == r.expect);
    }
  }
}

// Fixed counters use only the bitmap: allow with the bit set counts, deny with it set does not,
// whatever events[] says.
template <class Policy>
void fixed_cases() {
  // Every fixed counter the guest has, each with the bitmap bit of every fixed counter; a fixed
  // counter counts its own architectural event (SDM Table 21-2: 0xc0, 0x3c, 0x13c).
  const unsigned fixed = property::x86_world<vpmu::arch::intel, Policy>::shape().fixed_counters;
  const std::uint32_t events[] = {0x00c0, 0x003c, 0x013c};
  for (unsigned idx = 0; idx < fixed; ++idx) {
    for (unsigned bitmap_bit = 0; bitmap_bit < 3; ++bitmap_bit) {
      for (action a : {action::allow, action::deny}) {
        for (bool with_events : {false, true}) {
          const auto f = make(
              a, with_events ? std::vector<std::uint64_t>{0x00c0} : std::vector<std::uint64_t>{},
              false, 1U << bitmap_bit);
          property::x86_world<vpmu::arch::intel, Policy> vm{&f};
          CHECK_FALSE(vm.write(0x38d, 0x1ULL << (4 * idx)).fault);  // OS only
          CHECK_FALSE(vm.write(0x38f, 1ULL << (32 + idx)).fault);
          vm.run(events[idx], 100);
          const bool counted = vm.read(0x309 + idx).value != 0;
          CAPTURE(idx);
          const bool set = bitmap_bit == idx;
          CAPTURE(static_cast<int>(a));
          CAPTURE(bitmap_bit);
          CHECK(counted == (a == action::allow ? set : !set));
        }
      }
    }
  }
}

}  // namespace

using vpmu::arch::amd;
using vpmu::arch::intel;
using vpmu::policy::emulated;
using vpmu::policy::lazy;
using vpmu::policy::mediated;

TEST_CASE("event filter: allow/deny cases, Intel mediated") {
  allow_deny_cases<intel, mediated>();
}
TEST_CASE("event filter: allow/deny cases, Intel emulated") {
  allow_deny_cases<intel, emulated>();
}
TEST_CASE("event filter: allow/deny cases, AMD mediated") {
  allow_deny_cases<amd, mediated>();
}
TEST_CASE("event filter: allow/deny cases, AMD emulated") {
  allow_deny_cases<amd, emulated>();
}
TEST_CASE("event filter: masked events, Intel mediated") {
  masked_cases<intel, mediated>();
}
TEST_CASE("event filter: masked events, Intel emulated") {
  masked_cases<intel, emulated>();
}
TEST_CASE("event filter: masked events, Intel lazy mediated") {
  masked_cases<intel, lazy<mediated>>();
}
TEST_CASE("event filter: masked events, AMD mediated") {
  masked_cases<amd, mediated>();
}
TEST_CASE("event filter: masked events, AMD emulated") {
  masked_cases<amd, emulated>();
}
TEST_CASE("event filter: fixed counter bitmap, Intel mediated") {
  fixed_cases<mediated>();
}
TEST_CASE("event filter: fixed counter bitmap, Intel emulated") {
  fixed_cases<emulated>();
}

TEST_CASE("event filter: construction is validated as the ioctl is") {
  const std::uint64_t all_ones = ~0ULL;
  CHECK(x86_event_filter::create(0, 0, 0, &all_ones, 1).has_value());
  CHECK_FALSE(x86_event_filter::create(0, 1, 0, &all_ones, 1).has_value());
  const std::uint64_t encoded = masked_event::encode(0xff, 0xff, 0xff, true).raw;
  CHECK(x86_event_filter::create(0, 1, 0, &encoded, 1).has_value());
  CHECK_FALSE(x86_event_filter::create(2, 0, 0, nullptr, 0).has_value());
  CHECK_FALSE(x86_event_filter::create(0, 1U << 1, 0, nullptr, 0).has_value());
  std::vector<std::uint64_t> many(301, 0xc0);
  const auto too_many = x86_event_filter::create(0, 0, 0, many.data(), 301);
  REQUIRE_FALSE(too_many.has_value());
  CHECK(vpmu::equal_strings(too_many.error_value().field, "nevents"));
  CHECK(x86_event_filter::create(0, 0, 0xffff'ffff, nullptr, 0)
            .has_value());  // bitmap beyond counters
  // A legacy entry with stray bits is skipped, not an error.
  const std::uint64_t stray = 0x1'0000'0000'00c0ULL;
  const auto f = x86_event_filter::create(1, 0, 0, &stray, 1);
  REQUIRE(f.has_value());
  CHECK(f.value().size() == 0);
}

TEST_CASE("event filter: usable in constant expressions") {
  constexpr std::uint64_t entries[] = {masked_event::encode(0xd0, 0xff, 0x81, false).raw};
  constexpr auto f = x86_event_filter::create(0, 1, 0b1, entries, 1).value();
  static_assert(f.allows_selector(vpmu::x86::vendor::intel, 0x81d0));
  static_assert(!f.allows_selector(vpmu::x86::vendor::intel, 0x82d0));
  static_assert(f.allows_fixed(0) && !f.allows_fixed(1));
  CHECK(f.size() == 1);
}
