// SPDX-License-Identifier: MIT
// A simulated arm64 hypervisor for property tests: one simulated PMUv3 (N = 10) whose EL2
// controls the world programs from the policy's trap_config(), a host perf keeping its own
// counter running (in [HPMN, N) when partitioned), and two vCPUs time-sharing the CPU. Guest
// accesses execute on the simulated CPU from EL1/EL0; the ones that trap to EL2 go to the
// policy. Every result is compared with an independent reference of the guest's architectural PMU
// (reference/arm_pmu_reference.hpp: written from the Arm ARM, sharing no code with vpmu's model).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include "reference/arm_pmu_reference.hpp"
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

enum class arm_op_kind : std::uint8_t {
  write,
  read,
  run,
  host,
  el2_work,  // the hypervisor runs at EL2 while the vCPU stays loaded (trap handling)
  switch_vcpu,
  save_restore,
  switch_policy,
  restore_mutated  // a saved state with one bit flipped (or another shape) is restored
};

// The test's tag for a vCPU that moves between partitioned and emulated at run time.
struct arm_switching {};

struct arm_op {
  arm_op_kind kind;
  vpmu::arm64::sysreg_encoding reg{};
  std::uint64_t value = 0;
  bool el0 = false;
  std::uint16_t event = 0;
};

inline std::string describe(const arm_op& op) {
  char buf[160];
  const auto name = op.reg.asm_name();
  switch (op.kind) {
    case arm_op_kind::write:
      std::snprintf(buf, sizeof buf, "%s: msr %s, 0x%llx", op.el0 ? "EL0" : "EL1", name.c_str(),
                    static_cast<unsigned long long>(op.value));
      break;
    case arm_op_kind::read:
      std::snprintf(buf, sizeof buf, "%s: mrs %s", op.el0 ? "EL0" : "EL1", name.c_str());
      break;
    case arm_op_kind::run:
      std::snprintf(buf, sizeof buf, "guest %s: %llu x event 0x%x", op.el0 ? "EL0" : "EL1",
                    static_cast<unsigned long long>(op.value), op.event);
      break;
    case arm_op_kind::host:
      std::snprintf(buf, sizeof buf, "host EL2: %llu x event 0x%x",
                    static_cast<unsigned long long>(op.value), op.event);
      break;
    case arm_op_kind::el2_work:
      std::snprintf(buf, sizeof buf, "EL2, vCPU loaded: %llu x event 0x%x",
                    static_cast<unsigned long long>(op.value), op.event);
      break;
    case arm_op_kind::switch_vcpu:
      std::snprintf(buf, sizeof buf, "switch to vCPU %llu",
                    static_cast<unsigned long long>(op.value));
      break;
    case arm_op_kind::save_restore: std::snprintf(buf, sizeof buf, "save + restore state"); break;
    case arm_op_kind::restore_mutated:
      std::snprintf(buf, sizeof buf, "restore a saved state with bit %u of word %llu flipped",
                    op.event % 64, static_cast<unsigned long long>(op.value));
      break;
    case arm_op_kind::switch_policy:
      std::snprintf(buf, sizeof buf, "switch policy to %s", op.value ? "emulated" : "partitioned");
      break;
  }
  return buf;
}

struct arm_world_options {
  unsigned fgt = 1;
  unsigned guest_counters = 6;
  vpmu::arm64::pmuver version = vpmu::arm64::pmuver::v3p5;  // the host's
  const vpmu::arm64_event_filter* filter = nullptr;
  vpmu::arm64::pmuver guest_version = vpmu::arm64::pmuver::ni;  // ni: the host's
  [[nodiscard]] vpmu::arm64::pmuver guest() const {
    return guest_version == vpmu::arm64::pmuver::ni ? version : guest_version;
  }
};

template <class Policy>
struct arm_pmu_for {
  static constexpr bool emulated =
      std::is_same_v<Policy, vpmu::policy::emulated> ||
      std::is_same_v<Policy, vpmu::policy::lazy<vpmu::policy::emulated>>;
  using type = vpmu::vcpu_pmu<
      vpmu::arch::arm64, Policy,
      std::conditional_t<emulated, vpmu::host_perf<vpmu::arch::arm64, vpmu::sim::arm_pmuv3>,
                         vpmu::sim::arm_pmuv3>>;
};
template <>
struct arm_pmu_for<arm_switching> {
  static constexpr bool emulated = false;
  using type = vpmu::switchable<
      vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, vpmu::sim::arm_pmuv3>,
      vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::emulated,
                     vpmu::host_perf<vpmu::arch::arm64, vpmu::sim::arm_pmuv3>>>;
};

template <class Policy>
class arm_world {
  static constexpr bool emulated = arm_pmu_for<Policy>::emulated;
  static constexpr bool switches = std::is_same_v<Policy, arm_switching>;
  using sim_type = vpmu::sim::arm_pmuv3;
  using perf_type = vpmu::host_perf<vpmu::arch::arm64, sim_type>;
  using pmu_type = typename arm_pmu_for<Policy>::type;
  static constexpr unsigned n = 10;
  static constexpr std::uint16_t host_event = vpmu::sim::arm_event::inst_retired;

 public:
  static constexpr unsigned vcpus = 2;

  explicit arm_world(arm_world_options o = {})
      : o_(o),
        cpu_({n, o.version, false, o.fgt}),
        perf_(
            cpu_, cpu_.counter_width(),
            emulated ? vpmu::low_mask(n) : vpmu::low_mask(n) & ~vpmu::low_mask(o.guest_counters)) {
    const auto cfg =
        vpmu::validate_arm64_config({o.guest(), o.guest_counters}, cpu_.caps(), o.filter);
    if (!cfg) std::abort();  // the worlds' shapes are valid by construction
    for (unsigned v = 0; v < vcpus; ++v) {
      // One pmu_owner for the CPU, shared by every vCPU whatever its policy.
      if constexpr (switches) {
        pmu_.emplace_back(typename pmu_type::template first_type<>{cpu_, cfg.value(), &owner_},
                          typename pmu_type::template second_type<>{perf_, cfg.value()});
      } else if constexpr (emulated) {
        pmu_.emplace_back(perf_, cfg.value());
      } else {
        pmu_.emplace_back(cpu_, cfg.value(), &owner_);
      }
      // Lazy vCPUs go back to trapping after two idle put()s: the fallback path runs too.
      if constexpr (requires(pmu_type & p) { p.set_idle_puts(2U); }) pmu_.back().set_idle_puts(2);
      ref_.push_back(reference::arm_pmu{o.guest_counters, static_cast<unsigned>(o.guest())});
      if (o.filter != nullptr) {  // the reference's PMCEID0 events, less those the filter denies
        std::uint64_t allowed = ~std::uint64_t{0};
        for (unsigned e : {0x00U, 0x08U, 0x11U, 0x1eU}) {
          if (!o.filter->allows(e)) allowed &= ~(std::uint64_t{1} << e);
        }
        ref_.back().advertise_only(allowed);
      }
    }
    program_el2(pmu_[0]);
    cpu_.write(vpmu::arm64::pmcr_el0::encoding, 1 | vpmu::arm64::pmcr_el0::lc.mask);
    using t = vpmu::arm64::pmevtypern_el0;
    if (perf_mask() != 0) {  // a mediated guest owns every counter: the host has none
      host_counter_ =
          perf_.start_host_event(host_event | t::p.mask | t::u.mask | t::nsh.mask).value();
      host_running_ = true;
    }
    schedule_in(0);
  }

  std::string apply(const arm_op& op) {
    pmu_type& pmu = pmu_[current_];
    reference::arm_pmu& ref = ref_[current_];
    using vpmu::sim::outcome;
    const vpmu::sim::el from = op.el0 ? vpmu::sim::el::el0 : vpmu::sim::el::el1;
    switch (op.kind) {
      case arm_op_kind::read:
      case arm_op_kind::write: {
        const bool rd = op.kind == arm_op_kind::read;
        refresh_traps(pmu);
        const vpmu::sim::sysreg_outcome want = architecture(ref, op, rd);
        vpmu::sim::sysreg_outcome got =
            rd ? cpu_.guest_read(from, op.reg, 3) : cpu_.guest_write(from, op.reg, op.value, 3);
        if (got.kind == outcome::trap_el2) {
          const vpmu::sysreg_result r = pmu.on_sysreg(got.esr, op.value, op.el0);
          got = r.undefined     ? vpmu::sim::sysreg_outcome{outcome::undefined, 0, want.esr}
                : r.trap_to_el1 ? vpmu::sim::sysreg_outcome{outcome::trap_el1, 0, r.esr}
                                : vpmu::sim::sysreg_outcome{outcome::executed, r.value, 0};
        }
        // The architected outcome exactly: executed (with the value read), UNDEFINED, or a trap
        // to the guest's EL1 with the syndrome hardware would report.
        if (got.kind == outcome::undefined) got.esr = want.esr;  // UNDEF injection: EC 0
        if (got.kind != want.kind || (got.kind == outcome::trap_el1 && got.esr != want.esr) ||
            (rd && got.kind == outcome::executed && got.value != want.value)) {
          return std::string(rd ? "read" : "write") + " differs: policy " + show(got) +
                 ", architecture " + show(want);
        }
        return "";
      }
      case arm_op_kind::run: {
        cpu_.set_el(from);
        run_events(cpu_, op.event, op.value);
        // A denied event never counts (the filter is part of the guest's architecture here).
        if (vpmu::filter_allows_event(o_.filter, op.event)) {
          ref.run(op.el0 ? reference::level::el0 : reference::level::el1, op.event, op.value);
        }
        cpu_.set_el(vpmu::sim::el::el2);
        if (cpu_.irq_pending()) {  // the host's PMU interrupt handler
          (void)pmu.on_host_overflow();
          cpu_.write(vpmu::arm64::pmovsclr_el0::encoding, perf_mask());  // host bits only
        }
        if (pmu.irq_pending() != ref.irq_pending()) {
          return std::string("PMU interrupt differs: policy ") +
                 (pmu.irq_pending() ? "asserted" : "clear");
        }
        return "";
      }
      case arm_op_kind::host: {
        pmu.put();
        cpu_.set_el(vpmu::sim::el::el2);
        run_events(cpu_, op.event, op.value);
        if (op.event == host_event) host_expected_ += op.value;
        schedule_in(current_);
        return check_host();
      }
      case arm_op_kind::el2_work: {
        // EL2 code with the vCPU loaded: no guest counter, cycle counter included, may count it
        // (MDCR_EL2.HPMD/HCCD, NSH clear in hardware copies and backing counters).
        cpu_.set_el(vpmu::sim::el::el2);
        const bool host_counts =
            host_running_ && cpu_.counts(host_counter_) && op.event == host_event;
        run_events(cpu_, op.event, op.value);
        if (host_counts) host_expected_ += op.value;
        return check_host();
      }
      case arm_op_kind::switch_vcpu: {
        pmu.put();
        schedule_in(static_cast<unsigned>(op.value % vcpus));
        return "";
      }
      case arm_op_kind::switch_policy: {
        if constexpr (switches) {
          if (!pmu.switch_to(static_cast<unsigned>(op.value % 2)).has_value())
            return "switch_to refused";
          refresh_traps(pmu);
        }
        return "";
      }
      case arm_op_kind::save_restore: {
        const auto s = pmu.save_state();
        if (!(s.registers == ref.registers())) return "saved state differs from the architecture";
        if (const auto r = pmu.restore_state(s); !r.has_value()) {
          return std::string("restore_state refused its own state: ") + r.error_value().where +
                 " " + (r.error_value().field != nullptr ? r.error_value().field : "");
        }
        return "";
      }
      case arm_op_kind::restore_mutated: {
        // A migration stream is untrusted: a blob a guest could have produced is taken (and the
        // architecture continues from it), any other is refused and changes nothing.
        const auto before = pmu.save_state();
        auto s = before;
        if (op.value == ~std::uint64_t{0}) {
          s.shape.counters ^= 1;  // saved from another shape
        } else {
          test_support::flip_bit(s.registers, op.value, op.event % 64);
        }
        return restore_blob(s);
      }
    }
    return "";
  }

  std::string finish() {
    if (auto why = final_state_mismatch(pmu_.data(), ref_.data(), vcpus, cpu_); !why.empty()) {
      return why;
    }
    return check_host();
  }

  pmu_type& pmu(unsigned v) { return pmu_[v]; }
  sim_type& cpu() { return cpu_; }

  // Restores an untrusted blob into the current vCPU: refused, it must change nothing; taken,
  // the architecture continues from it.
  template <class State>
  std::string restore_blob(const State& s) {
    pmu_type& pmu = pmu_[current_];
    const std::string why =
        restore_untrusted(pmu, s, [&] { ref_[current_].replace_registers(s.registers); });
    if (!why.empty()) return why;
    refresh_traps(pmu);
    return check_host();
  }

 private:
  // The reference's answer to the operation's access, as an outcome of the same type.
  static vpmu::sim::sysreg_outcome architecture(reference::arm_pmu& ref, const arm_op& op,
                                                bool rd) {
    using vpmu::sim::outcome;
    const auto at = op.el0 ? reference::level::el0 : reference::level::el1;
    const auto& e = op.reg;
    const reference::access_result r =
        rd ? ref.read(at, e.op0, e.op1, e.crn, e.crm, e.op2, 3)
           : ref.write(at, e.op0, e.op1, e.crn, e.crm, e.op2, op.value, 3);
    switch (r.kind) {
      case reference::result_kind::executed: return {outcome::executed, r.value, 0};
      case reference::result_kind::trap_el1: return {outcome::trap_el1, 0, r.esr};
      default: return {outcome::undefined, 0, 0};
    }
  }
  static std::string show(const vpmu::sim::sysreg_outcome& o) {
    using vpmu::sim::outcome;
    if (o.kind == outcome::undefined) return "UNDEFINED";
    if (o.kind == outcome::trap_el1) return "trap to EL1";
    return std::to_string(o.value);
  }
  static void run_events(sim_type& s, std::uint16_t event, std::uint64_t count) {
    if (event == vpmu::sim::arm_event::cpu_cycles) {
      s.cycles(count);
    } else {
      s.retire(event, count);
    }
  }
  std::uint64_t perf_mask() const {
    return emulated ? vpmu::low_mask(n) : vpmu::low_mask(n) & ~vpmu::low_mask(o_.guest_counters);
  }
  // The hypervisor programs MDCR_EL2 and the FGT registers for the vCPU it runs (the host adds
  // HPME for its own counters).
  void program_el2(pmu_type& pmu) {
    const vpmu::arm64_trap_config t = pmu.trap_config();
    vpmu::program_traps(cpu_, t, cpu_.caps(), &owner_);
    generation_ = t.generation;
    programmed_ = current_;
    // An emulated vCPU (HPMN = N): PMCR_EL0 is the host's, and its counters need E.
    if (t.neutral_el0_state && (t.mdcr_el2 & 0x1f) == n) {
      cpu_.write(vpmu::arm64::pmcr_el0::encoding, 1 | vpmu::arm64::pmcr_el0::lc.mask);
    }
  }
  // The EL2 trap registers are reprogrammed only when another vCPU comes onto the CPU or the
  // vCPU's trap_config().generation changed (as the README tells hypervisors), so a policy that
  // changes its traps without a new generation is caught.
  void refresh_traps(pmu_type& pmu) {
    if (programmed_ != current_ || pmu.trap_config().generation != generation_) program_el2(pmu);
  }
  void schedule_in(unsigned v) {
    current_ = v;
    refresh_traps(pmu_[v]);
    pmu_[v].load();
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

  arm_world_options o_;
  sim_type cpu_;
  perf_type perf_;
  std::vector<pmu_type> pmu_;
  std::vector<reference::arm_pmu> ref_;
  unsigned current_ = 0;
  unsigned programmed_ = ~0U;  // the vCPU whose traps the EL2 registers hold
  std::uint32_t generation_ = 0;
  vpmu::pmu_owner owner_;
  typename perf_type::handle host_counter_{};
  std::uint64_t host_expected_ = 0;
  bool host_running_ = false;
};

template <class Rng>
std::vector<arm_op> random_arm_program(Rng& rng, unsigned length) {
  using namespace vpmu::arm64;
  const sysreg_encoding regs[] = {
      pmcr_el0::encoding,       pmcntenset_el0::encoding, pmcntenclr_el0::encoding,
      pmintenset_el1::encoding, pmintenclr_el1::encoding, pmovsset_el0::encoding,
      pmovsclr_el0::encoding,   pmswinc_el0::encoding,    pmselr_el0::encoding,
      pmceid0_el0::encoding,    pmceid1_el0::encoding,    pmccntr_el0::encoding,
      pmxevtyper_el0::encoding, pmxevcntr_el0::encoding,  pmuserenr_el0::encoding,
      pmmir_el1::encoding,      pmccfiltr_el0::encoding,  pmicntr_el0::encoding};
  const std::uint16_t events[] = {0x08, 0x11, 0x00, 0x1e, 0x23, 0x08, 0x11};
  std::vector<arm_op> ops;
  for (unsigned k = 0; k < length; ++k) {
    const std::uint64_t r = rng.below(100);
    const unsigned idx = static_cast<unsigned>(rng.below(12));  // beyond the guest's counters too
    const bool el0 = rng.below(8) == 0;
    if (r < 45) {
      sysreg_encoding reg = regs[rng.below(18)];
      if (rng.below(2) == 0)
        reg = rng.below(2) ? pmevtyper_encoding_unchecked(idx) : pmevcntr_encoding_unchecked(idx);
      const bool is_typer = classify(reg).reg == pmu_reg::pmevtyper ||
                            reg == pmxevtyper_el0::encoding || reg == pmccfiltr_el0::encoding;
      std::uint64_t v = rng.next();
      if (is_typer) {
        v = events[rng.below(7)] | (rng.below(3) == 0 ? (rng.next() & 0xf800'0000) : 0);
      } else if (reg == pmcr_el0::encoding) {
        // PMCR.D (cycle prescaler) is left out: the prescaler's phase is not architectural
        // state, so no policy can carry it across a switch; the simulator tests cover D.
        v = rng.next() & (rng.below(4) == 0 ? 0xf7 : 0xc1);
      } else if (classify(reg).reg == pmu_reg::pmevcntr || reg == pmccntr_el0::encoding ||
                 reg == pmxevcntr_el0::encoding) {
        v = rng.below(2) ? 0xffff'ffff - rng.below(50) : rng.below(1000);
      } else if (reg == pmselr_el0::encoding) {
        v = rng.below(3) == 0 ? 31 : idx;
      } else if (reg == pmuserenr_el0::encoding) {
        v = rng.below(16);
      }
      ops.push_back({rng.below(3) == 0 ? arm_op_kind::read : arm_op_kind::write, reg, v, el0});
      if (ops.back().kind == arm_op_kind::read) ops.back().value = 0;
    } else if (r < 60) {
      sysreg_encoding reg = rng.below(2) ? regs[rng.below(18)] : pmevcntr_encoding_unchecked(idx);
      ops.push_back({arm_op_kind::read, reg, 0, el0});
    } else if (r < 88) {
      ops.push_back({arm_op_kind::run,
                     {},
                     rng.below(3) == 0 ? rng.below(100'000) : rng.below(60),
                     el0,
                     events[rng.below(7)]});
    } else if (r < 90) {
      ops.push_back({arm_op_kind::el2_work,
                     {},
                     rng.below(1000),
                     false,
                     rng.below(2) ? std::uint16_t{0x08} : std::uint16_t{0x11}});
    } else if (r < 93) {
      ops.push_back({arm_op_kind::host,
                     {},
                     rng.below(1000),
                     false,
                     rng.below(2) ? std::uint16_t{0x08} : std::uint16_t{0x11}});
    } else if (r < 97) {
      ops.push_back({arm_op_kind::switch_vcpu, {}, rng.below(2)});
    } else if (r < 98) {
      ops.push_back({arm_op_kind::switch_policy, {}, rng.below(2)});
    } else if (rng.below(2) == 0) {
      ops.push_back({arm_op_kind::save_restore});
    } else {
      ops.push_back({arm_op_kind::restore_mutated,
                     {},
                     rng.below(8) == 0 ? ~std::uint64_t{0} : rng.below(80),
                     false,
                     static_cast<std::uint16_t>(rng.below(64))});
    }
  }
  return ops;
}

inline std::vector<arm_op> random_arm_program(std::uint64_t seed, unsigned length) {
  test_support::splitmix64 rng{seed};
  return random_arm_program(rng, length);
}

}  // namespace property
