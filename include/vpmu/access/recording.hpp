// SPDX-License-Identifier: MIT
// recording<B, Capacity>: forwards every access to backend B and keeps the ordered log of them,
// so tests can pin switch sequences ("counters disabled before selectors are written"). The log
// is a fixed array (no heap); when it is full further accesses are still forwarded and counted
// in `dropped()`, so a truncated log is never mistaken for a complete one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/access/register_class.hpp"

namespace vpmu {

enum class access_op : std::uint8_t { rdmsr, wrmsr, rdpmc, read, write };

struct access_record {
  access_op op;
  std::uint32_t id;  // MSR index, RDPMC selector, or arm64 sysreg_encoding::key()
  std::uint64_t value;

  [[nodiscard]] constexpr bool is_write() const {
    return op == access_op::wrmsr || op == access_op::write;
  }
  friend constexpr bool operator==(const access_record&, const access_record&) = default;
};

template <class B, std::size_t Capacity = 4096>
class recording {
 public:
  constexpr explicit recording(B& inner) : inner_(&inner) {}

  [[nodiscard]] constexpr std::size_t size() const { return size_; }
  [[nodiscard]] constexpr std::size_t dropped() const { return dropped_; }
  [[nodiscard]] constexpr const access_record& operator[](std::size_t i) const { return log_[i]; }
  [[nodiscard]] constexpr const access_record* begin() const { return log_; }
  [[nodiscard]] constexpr const access_record* end() const { return log_ + size_; }
  constexpr void clear() {
    size_ = 0;
    dropped_ = 0;
  }
  [[nodiscard]] constexpr B& inner() { return *inner_; }

  constexpr std::uint64_t rdmsr(std::uint32_t index) requires msr_access<B> {
    return log(access_op::rdmsr, index, inner_->rdmsr(index));
  }
  constexpr void wrmsr(std::uint32_t index, std::uint64_t value) requires msr_access<B> {
    inner_->wrmsr(index, value);
    (void)log(access_op::wrmsr, index, value);
  }
  constexpr std::uint64_t rdpmc(std::uint32_t selector) requires msr_access<B> {
    return log(access_op::rdpmc, selector, inner_->rdpmc(selector));
  }
  constexpr std::uint64_t read(arm64::sysreg_encoding e) requires sysreg_access<B> {
    return log(access_op::read, e.key(), inner_->read(e));
  }
  constexpr void write(arm64::sysreg_encoding e, std::uint64_t value) requires sysreg_access<B> {
    inner_->write(e, value);
    (void)log(access_op::write, e.key(), value);
  }
  template <class R>
  constexpr std::uint64_t read() {
    if constexpr (requires { R::msr; }) {
      return log(access_op::rdmsr, R::msr.index, read_register<R>(*inner_));
    } else {
      return log(access_op::read, R::encoding.key(), read_register<R>(*inner_));
    }
  }
  template <class R>
  constexpr void write(std::uint64_t value) {
    write_register<R>(*inner_, value);
    if constexpr (requires { R::msr; }) {
      (void)log(access_op::wrmsr, R::msr.index, value);
    } else {
      (void)log(access_op::write, R::encoding.key(), value);
    }
  }

 private:
  constexpr std::uint64_t log(access_op op, std::uint32_t id, std::uint64_t value) {
    if (size_ < Capacity) {
      log_[size_++] = {op, id, value};
    } else {
      ++dropped_;
    }
    return value;
  }

  B* inner_;
  access_record log_[Capacity]{};
  std::size_t size_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace vpmu
