// SPDX-License-Identifier: MIT
// The x86 guest event filter, with the semantics of Linux's KVM_SET_PMU_EVENT_FILTER
// (Linux arch/x86/kvm/pmu.c, Documentation/virt/kvm/api.rst), constructible at compile time.
//
// Entries are "masked events": bits 7:0 event select, 15:8 match, 35:32 event select[11:8],
// 55 exclude, 63:56 mask. A guest selector matches an entry when the event select is equal
// (8 bits on Intel, 12 on AMD) and (guest umask & mask) == match. A GP counter is allowed iff
// (it matches an include and no exclude) == (action is allow). Fixed counters use only the
// bitmap: allow with the bit clear blocks, deny with the bit set blocks.
//
// Legacy (non-masked) filters list plain event|umask values; an entry with other bits is skipped
// (as KVM does), the rest become exact-umask includes.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/vendor.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/result.hpp"

namespace vpmu {

// The masked-entry format of KVM's uAPI (include/uapi/asm/kvm.h, KVM_PMU_MASKED_ENTRY_*): a
// KVM ABI, not an architectural register, so its layout is written down here once.
namespace masked_entry {
inline constexpr std::uint64_t event_low = 0xff;           // event select [7:0]
inline constexpr std::uint64_t match = 0xffULL << 8;       // umask match
inline constexpr std::uint64_t event_high = 0xfULL << 32;  // event select [11:8]
inline constexpr std::uint64_t exclude = 1ULL << 55;
inline constexpr std::uint64_t mask = 0xffULL << 56;  // umask mask
inline constexpr unsigned event_high_shift = 24;      // event [11:8] -> bits 35:32
inline constexpr std::uint64_t valid = event_low | match | event_high | exclude | mask;
// A legacy (non-masked) entry: event select [11:0] in bits 7:0 and 35:32, umask in 15:8.
inline constexpr std::uint64_t legacy_valid = event_low | match | event_high;
}  // namespace masked_entry

struct masked_event {
  std::uint64_t raw;

  // KVM_PMU_ENCODE_MASKED_ENTRY(event, mask, match, exclude).
  static constexpr masked_event encode(std::uint32_t event, std::uint8_t mask, std::uint8_t match,
                                       bool exclude) {
    namespace me = masked_entry;
    return {(event & me::event_low) |
            ((std::uint64_t{event} << me::event_high_shift) & me::event_high) |
            ((std::uint64_t{mask} << lsb(me::mask)) & me::mask) |
            ((std::uint64_t{match} << lsb(me::match)) & me::match) | (exclude ? me::exclude : 0)};
  }
  [[nodiscard]] constexpr std::uint32_t event() const {
    namespace me = masked_entry;
    return static_cast<std::uint32_t>((raw & me::event_low) |
                                      ((raw & me::event_high) >> me::event_high_shift));
  }
  [[nodiscard]] constexpr std::uint8_t mask() const {
    return static_cast<std::uint8_t>((raw & masked_entry::mask) >> lsb(masked_entry::mask));
  }
  [[nodiscard]] constexpr std::uint8_t match() const {
    return static_cast<std::uint8_t>((raw & masked_entry::match) >> lsb(masked_entry::match));
  }
  [[nodiscard]] constexpr bool exclude() const { return (raw & masked_entry::exclude) != 0; }

 private:
  static constexpr unsigned lsb(std::uint64_t m) { return *set_bits(m).begin(); }
};

// The event select of a guest selector, as the filter compares it: 8 bits on Intel
// (PERFEVTSEL.EVENT), 12 on AMD (PERF_CTL.EVENT and EVENT_HI).
[[nodiscard]] constexpr std::uint32_t selector_event(x86::vendor v, std::uint64_t selector) {
  using amd = x86::amd_perf_ctln;
  const std::uint64_t low = selector & x86::ia32_perfevtselx::event.mask;
  if (v != x86::vendor::amd) return static_cast<std::uint32_t>(low);
  return static_cast<std::uint32_t>(low | ((selector & amd::event_hi.mask) >>
                                           (amd::event_hi.lsb - masked_entry::event_high_shift)));
}

class x86_event_filter {
 public:
  enum class action : std::uint8_t { allow = 0, deny = 1 };
  static constexpr std::uint32_t flag_masked_events = 1;
  static constexpr unsigned max_events = 300;  // KVM_PMU_EVENT_FILTER_MAX_EVENTS

  // Validates like the ioctl: action 0/1, flags only MASKED_EVENTS, at most 300 events, and with
  // MASKED_EVENTS no stray bits in an entry. Errors name the offending part.
  static constexpr result<x86_event_filter> create(std::uint32_t raw_action, std::uint32_t flags,
                                                   std::uint32_t fixed_counter_bitmap,
                                                   const std::uint64_t* events, unsigned nevents) {
    if (raw_action > 1)
      return error{errc::invalid_config, "x86_event_filter", "action", raw_action};
    if ((flags & ~flag_masked_events) != 0) {
      return error{errc::invalid_config, "x86_event_filter", "flags", flags};
    }
    if (nevents > max_events) {
      return error{errc::invalid_config, "x86_event_filter", "nevents", nevents};
    }
    x86_event_filter f;
    f.action_ = static_cast<action>(raw_action);
    f.fixed_ = fixed_counter_bitmap;
    const bool masked = (flags & flag_masked_events) != 0;
    for (unsigned i = 0; i < nevents; ++i) {
      const std::uint64_t e = events[i];
      if (masked) {
        if ((e & ~masked_entry::valid) != 0) {
          return error{errc::invalid_config, "x86_event_filter", "events", e};
        }
        f.entries_[f.count_++] = {e};
      } else if ((e & ~masked_entry::legacy_valid) == 0) {  // exact umask: mask all ones
        f.entries_[f.count_++] = {e | masked_entry::mask};
      }
    }
    return f;
  }

  [[nodiscard]] constexpr action filter_action() const { return action_; }
  [[nodiscard]] constexpr unsigned size() const { return count_; }

  // Is a GP counter with this selector allowed to count?
  [[nodiscard]] constexpr bool allows_selector(x86::vendor v, std::uint64_t selector) const {
    const std::uint32_t event = selector_event(v, selector);
    const auto umask = static_cast<std::uint8_t>((selector & x86::ia32_perfevtselx::umask.mask) >>
                                                 x86::ia32_perfevtselx::umask.lsb);
    bool include = false, exclude = false;
    for (unsigned i = 0; i < count_; ++i) {
      const masked_event& m = entries_[i];
      const std::uint32_t entry_event =
          v == x86::vendor::amd ? m.event() : m.event() & masked_entry::event_low;
      if (entry_event != event || (umask & m.mask()) != m.match()) continue;
      (m.exclude() ? exclude : include) = true;
    }
    return (include && !exclude) == (action_ == action::allow);
  }
  [[nodiscard]] constexpr bool allows_fixed(unsigned index) const {
    const bool set = index < 32 && ((fixed_ >> index) & 1) != 0;
    return action_ == action::allow ? set : !set;
  }

 private:
  action action_ = action::allow;
  std::uint32_t fixed_ = 0;
  unsigned count_ = 0;
  masked_event entries_[max_events]{};
};

// No filter at all: everything counts. (A filter object always restricts something, as in KVM.)
[[nodiscard]] constexpr bool filter_allows_selector(const x86_event_filter* f, x86::vendor v,
                                                    std::uint64_t selector) {
  return f == nullptr || f->allows_selector(v, selector);
}
[[nodiscard]] constexpr bool filter_allows_fixed(const x86_event_filter* f, unsigned index) {
  return f == nullptr || f->allows_fixed(index);
}

}  // namespace vpmu
