// SPDX-License-Identifier: MIT
// The EL2 stub's hypervisor, written once over a `Machine` that is either the real CPU under
// QEMU (stub.cpp) or vpmu's Arm simulator (sim_run.cpp). A Machine gives:
//   regs()                         the EL2 register backend (arm64::hw_access or the simulator)
//   caps()                         the probed arm64::pmu_caps
//   run_guest(runner, program)     runs a guest program at EL1 until it is done, sending its
//                                  traps to runner.on_trap and PMU interrupts to
//                                  runner.on_pmu_interrupt
//   print(line)                    one line of output
// It runs every scenario, checks the host's own counter after each and prints the transcript.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

#include "host_counter.hpp"
#include "line.hpp"
#include "scenario.hpp"

namespace el2_stub {

template <class Machine>
class hypervisor {
 public:
  using regs_type = std::remove_reference_t<decltype(std::declval<Machine&>().regs())>;

  // check_deviations: also check the host's counter after the deviations scenario (where QEMU
  // 7.2 lets the guest disturb it), to prove that the check catches a disturbance.
  explicit hypervisor(Machine& m, bool check_deviations = false)
      : m_(m),
        host_{m.regs(), static_cast<unsigned>(m.caps().counters - 1U)},
        check_deviations_(check_deviations) {}

  // Runs every scenario; returns the number of failed host-counter checks.
  unsigned run_all() {
    const a64::pmu_caps caps = m_.caps();
    print_caps(caps);
    host_.start();
    const auto config = vpmu::validate_arm64_config({caps.version, guest_counters}, caps);
    if (!config) {
      const vpmu::error& e = config.error_value();
      m_.print(line{} << "# invalid configuration: " << vpmu::describe(e.code) << " ("
                      << (e.where != nullptr ? e.where : "?") << ")");
      return 1;
    }
    using namespace vpmu;
    run<vcpu_pmu<arch::arm64, policy::partitioned, regs_type>>(scenario::partitioned,
                                                               config.value(), m_.regs());
    auto perf = m_.make_host_perf(host_.index);
    run<vcpu_pmu<arch::arm64, policy::emulated, decltype(perf)>>(scenario::emulated, config.value(),
                                                                 perf);
    run<vcpu_pmu<arch::arm64, policy::lazy<policy::partitioned>, regs_type>>(
        scenario::lazy_partitioned, config.value(), m_.regs());
    // The deviations only show where the guest runs untrapped (no FGT, PMUv3p5, no filter).
    vcpu_pmu<arch::arm64, policy::partitioned, regs_type> probe{m_.regs(), config.value()};
    if (!probe.traps_everything()) {
      run<vcpu_pmu<arch::arm64, policy::partitioned, regs_type>>(scenario::deviations,
                                                                 config.value(), m_.regs());
    }
    return failures_;
  }

 private:
  template <class Pmu, class Backend>
  void run(scenario s, const vpmu::arm64_config& config, Backend& backend) {
    Pmu pmu{backend, config};
    const bool deviations = s == scenario::deviations;
    const a64::pmu_caps caps = m_.caps();
    vcpu_runner<Pmu, regs_type> runner{pmu, m_.regs(), host_.index, caps};
    if (deviations) runner.extra_mdcr = a64::mdcr_el2::tpmcr.mask;
    transcript t;
    runner.enter();
    m_.run_guest(runner, [&](auto& guest) {
      if (deviations) {
        guest_deviations(guest, t, host_.index);
      } else {
        guest_main(guest, t);
      }
    });
    runner.exit();
    const char* name = scenario_names[static_cast<unsigned>(s)];
    for (unsigned i = 0; i < t.size; ++i) {
      line l;
      l << name << " " << t.entries[i].what << " = ";
      if (t.entries[i].undefined) {
        l << "UNDEF";
      } else {
        l.hex(t.entries[i].value);
      }
      m_.print(l);
    }
    print_hyp(name, "traps", runner.traps);
    print_hyp(name, "guest_irqs", runner.line.raised);
    if (deviations && !check_deviations_) {
      // What the guest's PMCNTENCLR and PMCR.P did to the host's counter (architecturally:
      // nothing; they are outside the guest's range).
      const std::uint64_t bit = std::uint64_t{1} << host_.index;
      print_hyp(name, "host_enabled",
                (m_.regs().template read<a64::pmcntenset_el0>() & bit) != 0 ? 1 : 0);
      const std::uint64_t before = host_.last;
      print_hyp(name, "host_count_kept",
                m_.regs().read(a64::pmevcntr_encoding_unchecked(host_.index)) > before ? 1 : 0);
      host_.restart();
      return;
    }
    if (!host_.intact()) {
      ++failures_;
      m_.print(line{} << "# FAIL: " << name << ": the host's counter was disturbed");
    }
  }

  void print_hyp(const char* scenario_name, const char* what, std::uint64_t v) {
    m_.print((line{} << scenario_name << " hyp." << what << " = ").hex(v));
  }
  void print_caps(const a64::pmu_caps& c) {
    line l;
    l << "# caps: PMUVer ";
    l.hex(static_cast<unsigned>(c.version)) << ", N ";
    l.hex(c.counters) << ", FEAT_FGT ";
    l.hex(c.fgt);
    m_.print(l);
  }

  Machine& m_;
  host_counter<regs_type> host_;
  bool check_deviations_;
  unsigned failures_ = 0;
};

}  // namespace el2_stub
