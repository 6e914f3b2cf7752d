// SPDX-License-Identifier: MIT
// A behavioural model of an Intel architectural PMU (SDM Vol. 3B ch. 21), version 1 to 5:
// general-purpose and fixed counters, PERFEVTSEL / FIXED_CTR_CTRL filtering, GLOBAL_CTRL gating,
// GLOBAL_STATUS on overflow, OVF_CTRL (STATUS_RESET), STATUS_SET and INUSE (v4+), legacy and
// full-width counter writes, RDPMC, and the PMI line. Deterministic: events and time come only
// from the caller.
//
// As hardware does, an access to an MSR that does not exist or that sets a reserved bit is a
// #GP, returned as a value by try_rdmsr/try_wrmsr/try_rdpmc. The backend view (rdmsr/wrmsr/rdpmc,
// satisfying vpmu::msr_access) is the hypervisor's, which never expects a fault: one is counted
// in backend_faults() for tests to assert on.
//
// Reserved bits are those vpmu::x86 computes from the model's caps (KVM's rules): the model's
// hardware implements no AnyThread, TSX, PEBS, EQ or UMASK2 bits. INUSE (not in vpmu's
// reference set): GP counter x is in use when PERFEVTSELx is non-zero, fixed counter i when its
// FIXED_CTR_CTRL nibble is, bit 63 when any INT/PMI bit is set.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/masks.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/sim/x86_counting.hpp"

namespace vpmu::sim {

// Architectural events as (event select | umask << 8).
namespace intel_event {
inline constexpr std::uint16_t core_cycles = 0x003c;
inline constexpr std::uint16_t instructions = 0x00c0;
inline constexpr std::uint16_t ref_cycles = 0x013c;
inline constexpr std::uint16_t branches = 0x00c4;
inline constexpr std::uint16_t branch_misses = 0x00c5;
inline constexpr std::uint16_t topdown_slots = 0x01a4;
}  // namespace intel_event

// The architectural register file of the model: everything software can observe. Policies use it
// as the guest's saved PMU state (vcpu_pmu::save_state), so its layout is part of vpmu's
// migration format (see policy/x86_state.hpp for the versioned wrapper).
struct intel_registers {
  std::uint64_t pmc[x86::intel_max_gp_counters] = {};
  std::uint64_t evtsel[x86::intel_max_gp_counters] = {};
  std::uint64_t fixed[x86::intel_max_fixed_counters] = {};
  std::uint64_t fixed_ctrl = 0;
  std::uint64_t global_ctrl = 0;
  std::uint64_t global_status = 0;
  std::uint64_t debugctl = 0;
  friend constexpr bool operator==(const intel_registers&, const intel_registers&) = default;
};

struct intel_pmu_config {
  unsigned version = 4;
  unsigned gp_counters = 8;
  unsigned gp_width = 48;
  unsigned fixed_counters = 3;
  unsigned fixed_width = 48;
  bool fw_writes = true;
};

class intel_pmu : public x86_backend_view<intel_pmu> {
 public:
  using registers_type = intel_registers;
  constexpr explicit intel_pmu(intel_pmu_config config = {}) : config_(config) {
    if (config_.gp_counters > x86::intel_max_gp_counters) {
      config_.gp_counters = x86::intel_max_gp_counters;
    }
    if (config_.fixed_counters > x86::intel_max_fixed_counters) {
      config_.fixed_counters = x86::intel_max_fixed_counters;
    }
    caps_.version = static_cast<std::uint8_t>(config_.version);
    caps_.gp_counters = static_cast<std::uint8_t>(config_.gp_counters);
    caps_.gp_width = static_cast<std::uint8_t>(config_.gp_width);
    caps_.fixed_counters =
        static_cast<std::uint8_t>(config_.version >= 2 ? config_.fixed_counters : 0);
    caps_.fixed_width = static_cast<std::uint8_t>(config_.fixed_width);
    caps_.fw_writes = config_.fw_writes;
    // GLOBAL_CTRL resets with every GP counter enabled, so v1 software keeps working (SDM 21.2.2).
    r_.global_ctrl = low_mask(config_.gp_counters);
  }

  // The register file, for policies that keep a guest's PMU in this model.
  [[nodiscard]] constexpr const intel_registers& registers() const { return r_; }
  constexpr intel_registers& registers() { return r_; }

  // Adds `delta` to a counter as counting would: wrap at the width, GLOBAL_STATUS and the PMI on
  // overflow. (Used to fold host-counter counts into an emulated guest counter.)
  constexpr void add_to_gp(unsigned x, std::uint64_t delta) {
    add(r_.pmc[x], delta, config_.gp_width, bit(x),
        (r_.evtsel[x] & x86::ia32_perfevtselx::int_.mask) != 0);
  }
  constexpr void add_to_fixed(unsigned i, std::uint64_t delta) {
    add(r_.fixed[i], delta, config_.fixed_width, bit(32 + i),
        ((r_.fixed_ctrl >> (4 * i)) & 8) != 0);
  }
  // Counting state a policy needs to mirror: does GP counter x / fixed counter i count now?
  [[nodiscard]] constexpr bool gp_enabled(unsigned x) const {
    const bool global = config_.version < 2 || (r_.global_ctrl & bit(x)) != 0;
    return global && (r_.evtsel[x] & x86::ia32_perfevtselx::en.mask) != 0;
  }
  [[nodiscard]] constexpr bool fixed_enabled(unsigned i) const {
    return ((r_.fixed_ctrl >> (4 * i)) & 3) != 0 && (r_.global_ctrl & bit(32 + i)) != 0;
  }
  constexpr void set_pmi(bool pending) { pmi_ = pending; }

  [[nodiscard]] constexpr const x86::intel_caps& caps() const { return caps_; }
  [[nodiscard]] constexpr const intel_pmu_config& config() const { return config_; }

  constexpr void set_mode(x86_mode m) { mode_ = m; }
  [[nodiscard]] constexpr x86_mode mode() const { return mode_; }

  // `count` occurrences of `event` (event select | umask << 8) in one cycle, in the current mode.
  constexpr void retire(std::uint16_t event, std::uint64_t count) {
    for (unsigned x = 0; x < config_.gp_counters; ++x) {
      const std::uint64_t sel = r_.evtsel[x];
      if (!gp_enabled(x) || (sel & 0xffff) != event || !ring_allows(sel, mode_)) continue;
      add(r_.pmc[x], selector_increment(sel, count, cmask_[x]), config_.gp_width, bit(x),
          (sel & x86::ia32_perfevtselx::int_.mask) != 0);
    }
    for (unsigned i = 0; i < caps_.fixed_counters && i < 4; ++i) {
      if (fixed_event(i) != event || !fixed_counts(i)) continue;
      add(r_.fixed[i], count, config_.fixed_width, bit(32 + i),
          ((r_.fixed_ctrl >> (4 * i)) & 8) != 0);
    }
  }
  constexpr void cycles(std::uint64_t n) {
    retire(intel_event::core_cycles, n);
    retire(intel_event::ref_cycles, n);
  }
  constexpr void instructions(std::uint64_t n) { retire(intel_event::instructions, n); }

  [[nodiscard]] constexpr bool pmi_pending() const { return pmi_; }
  constexpr void clear_pmi() { pmi_ = false; }

  // --- hardware view: faults as values --------------------------------------------------------
  constexpr msr_outcome try_rdmsr(std::uint32_t index) const {
    using x86::pmu_msr;
    const x86::msr_ref r = x86::decode_intel_msr(index);
    const bool v2 = config_.version >= 2, v4 = config_.version >= 4;
    switch (r.reg) {
      case pmu_msr::pmc: return gp_exists(r.index) ? ok(r_.pmc[r.index]) : gp();
      case pmu_msr::a_pmc:
        return gp_exists(r.index) && config_.fw_writes ? ok(r_.pmc[r.index]) : gp();
      case pmu_msr::perfevtsel: return gp_exists(r.index) ? ok(r_.evtsel[r.index]) : gp();
      case pmu_msr::fixed_ctr: return caps_.has_fixed(r.index) ? ok(r_.fixed[r.index]) : gp();
      case pmu_msr::fixed_ctr_ctrl: return v2 ? ok(r_.fixed_ctrl) : gp();
      case pmu_msr::global_ctrl: return v2 ? ok(r_.global_ctrl) : gp();
      case pmu_msr::global_status: return v2 ? ok(r_.global_status) : gp();
      case pmu_msr::global_ovf_ctrl: return v2 ? ok(0) : gp();
      case pmu_msr::global_status_set: return v4 ? ok(0) : gp();
      case pmu_msr::global_inuse: return v4 ? ok(inuse()) : gp();
      case pmu_msr::perf_capabilities:
        return v2 ? ok(config_.fw_writes ? x86::ia32_perf_capabilities::fw_writes.mask : 0) : gp();
      case pmu_msr::debugctl: return ok(r_.debugctl);
      default: return gp();
    }
  }

  constexpr msr_outcome try_wrmsr(std::uint32_t index, std::uint64_t v) {
    using x86::pmu_msr;
    const x86::msr_ref r = x86::decode_intel_msr(index);
    const bool v2 = config_.version >= 2, v4 = config_.version >= 4;
    switch (r.reg) {
      case pmu_msr::pmc:  // legacy: bits 31:0 written, bit 31 copied upwards (SDM 21.2.2)
        if (!gp_exists(r.index)) return gp();
        r_.pmc[r.index] = legacy_counter_write(static_cast<std::uint32_t>(v), config_.gp_width);
        return ok(0);
      case pmu_msr::a_pmc:  // full width: bits beyond the width are reserved
        if (!gp_exists(r.index) || !config_.fw_writes || (v & ~low_mask(config_.gp_width)) != 0) {
          return gp();
        }
        r_.pmc[r.index] = v;
        return ok(0);
      case pmu_msr::perfevtsel:
        if (!gp_exists(r.index) || (v & x86::perfevtsel_reserved(caps_, r.index)) != 0) return gp();
        r_.evtsel[r.index] = v;
        cmask_[r.index] = {};
        return ok(0);
      case pmu_msr::fixed_ctr:
        if (!caps_.has_fixed(r.index)) return gp();
        r_.fixed[r.index] = v & low_mask(config_.fixed_width);
        return ok(0);
      case pmu_msr::fixed_ctr_ctrl:
        if (!v2 || (v & x86::fixed_ctr_ctrl_reserved(caps_)) != 0) return gp();
        r_.fixed_ctrl = v;
        return ok(0);
      case pmu_msr::global_ctrl:
        if (!v2 || (v & x86::global_ctrl_reserved(caps_)) != 0) return gp();
        r_.global_ctrl = v;
        return ok(0);
      case pmu_msr::global_ovf_ctrl:
        if (!v2 || (v & x86::global_status_reserved(caps_)) != 0) return gp();
        r_.global_status &= ~v;
        return ok(0);
      case pmu_msr::global_status_set:
        if (!v4 || (v & x86::global_status_reserved(caps_)) != 0) return gp();
        r_.global_status |= v;
        return ok(0);
      case pmu_msr::debugctl: r_.debugctl = v; return ok(0);
      default: return gp();  // read-only (STATUS, INUSE, PERF_CAPABILITIES) or absent
    }
  }

  // RDPMC: ECX[30] selects the fixed counters; ECX[31] ("fast" read) faults (as under KVM).
  constexpr msr_outcome try_rdpmc(std::uint32_t selector) const {
    if ((selector & bit(31)) != 0) return gp();
    const unsigned i = selector & 0x3fff'ffff;
    if ((selector & bit(30)) != 0) return caps_.has_fixed(i) ? ok(r_.fixed[i]) : gp();
    return gp_exists(i) ? ok(r_.pmc[i]) : gp();
  }

 private:
  using intel_caps_t = x86::intel_caps;

  static constexpr msr_outcome ok(std::uint64_t v) { return {false, v}; }
  static constexpr msr_outcome gp() { return {true, 0}; }

  [[nodiscard]] constexpr bool gp_exists(unsigned x) const { return x < config_.gp_counters; }
  // Fixed counter i counts its architectural event (SDM Table 21-2).
  static constexpr std::uint16_t fixed_event(unsigned i) {
    constexpr std::uint16_t events[] = {intel_event::instructions, intel_event::core_cycles,
                                        intel_event::ref_cycles, intel_event::topdown_slots};
    return events[i];
  }
  [[nodiscard]] constexpr bool fixed_counts(unsigned i) const {
    const std::uint64_t nibble = (r_.fixed_ctrl >> (4 * i)) & 0xf;
    const bool ring = mode_.ring == 0 ? (nibble & 1) != 0 : (nibble & 2) != 0;
    return ring && (r_.global_ctrl & bit(32 + i)) != 0;
  }
  constexpr void add(std::uint64_t& counter, std::uint64_t delta, unsigned width,
                     std::uint64_t status_bit, bool interrupt) {
    if (delta == 0) return;
    const counter_sum s = counter_add(counter, delta, width);
    counter = s.value;
    if (!s.overflowed) return;
    r_.global_status |= status_bit;
    if (interrupt) pmi_ = true;
  }
  [[nodiscard]] constexpr std::uint64_t inuse() const {
    std::uint64_t v = 0;
    bool pmi = false;
    for (unsigned x = 0; x < config_.gp_counters; ++x) {
      if (r_.evtsel[x] != 0) v |= bit(x);
      pmi |= (r_.evtsel[x] & x86::ia32_perfevtselx::int_.mask) != 0;
    }
    for (unsigned i = 0; i < 4; ++i) {
      const std::uint64_t nibble = (r_.fixed_ctrl >> (4 * i)) & 0xf;
      if (nibble != 0) v |= bit(32 + i);
      pmi |= (nibble & 8) != 0;
    }
    return v | (pmi ? bit(63) : 0);
  }

  intel_pmu_config config_;
  intel_caps_t caps_{};
  x86_mode mode_{};
  intel_registers r_{};
  cmask_state cmask_[x86::intel_max_gp_counters] = {};
  bool pmi_ = false;
};

static_assert(msr_access<intel_pmu>);

}  // namespace vpmu::sim
