// SPDX-License-Identifier: MIT
// A simulated x86 hypervisor for property tests: one simulated CPU (the "hardware"), a host perf
// that profiles the host and lends counters, and several vCPUs time-sharing the CPU, each with a
// vcpu_pmu and a reference model of the same guest shape. Every guest operation is applied to
// the vCPU through its policy (trapped or passed through, as trap_config() says) and to the
// reference directly; every guest read must agree, and so must the full register file whenever
// the state is saved. Host events are fed only in host mode and counted independently.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "reference/x86_pmu_reference.hpp"
#include "support/final_state.hpp"
#include "support/flip_bit.hpp"
#include "support/splitmix.hpp"
#include "support/untrusted_restore.hpp"
#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace property {

enum class x86_op_kind : std::uint8_t {
  write,            // guest WRMSR a <- b
  read,             // guest RDMSR a
  rdpmc,            // guest RDPMC a
  run,              // guest executes: b events of kind a at ring c
  host,             // the host runs b events of kind a (the vCPU is put meanwhile)
  exit_handling,    // the host runs b events of kind a while the vCPU stays loaded (a VM exit)
  switch_vcpu,      // the CPU switches to vCPU a
  save_restore,     // the vCPU's state is saved and restored (migration / policy switch)
  restore_mutated,  // a saved state with bit a of word b flipped (or another shape) is restored
  switch_policy,    // (switching worlds) the vCPU moves to policy a
};

// The test's tag for a vCPU that moves between mediated and emulated at run time.
struct switching {};

struct x86_op {
  x86_op_kind kind;
  std::uint32_t a = 0;
  std::uint64_t b = 0;
  unsigned c = 0;
};

inline std::string describe(const x86_op& op) {
  char buf[128];
  switch (op.kind) {
    case x86_op_kind::write:
      std::snprintf(buf, sizeof buf, "wrmsr 0x%x <- 0x%llx", op.a,
                    static_cast<unsigned long long>(op.b));
      break;
    case x86_op_kind::read: std::snprintf(buf, sizeof buf, "rdmsr 0x%x", op.a); break;
    case x86_op_kind::rdpmc: std::snprintf(buf, sizeof buf, "rdpmc 0x%x", op.a); break;
    case x86_op_kind::run:
      std::snprintf(buf, sizeof buf, "guest: %llu x event 0x%x at ring %u",
                    static_cast<unsigned long long>(op.b), op.a, op.c);
      break;
    case x86_op_kind::host:
      std::snprintf(buf, sizeof buf, "host: %llu x event 0x%x",
                    static_cast<unsigned long long>(op.b), op.a);
      break;
    case x86_op_kind::exit_handling:
      std::snprintf(buf, sizeof buf, "host, vCPU loaded: %llu x event 0x%x",
                    static_cast<unsigned long long>(op.b), op.a);
      break;
    case x86_op_kind::switch_vcpu: std::snprintf(buf, sizeof buf, "switch to vCPU %u", op.a); break;
    case x86_op_kind::save_restore: std::snprintf(buf, sizeof buf, "save + restore state"); break;
    case x86_op_kind::restore_mutated:
      std::snprintf(buf, sizeof buf, "restore a saved state with bit %u of word %llu flipped",
                    op.a % 64, static_cast<unsigned long long>(op.b));
      break;
    case x86_op_kind::switch_policy:
      std::snprintf(buf, sizeof buf, "switch policy to %s", op.a ? "emulated" : "mediated");
      break;
  }
  return buf;
}

template <class Arch>
struct x86_hw;
template <>
struct x86_hw<vpmu::arch::intel> {
  using sim = vpmu::sim::intel_pmu;
  static sim make(unsigned version = 4, bool = true) { return sim{{version, 8, 48, 3, 48, true}}; }
  static constexpr std::uint32_t events[] = {0x00c0, 0x003c, 0x00c4, 0x013c};
  static constexpr std::uint32_t host_event = 0x00c4;  // branches, OS
  static constexpr std::uint64_t host_selector = 0x00c4 | (1ULL << 17);
  using reference_pmu = reference::intel_pmu;
  static reference_pmu make_reference(const vpmu::x86_guest_shape& s) {
    return {s.version, s.gp_counters, s.gp_width, s.fixed_counters, s.fixed_width};
  }
  template <class Cpu>
  static void retire(Cpu& s, std::uint32_t ev, std::uint64_t n) {
    if (ev == 0x003c || ev == 0x013c) {
      s.retire(0x003c, n);
      s.retire(0x013c, n);
    } else {
      s.retire(static_cast<std::uint16_t>(ev), n);
    }
  }
};
template <>
struct x86_hw<vpmu::arch::amd> {
  using sim = vpmu::sim::amd_pmu;
  static sim make(unsigned = 2, bool perfmon_v2 = true) { return sim{{perfmon_v2, true, 6}}; }
  static constexpr std::uint32_t events[] = {0x0c0, 0x076, 0x0c2, 0x1c2};
  static constexpr std::uint32_t host_event = 0x0c2;
  static constexpr std::uint64_t host_selector = 0x0c2 | (1ULL << 17) | (1ULL << 41);  // HostOnly
  using reference_pmu = reference::amd_pmu;
  static reference_pmu make_reference(const vpmu::x86_guest_shape& s) {
    return {s.version >= 2, s.core_ext, s.gp_counters};
  }
  template <class Cpu>
  static void retire(Cpu& s, std::uint32_t ev, std::uint64_t n) {
    s.retire(ev, n);
  }
};

template <class Policy>
inline constexpr bool is_emulated =
    std::is_same_v<Policy, vpmu::policy::emulated> ||
    std::is_same_v<Policy, vpmu::policy::lazy<vpmu::policy::emulated>>;

template <class Arch, class Policy>
struct x86_pmu_for {
  using sim_type = typename x86_hw<Arch>::sim;
  using perf_type = vpmu::host_perf<Arch, sim_type>;
  using type =
      vpmu::vcpu_pmu<Arch, Policy, std::conditional_t<is_emulated<Policy>, perf_type, sim_type>>;
};
template <class Arch>
struct x86_pmu_for<Arch, switching> {
  using sim_type = typename x86_hw<Arch>::sim;
  using perf_type = vpmu::host_perf<Arch, sim_type>;
  using type = vpmu::switchable<vpmu::vcpu_pmu<Arch, vpmu::policy::mediated, sim_type>,
                                vpmu::vcpu_pmu<Arch, vpmu::policy::emulated, perf_type>>;
};

// Version: the guest's PMU version (0: the default, 4 on Intel, 2 = PerfMonV2 on AMD); a versioned
// Intel world runs on a version-5 host. HostGlobal = false: an AMD host without PerfMonV2 (no
// global control or status MSRs; its perf starts and stops counters by their selectors).
template <class Arch, class Policy, unsigned Version = 0, bool HostGlobal = true>
class x86_world {
  using hw = x86_hw<Arch>;
  using sim_type = typename hw::sim;
  using perf_type = vpmu::host_perf<Arch, sim_type>;
  static constexpr bool switches = std::is_same_v<Policy, switching>;
  static constexpr bool emulated = is_emulated<Policy>;
  static constexpr bool small = emulated || switches;  // guests whose counters need backing
  static constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  using pmu_type = typename x86_pmu_for<Arch, Policy>::type;
  using vendor = vpmu::x86_vendor<Arch>;

 public:
  static constexpr unsigned vcpus = 2;

  static vpmu::x86_guest_shape shape() {
    vpmu::x86_guest_shape s;
    s.vendor = intel ? vpmu::x86::vendor::intel : vpmu::x86::vendor::amd;
    s.version = Version != 0 ? Version : (intel ? 4 : 2);
    // Emulated guests need host counters to back theirs: smaller guests, so all fit.
    s.gp_counters = small ? 2 : 4;
    s.fixed_counters = small ? 1 : 3;
    s.core_ext = true;
    return s;
  }

  explicit x86_world(const vpmu::x86_event_filter* filter = nullptr)
      : cpu_(hw::make(Version != 0 && intel ? 5 : 4, HostGlobal)),
        // The host's own profiling and lending use counters the mediated guests do not have.
        perf_(cpu_, cpu_.counter_width(),
              emulated   ? vpmu::low_mask(8)
              : switches ? vpmu::low_mask(8) & ~vpmu::low_mask(2)
                         : vpmu::low_mask(8) & ~vpmu::low_mask(4),
              HostGlobal) {
    const auto cfg = vpmu::validate_x86_config(shape(), cpu_.caps(), filter);
    if (!cfg) std::abort();  // the worlds' shapes are valid by construction
    for (unsigned v = 0; v < vcpus; ++v) {
      if constexpr (switches) {
        pmu_.emplace_back(typename pmu_type::template first_type<>{cpu_, cfg.value()},
                          typename pmu_type::template second_type<>{perf_, cfg.value()});
      } else if constexpr (emulated) {
        pmu_.emplace_back(perf_, cfg.value());
      } else {
        pmu_.emplace_back(cpu_, cfg.value());
      }
      // Lazy vCPUs go back to trapping after two idle put()s: the fallback path runs too.
      if constexpr (requires(pmu_type & p) { p.set_idle_puts(2U); }) pmu_.back().set_idle_puts(2);
      ref_.push_back(hw::make_reference(shape()));
    }
    if constexpr (!switches) {  // (switching guests need every spare counter for backing)
      host_counter_ = perf_.start_host_event(hw::host_selector).value();
      host_running_ = true;
    }
    pmu_[current_].load();
  }

  // Applies one operation; returns "" or what disagreed.
  std::string apply(const x86_op& op) {
    pmu_type& pmu = pmu_[current_];
    auto& ref = ref_[current_];
    switch (op.kind) {
      case x86_op_kind::write: {
        const reference::msr_answer want = ref.try_wrmsr(op.a, op.b);
        const vpmu::msr_result got = guest_wrmsr(pmu, op.a, op.b);
        if (got.fault != want.fault)
          return "WRMSR fault differs: policy " + std::to_string(got.fault);
        return "";
      }
      case x86_op_kind::read: {
        const reference::msr_answer want = ref.try_rdmsr(op.a);
        const vpmu::msr_result got = guest_rdmsr(pmu, op.a);
        if (got.fault != want.fault || got.value != want.value) {
          return "RDMSR differs: policy " + hex(got.value) + (got.fault ? " #GP" : "") +
                 ", architecture " + hex(want.value) + (want.fault ? " #GP" : "");
        }
        return "";
      }
      case x86_op_kind::rdpmc: {
        const reference::msr_answer want = ref.try_rdpmc(op.a);
        const vpmu::msr_result got =
            bitmap(pmu).rdpmc_exiting ? pmu.on_rdpmc(op.a) : direct(cpu_.try_rdpmc(op.a));
        if (got.fault != want.fault || got.value != want.value) {
          return "RDPMC differs: policy " + hex(got.value) + ", architecture " + hex(want.value);
        }
        return "";
      }
      case x86_op_kind::run: {
        enter(pmu);
        cpu_.set_mode({true, op.c});
        hw::retire(cpu_, op.a, op.b);
        cpu_.set_mode({false, 0});
        exit(pmu);
        ref.set_mode({true, op.c});
        hw::retire(ref, op.a, op.b);
        if (cpu_.irq_pending()) {  // the host PMI handler
          cpu_.clear_irq();
          (void)pmu.on_host_overflow();
        }
        if (pmu.irq_pending() != ref.irq_pending()) {
          return std::string("PMI differs: policy ") + (pmu.irq_pending() ? "pending" : "none");
        }
        return "";
      }
      case x86_op_kind::host: {
        pmu.put();
        if (auto why = check_put_hygiene(); !why.empty()) return why;
        if (!emulated_now(pmu)) perf_.reassert();
        hw::retire(cpu_, op.a, op.b);
        if (op.a == hw::host_event) host_expected_ += op.b;
        pmu.load();
        return check_host();
      }
      case x86_op_kind::exit_handling: {
        // Between VM-exit and the next entry the host runs with the vCPU loaded: no guest counter
        // may count it (the reference is not fed); the host's counter counts it when it runs.
        const bool host_counts =
            host_running_ && vendor::enabled(cpu_, host_counter_) && op.a == hw::host_event;
        hw::retire(cpu_, op.a, op.b);
        if (host_counts) host_expected_ += op.b;
        return check_host();
      }
      case x86_op_kind::switch_vcpu: {
        pmu.put();
        if (auto why = check_put_hygiene(); !why.empty()) return why;
        current_ = op.a % vcpus;
        pmu_[current_].load();
        return "";
      }
      case x86_op_kind::switch_policy: {
        if constexpr (switches) {
          if (!pmu.switch_to(op.a % 2).has_value()) return "switch_to refused";
        }
        return "";
      }
      case x86_op_kind::save_restore: {
        const auto s = pmu.save_state();
        if (!(s.registers == ref.registers())) return "saved state differs from the architecture";
        if (s.irq_pending != ref.irq_pending()) return "saved PMI state differs";
        if (const auto r = pmu.restore_state(s); !r.has_value()) {
          return std::string("restore_state refused its own state: ") + r.error_value().where +
                 " " + (r.error_value().field != nullptr ? r.error_value().field : "");
        }
        return "";
      }
      case x86_op_kind::restore_mutated: {
        // A migration stream is untrusted: a blob a guest could have produced is taken (and the
        // architecture continues from it), any other is refused and changes nothing.
        const auto before = pmu.save_state();
        auto s = before;
        if (op.b == ~std::uint64_t{0}) {
          if constexpr (intel) {  // saved from another shape
            s.shape.gp_counters ^= 1;
          } else {
            s.shape.counters ^= 1;
          }
        } else {
          // Never PERFEVTSEL.E (bit 18): edge detection keeps a condition from the previous cycle,
          // which no world switch can carry (as PMCR_EL0.D's phase on Arm); the programs leave
          // it clear for the same reason.
          test_support::flip_bit(s.registers, op.b, op.a % 64 == 18 ? 19 : op.a % 64);
        }
        return restore_blob(s);
      }
    }
    return "";
  }

  // Final checks: every vCPU's full state equals its reference; host counts are exact.
  std::string finish() {
    if (auto why = final_state_mismatch(pmu_.data(), ref_.data(), vcpus, cpu_); !why.empty()) {
      return why;
    }
    return check_host();
  }

  pmu_type& pmu(unsigned v) { return pmu_[v]; }

  // Restores an untrusted blob into the current vCPU: refused, it must change nothing; taken,
  // the architecture continues from it.
  template <class State>
  std::string restore_blob(const State& s) {
    const std::string why = restore_untrusted(pmu_[current_], s, [&] {
      ref_[current_].replace_registers(s.registers);
      ref_[current_].set_irq(s.irq_pending);
    });
    if (!why.empty()) return why;
    return check_host();
  }
  sim_type& cpu() { return cpu_; }
  unsigned current() const { return current_; }

  // Guest actions without the reference comparison (for tests whose expectation is not the
  // unfiltered architecture, e.g. event filters).
  vpmu::msr_result write(std::uint32_t index, std::uint64_t value) {
    return guest_wrmsr(pmu_[current_], index, value);
  }
  vpmu::msr_result read(std::uint32_t index) { return guest_rdmsr(pmu_[current_], index); }
  void run(std::uint32_t event, std::uint64_t count, unsigned ring = 0) {
    enter(pmu_[current_]);
    cpu_.set_mode({true, ring});
    hw::retire(cpu_, event, count);
    cpu_.set_mode({false, 0});
    exit(pmu_[current_]);
  }

 private:
  static std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
  }
  static vpmu::msr_result direct(vpmu::sim::msr_outcome o) { return {o.value, o.fault}; }

  // The hypervisor's MSR bitmap: refreshed before a guest runs only when the vCPU on the CPU or
  // its trap_config().generation changed (as the README tells hypervisors), so a policy that
  // changes its passthrough list without a new generation is caught.
  const vpmu::x86_trap_config& bitmap(pmu_type& pmu) {
    const std::uint32_t generation = pmu.trap_config().generation;
    if (bitmap_vcpu_ != current_ || bitmap_generation_ != generation) {
      bitmap_ = pmu.trap_config();
      bitmap_vcpu_ = current_;
      bitmap_generation_ = generation;
    }
    return bitmap_;
  }
  vpmu::msr_result guest_rdmsr(pmu_type& pmu, std::uint32_t index) {
    if (bitmap(pmu).passes_through(index)) return direct(cpu_.try_rdmsr(index));
    return pmu.on_rdmsr(index);
  }
  vpmu::msr_result guest_wrmsr(pmu_type& pmu, std::uint32_t index, std::uint64_t value) {
    if (bitmap(pmu).passes_through(index)) return direct(cpu_.try_wrmsr(index, value));
    return pmu.on_wrmsr(index, value);
  }
  // VM entry and exit as the hardware and the host perf do them.
  static bool emulated_now(pmu_type& pmu) {
    if constexpr (switches) {
      return pmu.active() == 1;
    } else {
      (void)pmu;
      return emulated;
    }
  }
  void enter(pmu_type& pmu) {
    if (emulated_now(pmu)) {
      perf_.enter_guest();
    } else if constexpr (intel) {
      cpu_.wrmsr(vendor::global_ctrl::msr.index,
                 pmu.entry_global_ctrl());  // VMCS guest GLOBAL_CTRL
    }
  }
  void exit(pmu_type& pmu) {
    if (emulated_now(pmu)) {
      perf_.exit_guest();
    } else if constexpr (intel) {
      cpu_.wrmsr(vendor::global_ctrl::msr.index, 0);  // VMCS host GLOBAL_CTRL
    }
  }
  // After put() of a guest whose counters are hardware counters (as Linux KVM's put leaves them):
  // no guest selector or FIXED_CTR_CTRL field enabled, no guest value left in a counter.
  std::string check_put_hygiene() {
    if constexpr (emulated) {
      return "";  // the low counters may be the host's, lent as backing counters
    } else {
      const auto& r = cpu_.registers();
      for (unsigned x = 0; x < shape().gp_counters; ++x) {
        if constexpr (intel) {
          if ((r.evtsel[x] & (1ULL << 22)) != 0 || r.pmc[x] != 0) {
            return "after put(), guest counter " + std::to_string(x) + " is live in hardware";
          }
        } else {
          if ((r.ctl[x] & (1ULL << 22)) != 0 || r.ctr[x] != 0) {
            return "after put(), guest counter " + std::to_string(x) + " is live in hardware";
          }
        }
      }
      if constexpr (intel) {
        for (unsigned i = 0; i < shape().fixed_counters; ++i) {
          if (((r.fixed_ctrl >> (4 * i)) & 0xf) != 0 || r.fixed[i] != 0) {
            return "after put(), guest fixed counter " + std::to_string(i) + " is live in hardware";
          }
        }
      }
      return "";
    }
  }
  std::string check_host() {
    if (!host_running_) return "";
    const std::uint64_t got = perf_.host_count(host_counter_);
    if (got != host_expected_) {
      return "host counter disturbed: " + std::to_string(got) + " instead of " +
             std::to_string(host_expected_);
    }
    return "";
  }

  sim_type cpu_;
  perf_type perf_;
  std::vector<pmu_type> pmu_;
  std::vector<typename hw::reference_pmu> ref_;
  unsigned current_ = 0;
  typename perf_type::handle host_counter_{};
  std::uint64_t host_expected_ = 0;
  bool host_running_ = false;
  vpmu::x86_trap_config bitmap_{};
  unsigned bitmap_vcpu_ = ~0U;
  std::uint32_t bitmap_generation_ = 0;
};

// Random guest programs: mostly well-formed PMU driver traffic, with reserved bits, nonexistent
// MSRs, counters near overflow and interrupts mixed in.
template <class Arch, class Rng>
std::vector<x86_op> random_x86_program(Rng& rng, unsigned length) {
  using hw = x86_hw<Arch>;
  constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  std::vector<x86_op> ops;
  const auto sel_msr = [&](unsigned i) -> std::uint32_t {
    if (intel) return 0x186 + i;
    return rng.below(2) == 0 && i < 4 ? 0xc001'0000 + i : 0xc001'0200 + 2 * i;
  };
  const auto ctr_msr = [&](unsigned i) -> std::uint32_t {
    if (intel) return (rng.below(2) == 0 ? 0xc1 : 0x4c1) + i;
    return rng.below(2) == 0 && i < 4 ? 0xc001'0004 + i : 0xc001'0201 + 2 * i;
  };
  const std::uint32_t globals_intel[] = {0x38d, 0x38e, 0x38f, 0x390, 0x391, 0x392,
                                         0x345, 0x309, 0x30a, 0x30b, 0x30c};
  const std::uint32_t globals_amd[] = {0xc000'0300, 0xc000'0301, 0xc000'0302, 0xc000'0303};
  for (unsigned k = 0; k < length; ++k) {
    const unsigned gp = static_cast<unsigned>(rng.below(intel ? 8 : 6));  // beyond the guest too
    const std::uint32_t ev = hw::events[rng.below(4)];
    const std::uint64_t r = rng.below(100);
    if (r < 20) {  // program a selector
      std::uint64_t sel = (ev & 0xff) | (std::uint64_t{(ev >> 8) & 0xff} << 8);
      if (!intel) sel = (ev & 0xff) | (std::uint64_t{(ev >> 8) & 0xf} << 32);
      sel |= (rng.below(4) != 0 ? 1ULL << 22 : 0) | (rng.below(2) ? 1ULL << 17 : 0) |
             (rng.below(2) ? 1ULL << 16 : 0) | (rng.below(3) == 0 ? 1ULL << 20 : 0);
      if (rng.below(8) == 0) sel |= std::uint64_t{rng.below(3)} << 24;                  // CMASK
      if (rng.below(12) == 0) sel |= 1ULL << (rng.below(2) ? 21 : 32 + rng.below(30));  // reserved
      if (rng.below(10) == 0) sel = 0;
      ops.push_back({x86_op_kind::write, sel_msr(gp), sel});
    } else if (r < 30) {  // write a counter, sometimes just below overflow
      const std::uint64_t v =
          rng.below(3) == 0 ? (1ULL << 48) - 1 - rng.below(20) : rng.next() & 0xffff'ffff;
      ops.push_back({x86_op_kind::write, ctr_msr(gp), v});
    } else if (r < 38) {  // global registers and fixed counters
      const std::uint32_t m = intel ? globals_intel[rng.below(11)] : globals_amd[rng.below(4)];
      std::uint64_t v =
          rng.next() & (rng.below(3) == 0 ? ~0ULL : (intel ? 0x7'0000'000fULL : 0x3f));
      if (intel && m == 0x38d) v &= rng.below(4) == 0 ? 0xfff : 0xbbb;
      if (intel && m >= 0x309 && m <= 0x30c)
        v = rng.below(2) ? (1ULL << 48) - 1 - rng.below(5) : rng.below(1000);
      ops.push_back({x86_op_kind::write, m, v});
    } else if (r < 55) {
      ops.push_back({x86_op_kind::read,
                     rng.below(4) == 0
                         ? (intel ? globals_intel[rng.below(11)] : globals_amd[rng.below(4)])
                         : (rng.below(2) ? sel_msr(gp) : ctr_msr(gp))});
    } else if (r < 62) {
      const std::uint32_t sel = intel && rng.below(3) == 0
                                    ? (1U << 30) | static_cast<std::uint32_t>(rng.below(4))
                                    : static_cast<std::uint32_t>(rng.below(8));
      ops.push_back({x86_op_kind::rdpmc, sel});
    } else if (r < 88) {
      ops.push_back({x86_op_kind::run, ev, rng.below(3) == 0 ? rng.below(100'000) : rng.below(50),
                     rng.below(2) ? 0U : 3U});
    } else if (r < 90) {
      ops.push_back({x86_op_kind::host, rng.below(2) ? hw::host_event : ev, rng.below(1000)});
    } else if (r < 93) {
      ops.push_back(
          {x86_op_kind::exit_handling, rng.below(2) ? hw::host_event : ev, rng.below(1000)});
    } else if (r < 97) {
      ops.push_back({x86_op_kind::switch_vcpu, static_cast<std::uint32_t>(rng.below(2))});
    } else if (r < 98) {
      ops.push_back({x86_op_kind::switch_policy, static_cast<std::uint32_t>(rng.below(2))});
    } else {
      if (rng.below(2) == 0) {
        ops.push_back({x86_op_kind::save_restore});
      } else {
        ops.push_back({x86_op_kind::restore_mutated, static_cast<std::uint32_t>(rng.below(64)),
                       rng.below(8) == 0 ? ~std::uint64_t{0} : rng.below(64)});
      }
    }
  }
  return ops;
}

template <class Arch>
std::vector<x86_op> random_x86_program(std::uint64_t seed, unsigned length) {
  test_support::splitmix64 rng{seed};
  return random_x86_program<Arch>(rng, length);
}

}  // namespace property
