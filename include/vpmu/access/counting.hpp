// SPDX-License-Identifier: MIT
// counting<B>: forwards every access to backend B and counts reads and writes per register
// class. The benchmarks report these counts: a register access is the cost that matters on real
// hardware, and unlike time it does not drift.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/access/register_class.hpp"

namespace vpmu {

struct access_counts {
  std::uint64_t reads[reg_class_count] = {};
  std::uint64_t writes[reg_class_count] = {};

  [[nodiscard]] constexpr std::uint64_t total_reads() const {
    std::uint64_t n = 0;
    for (std::uint64_t r : reads)
      n += r;
    return n;
  }
  [[nodiscard]] constexpr std::uint64_t total_writes() const {
    std::uint64_t n = 0;
    for (std::uint64_t w : writes)
      n += w;
    return n;
  }
  [[nodiscard]] constexpr std::uint64_t read_count(reg_class c) const {
    return reads[static_cast<unsigned>(c)];
  }
  [[nodiscard]] constexpr std::uint64_t write_count(reg_class c) const {
    return writes[static_cast<unsigned>(c)];
  }
};

template <class B>
class counting {
 public:
  constexpr explicit counting(B& inner) : inner_(&inner) {}

  [[nodiscard]] constexpr const access_counts& counts() const { return counts_; }
  constexpr void reset() { counts_ = {}; }
  [[nodiscard]] constexpr B& inner() { return *inner_; }

  // x86
  constexpr std::uint64_t rdmsr(std::uint32_t index) requires msr_access<B> {
    ++counts_.reads[static_cast<unsigned>(classify_msr(index))];
    return inner_->rdmsr(index);
  }
  constexpr void wrmsr(std::uint32_t index, std::uint64_t value) requires msr_access<B> {
    ++counts_.writes[static_cast<unsigned>(classify_msr(index))];
    inner_->wrmsr(index, value);
  }
  constexpr std::uint64_t rdpmc(std::uint32_t selector) requires msr_access<B> {
    ++counts_.reads[static_cast<unsigned>(reg_class::counter)];
    return inner_->rdpmc(selector);
  }

  // arm64
  constexpr std::uint64_t read(arm64::sysreg_encoding e) requires sysreg_access<B> {
    ++counts_.reads[static_cast<unsigned>(classify_sysreg(e))];
    return inner_->read(e);
  }
  constexpr void write(arm64::sysreg_encoding e, std::uint64_t value) requires sysreg_access<B> {
    ++counts_.writes[static_cast<unsigned>(classify_sysreg(e))];
    inner_->write(e, value);
  }

  // Indexed families, forwarded so the inner backend's fast path stays in use.
  constexpr std::uint64_t read_pmevcntr(unsigned n) requires sysreg_access<B> {
    ++counts_.reads[static_cast<unsigned>(reg_class::counter)];
    return vpmu::read_pmevcntr(*inner_, n);
  }
  constexpr void write_pmevcntr(unsigned n, std::uint64_t v) requires sysreg_access<B> {
    ++counts_.writes[static_cast<unsigned>(reg_class::counter)];
    vpmu::write_pmevcntr(*inner_, n, v);
  }
  constexpr std::uint64_t read_pmevtyper(unsigned n) requires sysreg_access<B> {
    ++counts_.reads[static_cast<unsigned>(reg_class::config)];
    return vpmu::read_pmevtyper(*inner_, n);
  }
  constexpr void write_pmevtyper(unsigned n, std::uint64_t v) requires sysreg_access<B> {
    ++counts_.writes[static_cast<unsigned>(reg_class::config)];
    vpmu::write_pmevtyper(*inner_, n, v);
  }

  // Typed forms keep the inner backend's typed path (one instruction on hardware), or use its
  // runtime form when it has no typed one (a backend needs only the concept's members).
  template <class R>
  constexpr std::uint64_t read() {
    ++counts_.reads[static_cast<unsigned>(class_of<R>())];
    return read_register<R>(*inner_);
  }
  template <class R>
  constexpr void write(std::uint64_t value) {
    ++counts_.writes[static_cast<unsigned>(class_of<R>())];
    write_register<R>(*inner_, value);
  }

 private:
  template <class R>
  static constexpr reg_class class_of() {
    if constexpr (requires { R::msr; }) {
      return classify_msr(R::msr.index);
    } else {
      return classify_sysreg(R::encoding);
    }
  }

  B* inner_;
  access_counts counts_{};
};

}  // namespace vpmu
