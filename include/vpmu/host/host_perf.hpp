// SPDX-License-Identifier: MIT
// A minimal host "perf" over one CPU's PMU registers: it owns the hardware counters the host does
// not give to a guest, runs the host's own profiling events on some of them, and lends the rest
// to emulated guests as backing counters (vpmu::counter_provider). It runs over any register
// backend: the simulators in tests, the hardware backend in the EL2 example. Tests use it to
// check isolation: the host's own counts must be exactly what they would be with no guest.
//
// The counters it may use are a bitmask given at construction (for partitioned Arm guests, the
// host range [HPMN, N)); it never touches any other counter.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/arch/tags.hpp"
#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/host/counter_provider.hpp"

namespace vpmu {

namespace detail {

// The per-architecture part: how to program, read, enable one hardware counter.
template <class Arch>
struct perf_counters;

// x86: program a counter through its selector and counter MSRs (EN | INT set), read it with
// RDPMC, enable through the global control MSR.
template <std::uint32_t (*SelectorMsr)(unsigned), std::uint32_t (*CounterMsr)(unsigned),
          class GlobalCtrl, class GlobalStatus, class GlobalStatusClear, unsigned Counters,
          std::uint64_t RunBits, std::uint64_t GuestOnlyBits, bool GuestOnlyByEntryControl>
struct x86_perf_counters {
  static constexpr unsigned counters = Counters;
  // Guest-only counting: a selector bit (AMD GuestOnly), or the counter is enabled only in the
  // VM-entry GLOBAL_CTRL value (Intel): see backing_event.
  static constexpr std::uint64_t guest_only_bits = GuestOnlyBits;
  static constexpr std::uint64_t guest_only_clear = 0;
  static constexpr bool guest_only_by_entry_control = GuestOnlyByEntryControl;
  // Without global control (Intel v1, AMD without PerfMonV2) a counter runs by its selector's EN.
  static constexpr std::uint32_t selector_msr(unsigned i) { return SelectorMsr(i); }
  static constexpr std::uint64_t enable_bit = x86::ia32_perfevtselx::en.mask;  // EN (both)
  static_assert(x86::ia32_perfevtselx::en.mask == x86::amd_perf_ctln::en.mask);
  static constexpr std::uint64_t run_bits = RunBits;
  template <class A>
  static constexpr void program(A& a, unsigned i, std::uint64_t selector, std::uint64_t start) {
    a.wrmsr(SelectorMsr(i), 0);
    a.wrmsr(CounterMsr(i), start);
    a.wrmsr(SelectorMsr(i), selector | RunBits);
  }
  template <class A>
  static constexpr std::uint64_t read(A& a, unsigned i) {
    return a.rdpmc(x86::rdpmc_gp(i));
  }
  template <class A>
  static constexpr void write(A& a, unsigned i, std::uint64_t v) {
    a.wrmsr(CounterMsr(i), v);
  }
  template <class A>
  static constexpr void enable(A& a, std::uint64_t mask, std::uint64_t) {
    write_register<GlobalCtrl>(a, mask);
  }
  template <class A>
  static constexpr void stop(A& a, unsigned i) {
    a.wrmsr(SelectorMsr(i), 0);
  }
  // Overflow status: GP counter i is bit i of both registers (SDM Vol. 3B 21.2.2; APM Vol. 2
  // 13.2.2); the clear register is write-1-to-clear.
  template <class A>
  static constexpr std::uint64_t take_overflow(A& a, std::uint64_t usable) {
    const std::uint64_t s = read_register<GlobalStatus>(a) & usable;
    if (s != 0) write_register<GlobalStatusClear>(a, s);
    return s;
  }
};

// Intel: full-width counter writes (IA32_A_PMCx).
template <>
struct perf_counters<arch::intel>
    : x86_perf_counters<
          x86::perfevtsel_msr, x86::a_pmc_msr, x86::ia32_perf_global_ctrl,
          x86::ia32_perf_global_status, x86::ia32_perf_global_ovf_ctrl, x86::intel_max_gp_counters,
          x86::ia32_perfevtselx::en.mask | x86::ia32_perfevtselx::int_.mask, 0, true> {};
// AMD: the core extension MSRs and PerfMonV2's GlobalCtl (host_perf needs a PerfMonV2 host).
template <>
struct perf_counters<arch::amd>
    : x86_perf_counters<x86::amd_perf_ctl_msr, x86::amd_perf_ctr_msr,
                        x86::amd64_perf_cntr_global_ctl, x86::amd64_perf_cntr_global_status,
                        x86::amd64_perf_cntr_global_status_clr, x86::amd_core_counters,
                        x86::amd_perf_ctln::en.mask | x86::amd_perf_ctln::int_.mask,
                        x86::amd_perf_ctln::guest_only.mask, false> {};

template <>
struct perf_counters<arch::arm64> {
  static constexpr unsigned counters = arm64::max_event_counters;
  // Guest-only counting: never count EL2 (NSH clear), where the hypervisor runs.
  static constexpr std::uint64_t guest_only_bits = 0;
  static constexpr std::uint64_t guest_only_clear = arm64::pmevtypern_el0::nsh.mask;
  static constexpr bool guest_only_by_entry_control = false;
  template <class A>
  static constexpr void program(A& a, unsigned i, std::uint64_t type, std::uint64_t start) {
    write_register<arm64::pmcntenclr_el0>(a, bit(i));
    write_pmevtyper(a, i, type);
    write_pmevcntr(a, i, start);
    write_register<arm64::pmintenset_el1>(a, bit(i));
  }
  template <class A>
  static constexpr std::uint64_t read(A& a, unsigned i) {
    return read_pmevcntr(a, i);
  }
  template <class A>
  static constexpr void write(A& a, unsigned i, std::uint64_t v) {
    write_pmevcntr(a, i, v);
  }
  // Only the counters this host may use are touched: in a partitioned PMU the others are the
  // guest's.
  template <class A>
  static constexpr void enable(A& a, std::uint64_t mask, std::uint64_t usable) {
    if ((mask & usable) != 0) write_register<arm64::pmcntenset_el0>(a, mask & usable);
    if ((~mask & usable) != 0) write_register<arm64::pmcntenclr_el0>(a, ~mask & usable);
  }
  template <class A>
  static constexpr void stop(A& a, unsigned i) {
    write_register<arm64::pmcntenclr_el0>(a, bit(i));
  }
  // PMOVSCLR_EL0 is write-1-to-clear (Arm ARM D13.1.1).
  template <class A>
  static constexpr std::uint64_t take_overflow(A& a, std::uint64_t usable) {
    const std::uint64_t s = read_register<arm64::pmovsset_el0>(a) & usable;
    if (s != 0) write_register<arm64::pmovsclr_el0>(a, s);
    return s;
  }
};

}  // namespace detail

// Arch: arch::intel, arch::amd or arch::arm64; Access: the register backend the accesses go
// through (hardware, a simulator, or a decorator such as counting<Sim> for benchmarks).
template <class Arch, class Access>
class host_perf {
  using hw = detail::perf_counters<Arch>;

 public:
  using handle = unsigned;  // the hardware counter index

  // `width`: the hardware counters' width in bits (probed by the hypervisor); `usable`: the
  // counters this host may program (bit i = counter i); `global_control`: the PMU has a global
  // enable register (x86 without it: Intel version 1, AMD without PerfMonV2 -- counters are
  // then started and stopped through their selectors' EN).
  constexpr host_perf(Access& access, unsigned width, std::uint64_t usable,
                      bool global_control = true)
      : access_(&access), width_(width), usable_(usable), global_control_(global_control) {}

  // --- the host's own profiling -------------------------------------------------------------
  // Starts a host event on a free counter; it counts until the host_perf goes away.
  constexpr result<handle> start_host_event(std::uint64_t selector) {
    const auto h = allocate();
    if (!h) return h;
    hw::program(*access_, h.value(), selector, 0);
    remember_selector(h.value(), selector);
    host_owned_ |= bit(h.value());
    running_ |= bit(h.value());
    apply_enables();
    return h;
  }
  constexpr std::uint64_t host_count(handle h) { return hw::read(*access_, h); }

  // --- vpmu::counter_provider ---------------------------------------------------------------
  constexpr result<handle> acquire(const backing_event& e) {
    const auto h = allocate();
    if (!h) return h;
    const std::uint64_t start = start_for(e.period);
    const std::uint64_t selector =
        e.guest_only ? (e.selector | hw::guest_only_bits) & ~hw::guest_only_clear : e.selector;
    hw::program(*access_, h.value(), selector, start);
    remember_selector(h.value(), selector);
    slot_[h.value()] = {start, 0};
    if (e.guest_only && hw::guest_only_by_entry_control) guest_only_ |= bit(h.value());
    return h;
  }
  constexpr void release(handle h) {
    (void)read(h);
    hw::stop(*access_, h);
    in_use_ &= ~bit(h);
    running_ &= ~bit(h);
    guest_only_ &= ~bit(h);
    apply_enables();
  }
  constexpr std::uint64_t read(handle h) {
    const std::uint64_t now = hw::read(*access_, h);
    slot_[h].total += (now - slot_[h].last) & low_mask(width_);
    slot_[h].last = now;
    return slot_[h].total;
  }
  constexpr void set_period(handle h, std::uint64_t period) {
    (void)read(h);
    const std::uint64_t start = start_for(period);
    hw::write(*access_, h, start);
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
  // The hypervisor calls these around guest execution: the host's own events exclude guest mode
  // (perf's exclude_guest), guest-only backing counters exclude host mode (Intel: the entry and
  // exit GLOBAL_CTRL values differ by them).
  constexpr void enter_guest() {
    in_guest_ = true;
    apply_enables();
  }
  constexpr void exit_guest() {
    in_guest_ = false;
    apply_enables();
  }
  // The host's PMU interrupt handler calls this first: returns the overflow flags of the
  // counters this host_perf may use and clears them in the hardware, so the interrupt line
  // drops once the overflow has been handled (Linux's armv8pmu_handle_irq and
  // intel_pmu_handle_irq acknowledge the same way). Without global control (Intel v1, AMD
  // without PerfMonV2) there is no status register: 0, and overflow shows in the counts.
  constexpr std::uint64_t take_overflow() {
    if (!global_control_) return 0;
    return hw::take_overflow(*access_, usable_);
  }
  // Re-asserts the enables after someone else wrote them (a mediated put()).
  constexpr void reassert() { apply_enables(); }
  // pause()/resume() of several counters apply together here (one enable write).
  constexpr void commit() {
    if (batch_) apply_enables();
    batch_ = false;
  }

 private:
  struct slot {
    std::uint64_t last;
    std::uint64_t total;
  };
  // What counts now: the running counters, less the host's own in guest mode and the guest-only
  // ones in host mode.
  constexpr void apply_enables() {
    const std::uint64_t want = running_ & ~(in_guest_ ? host_owned_ : guest_only_);
    if constexpr (requires { hw::selector_msr(0U); }) {
      if (!global_control_) {
        for (unsigned i : set_bits(in_use_)) {
          const std::uint64_t sel =
              (want & bit(i)) != 0 ? selector_[i] : selector_[i] & ~hw::enable_bit;
          if (sel == written_[i]) continue;
          access_->wrmsr(hw::selector_msr(i), sel);
          written_[i] = sel;
        }
        return;
      }
    }
    hw::enable(*access_, want, usable_);
  }
  // program() leaves the selector with EN set: what the enables start from.
  constexpr void remember_selector(unsigned i, std::uint64_t selector) {
    if constexpr (requires { hw::selector_msr(0U); }) {
      selector_[i] = selector | hw::run_bits;
      written_[i] = selector_[i];
    }
  }
  // Start so that the counter wraps (and interrupts) after `period` events (0: a full wrap).
  [[nodiscard]] constexpr std::uint64_t start_for(std::uint64_t period) const {
    return period == 0 ? 0 : (~period + 1) & low_mask(width_);
  }
  constexpr result<handle> allocate() {
    const std::uint64_t free = usable_ & ~in_use_ & low_mask(hw::counters);
    if (free == 0) return error{errc::not_implemented, "host_perf", "free counter", usable_};
    const unsigned i = *set_bits(free).begin();
    in_use_ |= bit(i);
    return i;
  }

  Access* access_;
  unsigned width_;
  std::uint64_t usable_;
  bool global_control_;
  std::uint64_t in_use_ = 0, host_owned_ = 0, running_ = 0, guest_only_ = 0;
  bool in_guest_ = false;
  std::uint64_t selector_[hw::counters] = {},
                written_[hw::counters] = {};  // without global control
  bool batch_ = false;
  slot slot_[hw::counters] = {};
};

namespace detail {
// Register backends with nothing but the concepts' members, to check host_perf against.
struct msr_archetype {
  std::uint64_t rdmsr(std::uint32_t);
  void wrmsr(std::uint32_t, std::uint64_t);
  std::uint64_t rdpmc(std::uint32_t);
};
struct sysreg_archetype {
  std::uint64_t read(arm64::sysreg_encoding);
  void write(arm64::sysreg_encoding, std::uint64_t);
};
}  // namespace detail
static_assert(counter_provider<host_perf<arch::intel, detail::msr_archetype>>);
static_assert(counter_provider<host_perf<arch::amd, detail::msr_archetype>>);
static_assert(counter_provider<host_perf<arch::arm64, detail::sysreg_archetype>>);

}  // namespace vpmu
