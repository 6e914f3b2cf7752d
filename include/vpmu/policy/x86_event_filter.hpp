// SPDX-License-Identifier: MIT
// The x86 guest event filter, with the semantics of Linux's KVM_SET_PMU_EVENT_FILTER
// (arch/x86/kvm/pmu.c; ../shared/reference/x86.md §5), constructible at compile time.
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

#include "vpmu/arch/x86/vendor.hpp"
#include "vpmu/core/result.hpp"

namespace vpmu {

struct masked_event {
  std::uint64_t raw;

  // KVM_PMU_ENCODE_MASKED_ENTRY(event, mask, match, exclude).
  static constexpr masked_event encode(std::uint32_t event, std::uint8_t mask, std::uint8_t match,
                                       bool exclude) {
    return {(event & 0xffULL) | ((std::uint64_t{event} & 0xf00) << 24) |
            (std::uint64_t{mask} << 56) | (std::uint64_t{match} << 8) |
            (exclude ? (1ULL << 55) : 0)};
  }
  [[nodiscard]] constexpr std::uint32_t event() const {
    return static_cast<std::uint32_t>((raw & 0xff) | ((raw >> 24) & 0xf00));
  }
  [[nodiscard]] constexpr std::uint8_t mask() const { return static_cast<std::uint8_t>(raw >> 56); }
  [[nodiscard]] constexpr std::uint8_t match() const { return static_cast<std::uint8_t>(raw >> 8); }
  [[nodiscard]] constexpr bool exclude() const { return ((raw >> 55) & 1) != 0; }
};

inline constexpr std::uint64_t masked_event_valid_bits =
    0xffULL | (0xffULL << 8) | (0xfULL << 32) | (1ULL << 55) | (0xffULL << 56);

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
        if ((e & ~masked_event_valid_bits) != 0) {
          return error{errc::invalid_config, "x86_event_filter", "events", e};
        }
        f.entries_[f.count_++] = {e};
      } else if ((e & ~0xf'0000'ffffULL) == 0) {  // legacy: event select (12 bits) | umask
        f.entries_[f.count_++] = {e | (0xffULL << 56)};
      }
    }
    return f;
  }

  [[nodiscard]] constexpr action filter_action() const { return action_; }
  [[nodiscard]] constexpr unsigned size() const { return count_; }

  // Is a GP counter with this selector allowed to count?
  [[nodiscard]] constexpr bool allows_selector(x86::vendor v, std::uint64_t selector) const {
    const std::uint32_t event = static_cast<std::uint32_t>(
        (selector & 0xff) | (v == x86::vendor::amd ? ((selector >> 24) & 0xf00) : 0));
    const auto umask = static_cast<std::uint8_t>(selector >> 8);
    bool include = false, exclude = false;
    for (unsigned i = 0; i < count_; ++i) {
      const masked_event& m = entries_[i];
      const std::uint32_t entry_event = v == x86::vendor::amd ? m.event() : (m.event() & 0xff);
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
