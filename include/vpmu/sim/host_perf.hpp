// SPDX-License-Identifier: MIT
// A minimal host "perf" over a simulator (or, with a hardware backend as Access, over the real
// PMU: the EL2 stub lends counters to emulated guests with it): it owns the hardware counters the
// host does not give to a guest, runs the host's own profiling events on some of them, and lends
// the rest to emulated guests as backing counters (vpmu::counter_provider). Tests use it to check
// isolation: the host's own counts must be exactly what they would be with no guest.
//
// The counters it may use are a bitmask given at construction (for partitioned Arm guests, the
// host range [HPMN, N)); it never touches any other counter.
#pragma once

#include <cstdint>
#include <type_traits>

#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/policy/counter_provider.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

namespace vpmu::sim {

namespace detail {

// The per-simulator part: how to program, read, enable one hardware counter.
template <class Sim>
struct perf_hw;

template <>
struct perf_hw<intel_pmu> {
  static constexpr unsigned counters = x86::intel_max_gp_counters;
  static constexpr unsigned width(const intel_pmu& s) { return s.config().gp_width; }
  template <class A>
  static constexpr void program(A& s, unsigned i, std::uint64_t selector, std::uint64_t start) {
    s.wrmsr(0x186 + i, 0);
    s.wrmsr(0x4c1 + i, start);
    s.wrmsr(0x186 + i, selector | (1ULL << 22) | (1ULL << 20));  // EN | INT
  }
  template <class A>
  static constexpr std::uint64_t read(A& s, unsigned i) {
    return s.rdpmc(i);
  }
  template <class A>
  static constexpr void write(A& s, unsigned i, std::uint64_t v) {
    s.wrmsr(0x4c1 + i, v);
  }
  template <class A>
  static constexpr void enable(A& s, std::uint64_t mask, std::uint64_t) {
    s.wrmsr(0x38f, mask);
  }
  template <class A>
  static constexpr void stop(A& s, unsigned i) {
    s.wrmsr(0x186 + i, 0);
  }
};

template <>
struct perf_hw<amd_pmu> {
  static constexpr unsigned counters = x86::amd_core_counters;
  static constexpr unsigned width(const amd_pmu&) { return amd_pmu::width; }
  template <class A>
  static constexpr void program(A& s, unsigned i, std::uint64_t selector, std::uint64_t start) {
    s.wrmsr(0xc001'0200 + 2 * i, 0);
    s.wrmsr(0xc001'0201 + 2 * i, start);
    s.wrmsr(0xc001'0200 + 2 * i, selector | (1ULL << 22) | (1ULL << 20));
  }
  template <class A>
  static constexpr std::uint64_t read(A& s, unsigned i) {
    return s.rdpmc(i);
  }
  template <class A>
  static constexpr void write(A& s, unsigned i, std::uint64_t v) {
    s.wrmsr(0xc001'0201 + 2 * i, v);
  }
  template <class A>
  static constexpr void enable(A& s, std::uint64_t mask, std::uint64_t) {
    s.wrmsr(0xc000'0301, mask);  // host_perf is used with PerfMonV2 hosts
  }
  template <class A>
  static constexpr void stop(A& s, unsigned i) {
    s.wrmsr(0xc001'0200 + 2 * i, 0);
  }
};

template <>
struct perf_hw<arm_pmuv3> {
  static constexpr unsigned counters = arm64::max_event_counters;
  static constexpr unsigned width(const arm_pmuv3& s) {
    return s.caps().event_counters_64bit() ? 64 : 32;
  }
  template <class A>
  static constexpr void program(A& s, unsigned i, std::uint64_t type, std::uint64_t start) {
    s.write(arm64::pmcntenclr_el0::encoding, bit(i));
    s.write(arm64::pmevtyper_encoding_unchecked(i), type);
    s.write(arm64::pmevcntr_encoding_unchecked(i), start);
    s.write(arm64::pmintenset_el1::encoding, bit(i));
  }
  template <class A>
  static constexpr std::uint64_t read(A& s, unsigned i) {
    return s.read(arm64::pmevcntr_encoding_unchecked(i));
  }
  template <class A>
  static constexpr void write(A& s, unsigned i, std::uint64_t v) {
    s.write(arm64::pmevcntr_encoding_unchecked(i), v);
  }
  // Only the counters this host may use are touched: in a partitioned PMU the others are the
  // guest's.
  template <class A>
  static constexpr void enable(A& s, std::uint64_t mask, std::uint64_t usable) {
    if ((mask & usable) != 0) s.write(arm64::pmcntenset_el0::encoding, mask & usable);
    if ((~mask & usable) != 0) s.write(arm64::pmcntenclr_el0::encoding, ~mask & usable);
  }
  template <class A>
  static constexpr void stop(A& s, unsigned i) {
    s.write(arm64::pmcntenclr_el0::encoding, bit(i));
  }
};

}  // namespace detail

// Sim: the simulator (it tells the counter width); Access: what the register accesses go
// through (the simulator itself, or a decorator such as counting<Sim> for benchmarks).
template <class Sim, class Access = Sim>
class host_perf {
  using hw = detail::perf_hw<Sim>;

 public:
  using handle = unsigned;  // the hardware counter index

  // `usable`: the counters this host may program (bit i = counter i).
  constexpr host_perf(Sim& sim, std::uint64_t usable) requires std::is_same_v<Sim, Access>
      : sim_(&sim), width_(hw::width(sim)), usable_(usable) {}
  constexpr host_perf(Sim& sim, Access& access, std::uint64_t usable)
      : sim_(&access), width_(hw::width(sim)), usable_(usable) {}
  // Over a register backend of its own (real hardware: the hypervisor probed the width).
  constexpr host_perf(Access& access, unsigned width, std::uint64_t usable)
      : sim_(&access), width_(width), usable_(usable) {}

  // --- the host's own profiling -------------------------------------------------------------
  // Starts a host event on a free counter; it counts until stop_host_event().
  constexpr result<handle> start_host_event(std::uint64_t selector) {
    const auto h = allocate();
    if (!h) return h;
    hw::program(*sim_, h.value(), selector, 0);
    host_owned_ |= bit(h.value());
    running_ |= bit(h.value());
    hw::enable(*sim_, running_, usable_);
    return h;
  }
  constexpr std::uint64_t host_count(handle h) { return hw::read(*sim_, h); }

  // --- vpmu::counter_provider ---------------------------------------------------------------
  constexpr result<handle> acquire(const backing_event& e) {
    const auto h = allocate();
    if (!h) return h;
    const unsigned w = width_;
    // Start so that the counter wraps (and interrupts) after `period` events.
    const std::uint64_t start = e.period == 0 ? 0 : (~e.period + 1) & low_mask(w);
    hw::program(*sim_, h.value(), e.selector, start);
    slot_[h.value()] = {start, 0};
    return h;
  }
  constexpr void release(handle h) {
    (void)read(h);
    hw::stop(*sim_, h);
    in_use_ &= ~bit(h);
    running_ &= ~bit(h);
    hw::enable(*sim_, running_, usable_);
  }
  constexpr std::uint64_t read(handle h) {
    const unsigned w = width_;
    const std::uint64_t now = hw::read(*sim_, h);
    slot_[h].total += (now - slot_[h].last) & low_mask(w);
    slot_[h].last = now;
    return slot_[h].total;
  }
  constexpr void set_period(handle h, std::uint64_t period) {
    (void)read(h);
    const std::uint64_t start = period == 0 ? 0 : (~period + 1) & low_mask(width_);
    hw::write(*sim_, h, start);
    slot_[h].last = start;
  }
  constexpr void pause(handle h) {
    running_ &= ~bit(h);
    batch_ = true;
  }
  constexpr void resume(handle h) {
    running_ |= bit(h);
    batch_ = true;
  }
  // The host's own events exclude guest mode (perf's exclude_guest): the hypervisor calls these
  // around guest execution.
  constexpr void enter_guest() {
    running_ &= ~host_owned_;
    hw::enable(*sim_, running_, usable_);
  }
  constexpr void exit_guest() {
    running_ |= host_owned_;
    hw::enable(*sim_, running_, usable_);
  }
  // Re-asserts the enables after someone else wrote them (a mediated put()).
  constexpr void reassert() { hw::enable(*sim_, running_, usable_); }
  // pause()/resume() of several counters apply together here (one enable write).
  constexpr void commit() {
    if (batch_) hw::enable(*sim_, running_, usable_);
    batch_ = false;
  }

 private:
  struct slot {
    std::uint64_t last;
    std::uint64_t total;
  };
  constexpr result<handle> allocate() {
    const std::uint64_t free = usable_ & ~in_use_ & low_mask(hw::counters);
    if (free == 0) return error{errc::not_implemented, "host_perf", "free counter", usable_};
    const auto i = static_cast<unsigned>(__builtin_ctzll(free));
    in_use_ |= bit(i);
    return i;
  }

  Access* sim_;
  unsigned width_;
  std::uint64_t usable_;
  std::uint64_t in_use_ = 0, host_owned_ = 0, running_ = 0;
  bool batch_ = false;
  slot slot_[hw::counters] = {};
};

static_assert(counter_provider<host_perf<intel_pmu>>);
static_assert(counter_provider<host_perf<arm_pmuv3>>);

}  // namespace vpmu::sim
