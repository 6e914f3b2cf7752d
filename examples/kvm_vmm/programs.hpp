// SPDX-License-Identifier: MIT
// The guest programs, as operation tables the guest (guest.S) interprets with real WRMSR /
// RDMSR / RDPMC, and the host-side interpreter runs on the simulator for comparison.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <vpmu/arch/x86/msr_families.hpp>
#include <vpmu/core/bits.hpp>

namespace kvm_example {

enum op_code : std::uint32_t {
  end = 0,
  wrmsr = 1,
  rdmsr = 2,
  rdpmc = 3,
  event = 4,
  loop = 5,
  endloop = 6
};

struct op {
  std::uint32_t code;
  std::uint32_t a;
  std::uint64_t b;
};
static_assert(sizeof(op) == 16, "the guest reads 16-byte entries");

// The guest's MSRs, from vpmu's register descriptions (Intel: A_PMCx full-width counters; AMD:
// the PerfMonV2 core-extension counters and global registers).
namespace x86 = vpmu::x86;
struct vendor_msrs {
  bool intel;
  std::uint32_t sel(unsigned i) const {
    return intel ? x86::msr::ia32_perfevtsel0 + i : x86::msr::amd_perf_ctl0 + 2 * i;
  }
  std::uint32_t ctr(unsigned i) const {
    return intel ? x86::msr::ia32_a_pmc0 + i : x86::msr::amd_perf_ctr_ext0 + 2 * i;
  }
  std::uint32_t global_ctrl() const {
    return intel ? x86::ia32_perf_global_ctrl::msr.index
                 : x86::amd64_perf_cntr_global_ctl::msr.index;
  }
  std::uint32_t global_status() const {
    return intel ? x86::ia32_perf_global_status::msr.index
                 : x86::amd64_perf_cntr_global_status::msr.index;
  }
  std::uint32_t status_clear() const {
    return intel ? x86::ia32_perf_global_ovf_ctrl::msr.index
                 : x86::amd64_perf_cntr_global_status_clr::msr.index;
  }
  std::uint32_t branches() const { return intel ? 0xc4 : 0xc2; }  // branch instructions retired
};
inline constexpr std::uint64_t counter_mask = vpmu::low_mask(48);  // both shapes: 48-bit counters
inline constexpr std::uint32_t fixed_ctr_ctrl = x86::ia32_fixed_ctr_ctrl::msr.index;

using evtsel = x86::ia32_perfevtselx;  // EN/INT/OS/USR sit at the same bits on AMD (APM 13.2.1)
constexpr std::uint64_t en_os_usr = evtsel::en.mask | evtsel::os.mask | evtsel::usr.mask;
constexpr std::uint64_t int_bit = evtsel::int_.mask;

inline const char* program_name(unsigned p) {
  switch (p) {
    case 1: return "driver";
    case 2: return "pmi_handler";
    case 3: return "multiplex";
    case 4: return "reserved_bits";
  }
  return "?";
}

// (1) the perf driver's enable / program / read sequence.
inline std::vector<op> driver(const vendor_msrs& m) {
  std::vector<op> p = {
      {wrmsr, m.global_ctrl(), 0},
      {wrmsr, m.sel(0), en_os_usr | 0xc0},
      {wrmsr, m.sel(1), en_os_usr | m.branches()},
      {wrmsr, m.ctr(0), 0},
      {wrmsr, m.ctr(1), 0},
  };
  if (m.intel) p.push_back({wrmsr, fixed_ctr_ctrl, 0x3});  // fixed counter 0: OS | USR
  p.push_back({wrmsr, m.global_ctrl(), m.intel ? 0x1'0000'0003ULL : 0x3});
  p.push_back({event, 0xc0, 1000});
  p.push_back({event, m.branches(), 100});
  p.push_back({rdmsr, m.ctr(0), 0});
  p.push_back({rdmsr, m.ctr(1), 0});
  if (m.intel) p.push_back({rdmsr, x86::msr::ia32_fixed_ctr0, 0});
  p.push_back({rdpmc, 0, 0});
  p.push_back({rdpmc, 1, 0});
  if (m.intel) p.push_back({rdpmc, 1U << 30, 0});
  p.push_back({rdmsr, m.global_status(), 0});
  p.push_back({wrmsr, m.global_ctrl(), 0});
  p.push_back({rdmsr, m.sel(0), 0});
  p.push_back({end, 0, 0});
  return p;
}

// (2) Linux's PMI handler, many times: disable all, read status, read and re-arm the counter,
// acknowledge the overflow, re-enable.
inline std::vector<op> pmi_handler(const vendor_msrs& m) {
  // -period in the 48-bit counter: it overflows after `period` events.
  const std::uint64_t period = 1000, rearm = (~period + 1) & counter_mask;
  const std::uint64_t enable = 0x1;  // GLOBAL_CTRL bit 0 on both vendors: counter 0
  return {
      {wrmsr, m.global_ctrl(), 0},
      {wrmsr, m.sel(0), en_os_usr | int_bit | 0xc0},
      {wrmsr, m.ctr(0), rearm},
      {wrmsr, m.global_ctrl(), enable},
      {loop, 0, 40},
      {event, 0xc0, period},  // the counter overflows
      {wrmsr, m.global_ctrl(), 0},
      {rdmsr, m.global_status(), 0},
      {rdmsr, m.ctr(0), 0},
      {wrmsr, m.ctr(0), rearm},
      {wrmsr, m.status_clear(), 1},
      {wrmsr, m.global_ctrl(), enable},
      {endloop, 0, 0},
      {rdmsr, m.global_status(), 0},
      {end, 0, 0},
  };
}

// (3) multiplexing: two counters rotate through four events.
inline std::vector<op> multiplex(const vendor_msrs& m) {
  const std::uint32_t events[4] = {0xc0, m.branches(), 0x3c, 0xc0};
  std::vector<op> p = {{loop, 0, 8}};
  for (unsigned group = 0; group < 2; ++group) {
    p.push_back({wrmsr, m.global_ctrl(), 0});
    for (unsigned i = 0; i < 2; ++i) {
      p.push_back({wrmsr, m.sel(i), en_os_usr | events[2 * group + i]});
      p.push_back({wrmsr, m.ctr(i), 0});
    }
    p.push_back({wrmsr, m.global_ctrl(), 0x3});
    p.push_back({event, events[2 * group], 300 + 100 * group});
    p.push_back({event, events[2 * group + 1], 50});
    p.push_back({wrmsr, m.global_ctrl(), 0});
    p.push_back({rdmsr, m.ctr(0), 0});
    p.push_back({rdmsr, m.ctr(1), 0});
  }
  p.push_back({endloop, 0, 0});
  p.push_back({end, 0, 0});
  return p;
}

// (4) reserved bits: Intel raises #GP, AMD drops them.
inline std::vector<op> reserved_bits(const vendor_msrs& m) {
  std::vector<op> p = {
      {wrmsr, m.sel(0), en_os_usr | 0xc0},
      {wrmsr, m.sel(0), en_os_usr | 0xc0 | evtsel::any.mask},  // AnyThread / reserved
      {rdmsr, m.sel(0), 0},
      {wrmsr, m.sel(1), en_os_usr | 0xc0 | (1ULL << 19) | (1ULL << 40)},
      {rdmsr, m.sel(1), 0},
      {wrmsr, m.global_ctrl(), 1ULL << 12},  // a counter the guest does not have
      {rdmsr, m.global_ctrl(), 0},
  };
  if (m.intel) {
    p.push_back({wrmsr, fixed_ctr_ctrl, 0x4});         // fixed counter AnyThread
    p.push_back({wrmsr, m.ctr(0), 1ULL << 50});        // beyond the counter width
    p.push_back({rdmsr, x86::msr::ia32_pmc0 + 7, 0});  // IA32_PMC7: the guest has 4
  }
  p.push_back({end, 0, 0});
  return p;
}

inline std::vector<op> program(unsigned n, const vendor_msrs& m) {
  switch (n) {
    case 1: return driver(m);
    case 2: return pmi_handler(m);
    case 3: return multiplex(m);
    default: return reserved_bits(m);
  }
}

}  // namespace kvm_example
