// SPDX-License-Identifier: MIT
// round_trip/<arch>/<policy>/<used>of<total>: one vCPU's load() + put(), with register reads and
// writes per round trip (counting backend over the simulator) next to the time. Baselines in the
// same run: kvm_<policy> (Linux KVM's sequence) and raw_copy_<policy> (the same registers copied
// with no logic). trap/<arch>/<policy>/<access>: one trapped access, decode to emulate.
#include <benchmark/benchmark.h>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "fixtures.hpp"
#include "summary.hpp"
#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

namespace {

using namespace bench;
using vpmu::arch::amd;
using vpmu::arch::arm64;
using vpmu::arch::intel;
namespace pol = vpmu::policy;

std::string shape_name(unsigned used, unsigned total) {
  return std::to_string(used) + "of" + std::to_string(total);
}

// Measures accesses on one steady-state round trip (after two warm-up trips), then times trips.
void add(const std::string& name, std::function<std::unique_ptr<fixture>()> make) {
  benchmark::RegisterBenchmark(name.c_str(), [make](benchmark::State& state) {
    auto f = make();
    f->trip();
    f->trip();
    f->reset_counts();
    f->trip();
    const double reads = static_cast<double>(f->counts().total_reads());
    const double writes = static_cast<double>(f->counts().total_writes());
    for (auto _ : state)
      f->trip();
    state.counters["reg_reads"] = reads;
    state.counters["reg_writes"] = writes;
    state.counters["reg_accesses"] = reads + writes;
  });
}

template <class Arch>
void x86_round_trips(const char* arch, std::initializer_list<unsigned> totals) {
  for (unsigned total : totals) {
    for (unsigned used : {0U, 2U, total}) {
      const std::string tail = shape_name(used, total);
      const std::string base = std::string("round_trip/") + arch + "/";
      add(base + "emulated/" + tail,
          [=] { return std::make_unique<x86_vpmu_fixture<Arch, pol::emulated>>(total, used); });
      add(base + "mediated/" + tail,
          [=] { return std::make_unique<x86_vpmu_fixture<Arch, pol::mediated>>(total, used); });
      add(base + "mediated_reserved/" + tail, [=] {
        return std::make_unique<x86_vpmu_fixture<Arch, pol::mediated>>(total, used, nullptr, true);
      });
      add(base + "lazy_mediated/" + tail, [=] {
        return std::make_unique<x86_vpmu_fixture<Arch, pol::lazy<pol::mediated>>>(total, used);
      });
      if constexpr (std::is_same_v<Arch, intel>) {  // the hardware copies are not made in load()
        add(base + "mediated_filter300/" + tail, [=] {
          return std::make_unique<x86_vpmu_fixture<Arch, pol::mediated>>(total, used,
                                                                         &filter_300());
        });
      }
      add(base + "kvm_mediated/" + tail,
          [=] { return std::make_unique<x86_kvm_fixture<Arch>>(total, used); });
      add(base + "raw_copy_mediated/" + tail, [=] {
        x86_vpmu_fixture<Arch, pol::mediated, recorded_access> rec{total, used};
        return std::make_unique<raw_copy_fixture<typename x86_platform<Arch>::sim>>(rec.cpu, rec);
      });
    }
  }
}

// The Partitioned-PMU series' own sequences, v4/v5 and v7 (bench/kvm_baselines.hpp).
void add_kvm_arm(const std::string& tail, unsigned hpmn, unsigned used) {
  add("round_trip/arm64/kvm_v5_partitioned/" + tail,
      [=] { return std::make_unique<arm_kvm_fixture>(hpmn, used, kvm_arm_version::v5); });
  add("round_trip/arm64/kvm_v7_partitioned/" + tail,
      [=] { return std::make_unique<arm_kvm_fixture>(hpmn, used, kvm_arm_version::v7); });
}

void arm_round_trips() {
  const std::string base = "round_trip/arm64/";
  for (unsigned hpmn : {2U, 4U, 6U}) {
    std::vector<unsigned> uses = {0U, 2U};
    if (hpmn != 2) uses.push_back(hpmn);  // (2of2 only once)
    for (unsigned used : uses) {
      const std::string tail = shape_name(used, hpmn);
      // warm: the vCPU reloaded on the CPU it left; cold: another vCPU ran there in between.
      for (const bool cold : {false, true}) {
        const std::string suffix = cold ? "_cold/" : "/";
        add(base + "partitioned" + suffix + tail,
            [=] { return std::make_unique<arm_vpmu_fixture<pol::partitioned>>(hpmn, used, cold); });
        add(base + "lazy_partitioned" + suffix + tail, [=] {
          return std::make_unique<arm_vpmu_fixture<pol::lazy<pol::partitioned>>>(hpmn, used, cold);
        });
      }
      add(base + "emulated/" + tail,
          [=] { return std::make_unique<arm_vpmu_fixture<pol::emulated>>(hpmn, used); });
      add_kvm_arm(tail, hpmn, used);
      add(base + "raw_copy_partitioned/" + tail, [=] {
        arm_vpmu_fixture<pol::partitioned, recorded_access> rec{hpmn, used};
        return std::make_unique<raw_copy_fixture<vpmu::sim::arm_pmuv3>>(rec.cpu, rec);
      });
    }
  }
  for (unsigned used : {0U, 2U, arm_n}) {  // mediated: the guest owns all N counters
    const std::string tail = shape_name(used, arm_n);
    add(base + "mediated/" + tail,
        [=] { return std::make_unique<arm_vpmu_fixture<pol::mediated>>(arm_n, used); });
    add(base + "lazy_mediated/" + tail,
        [=] { return std::make_unique<arm_vpmu_fixture<pol::lazy<pol::mediated>>>(arm_n, used); });
    add(base + "mediated_cold/" + tail,
        [=] { return std::make_unique<arm_vpmu_fixture<pol::mediated>>(arm_n, used, true); });
    add_kvm_arm(tail, arm_n, used);
  }
}

// One trapped access per iteration: decode + dispatch + emulate (and write-through).
template <class F>
void add_trap(const std::string& name, F make_and_call) {
  benchmark::RegisterBenchmark(name.c_str(), [make_and_call](benchmark::State& state) {
    auto run = make_and_call();
    run.first->reset_counts();
    run.second();
    const double reads = static_cast<double>(run.first->counts().total_reads());
    const double writes = static_cast<double>(run.first->counts().total_writes());
    for (auto _ : state)
      run.second();
    state.counters["reg_reads"] = reads;
    state.counters["reg_writes"] = writes;
    state.counters["reg_accesses"] = reads + writes;
  });
}

template <class Arch, class Policy>
void x86_traps(const std::string& arch, const std::string& policy) {
  using F = x86_vpmu_fixture<Arch, Policy>;
  using P = x86_platform<Arch>;
  const std::string base = "trap/" + arch + "/" + policy + "/";
  const auto make = [] {
    auto f = std::make_shared<F>(4, 2);
    f->pmu.load();
    return f;
  };
  add_trap(base + "selector_write", [=] {
    auto f = make();
    return std::make_pair(std::shared_ptr<fixture>(f), std::function<void()>([f] {
                            (void)f->pmu.on_wrmsr(P::sel0, 0xc0 | en_os_usr);
                          }));
  });
  add_trap(base + "counter_read", [=] {
    auto f = make();
    return std::make_pair(std::shared_ptr<fixture>(f), std::function<void()>([f] {
                            // counter 0: in use (the fixture's guest programs counters 0 and 1)
                            benchmark::DoNotOptimize(f->pmu.on_rdmsr(P::ctr0));
                          }));
  });
  add_trap(base + "status_read", [=] {
    auto f = make();
    return std::make_pair(std::shared_ptr<fixture>(f), std::function<void()>([f] {
                            constexpr std::uint32_t status =
                                std::is_same_v<Arch, intel> ? 0x38e : 0xc000'0300;
                            benchmark::DoNotOptimize(f->pmu.on_rdmsr(status));
                          }));
  });
}

template <class Policy>
void arm_traps(const std::string& policy) {
  using F = arm_vpmu_fixture<Policy>;
  using namespace vpmu::arm64;
  const std::string base = "trap/arm64/" + policy + "/";
  const auto call = [](sysreg_encoding e, bool read, std::uint64_t v) {
    return [e, read, v](F& f) {
      benchmark::DoNotOptimize(f.pmu.on_sysreg(encode_esr({e, read, 0}), v));
    };
  };
  const auto reg = [&](const std::string& name, auto op) {
    add_trap(base + name, [op] {
      auto f = std::make_shared<F>(6, 2);
      f->pmu.load();
      return std::make_pair(std::shared_ptr<fixture>(f),
                            std::function<void()>([f, op] { op(*f); }));
    });
  };
  // Writes whose value changes every time, so the write-through is measured: the typer alternates
  // INST_RETIRED / CPU_CYCLES, PMOVS bit 0 is set and cleared in turn.
  reg("typer_write", [](F& f) {
    static std::uint64_t event = 0x08;
    event ^= 0x08 ^ 0x11;
    benchmark::DoNotOptimize(
        f.pmu.on_sysreg(encode_esr({pmevtyper_encoding_unchecked(1), false, 0}), event));
  });
  reg("pmovs_clear", [](F& f) {
    static bool set = false;
    set = !set;
    const sysreg_encoding e = set ? pmovsset_el0::encoding : pmovsclr_el0::encoding;
    benchmark::DoNotOptimize(f.pmu.on_sysreg(encode_esr({e, false, 0}), 1));
  });
  reg("pmcr_read", call(pmcr_el0::encoding, true, 0));
}

const bool registered = [] {
  x86_round_trips<intel>("intel", {4, 8});
  x86_round_trips<amd>("amd", {4, 6});
  arm_round_trips();
  x86_traps<intel, pol::emulated>("intel", "emulated");
  x86_traps<intel, pol::mediated>("intel", "mediated");
  x86_traps<amd, pol::emulated>("amd", "emulated");
  x86_traps<amd, pol::mediated>("amd", "mediated");
  arm_traps<pol::partitioned>("partitioned");
  arm_traps<pol::emulated>("emulated");
  return true;
}();

}  // namespace
