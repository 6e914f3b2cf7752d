// SPDX-License-Identifier: MIT
// What the benchmarks measure: one vCPU's world switch (load + put) under each policy, Linux
// KVM's sequence for the same job, and a raw copy of the registers vpmu touched, all on the same
// simulator behind the counting backend. A fixture sets the guest up with `used` of its `total`
// counters programmed and counting, then trip() is one round trip.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "kvm_baselines.hpp"
#include "vpmu/access/counting.hpp"
#include "vpmu/access/recording.hpp"
#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace bench {

struct fixture {
  virtual ~fixture() = default;
  virtual void trip() = 0;
  virtual const vpmu::access_counts& counts() = 0;
  virtual void reset_counts() = 0;
};

// Register access as the fixtures see it: counted (for the numbers) or recorded (to build the
// raw-copy reference).
template <class B>
using counted_access = vpmu::counting<B>;
template <class B>
using recorded_access = vpmu::recording<B, 1024>;

template <class W>
const vpmu::access_counts& counts_of(W& w) {
  static const vpmu::access_counts none{};
  if constexpr (requires { w.counts(); }) {
    return w.counts();
  } else {
    return none;
  }
}
template <class W>
void reset_of(W& w) {
  if constexpr (requires { w.reset(); }) w.reset();
}

// --- x86
// -------------------------------------------------------------------------------------------
template <class Arch>
struct x86_platform;
template <>
struct x86_platform<vpmu::arch::intel> {
  using sim = vpmu::sim::intel_pmu;
  static sim make() { return sim{{4, 8, 48, 3, 48, true}}; }
  static constexpr std::uint32_t sel0 = 0x186, ctr0 = 0x4c1, stride = 1;
  static vpmu::x86_guest_shape shape(unsigned total) {
    vpmu::x86_guest_shape s;
    s.version = 4;
    s.gp_counters = total;
    s.fixed_counters = 3;
    return s;
  }
};
template <>
struct x86_platform<vpmu::arch::amd> {
  using sim = vpmu::sim::amd_pmu;
  static sim make() { return sim{{true, true, 6}}; }
  static constexpr std::uint32_t sel0 = 0xc001'0200, ctr0 = 0xc001'0201, stride = 2;
  static vpmu::x86_guest_shape shape(unsigned total) {
    vpmu::x86_guest_shape s;
    s.vendor = vpmu::x86::vendor::amd;
    s.gp_counters = total;
    return s;
  }
};

constexpr std::uint64_t en_os_usr = (1ULL << 22) | (1ULL << 17) | (1ULL << 16);

template <class Arch, class Policy, template <class> class Wrap = counted_access>
struct x86_vpmu_fixture final : fixture {
  using platform = x86_platform<Arch>;
  using sim_type = typename platform::sim;
  using counted = Wrap<sim_type>;
  static constexpr bool emulated = std::is_same_v<Policy, vpmu::policy::emulated>;
  using perf_type = vpmu::host_perf<typename sim_type::arch_type, counted>;
  using backend = std::conditional_t<emulated, perf_type, counted>;
  using pmu_type = vpmu::vcpu_pmu<Arch, Policy, backend>;

  sim_type cpu = platform::make();
  counted hw{cpu};
  perf_type perf{hw, cpu.counter_width(), vpmu::low_mask(8)};
  // reserved: the hypervisor keeps host perf off the guests' counters on this CPU and gives the
  // vCPU the CPU's pmu_owner (mediated only): the vCPU is reloaded where it left.
  vpmu::pmu_owner owner;
  bool reserved = false;
  pmu_type pmu;

  x86_vpmu_fixture(unsigned total, unsigned used, const vpmu::x86_event_filter* filter = nullptr,
                   bool is_reserved = false)
      : reserved(is_reserved),
        pmu(make_pmu(
            vpmu::validate_x86_config(platform::shape(total), cpu.caps(), filter).value())) {
    if (used == 0) return;  // an idle guest never touches its PMU
    for (unsigned i = 0; i < used; ++i) {
      (void)pmu.on_wrmsr(platform::sel0 + platform::stride * i, 0xc0 | en_os_usr);
      (void)pmu.on_wrmsr(platform::ctr0 + platform::stride * i, 1000 + i);
    }
    if constexpr (std::is_same_v<Arch, vpmu::arch::intel>) {
      (void)pmu.on_wrmsr(0x38f, vpmu::low_mask(used));
    }
  }
  pmu_type make_pmu(const vpmu::x86_config& c) {
    if constexpr (emulated) {
      return pmu_type{perf, c};
    } else {
      return pmu_type{hw, c, reserved ? &owner : nullptr};
    }
  }
  void trip() override {
    pmu.load();
    pmu.put();
  }
  const vpmu::access_counts& counts() override { return counts_of(hw); }
  void reset_counts() override { reset_of(hw); }
};

// KVM's largest filter (300 masked entries), none of which matches until the last: every lookup
// scans all of it. It allows the guest's event (0xC0), so counting is unchanged.
inline const vpmu::x86_event_filter& filter_300() {
  static const vpmu::x86_event_filter f = [] {
    std::uint64_t events[300];
    for (unsigned i = 0; i < 299; ++i) {
      events[i] = vpmu::masked_event::encode(0x100 + i, 0xff, 0, false).raw;
    }
    events[299] = vpmu::masked_event::encode(0xc0, 0, 0, false).raw;
    return vpmu::x86_event_filter::create(0, vpmu::x86_event_filter::flag_masked_events, ~0U,
                                          events, 300)
        .value();
  }();
  return f;
}

template <class Arch>
struct x86_kvm_fixture final : fixture {
  using platform = x86_platform<Arch>;
  using sim_type = typename platform::sim;
  sim_type cpu = platform::make();
  vpmu::counting<sim_type> hw{cpu};
  kvm_x86_state s;

  x86_kvm_fixture(unsigned total, unsigned used) {
    s.gp = total;
    s.fixed = std::is_same_v<Arch, vpmu::arch::intel> ? 3 : 0;
    for (unsigned i = 0; i < used; ++i) {
      s.eventsel_hw[i] = 0xc0 | en_os_usr;
      s.pmc[i] = 1000 + i;
    }
    s.global_ctrl = vpmu::low_mask(used);
  }
  void trip() override {
    if constexpr (std::is_same_v<Arch, vpmu::arch::intel>) {
      kvm_intel_load(hw, s);
      kvm_intel_put(hw, s);
    } else {
      kvm_amd_load(hw, s);
      kvm_amd_put(hw, s);
    }
  }
  const vpmu::access_counts& counts() override { return hw.counts(); }
  void reset_counts() override { hw.reset(); }
};

// --- arm64
// -----------------------------------------------------------------------------------------
constexpr unsigned arm_n = 10;

template <class Policy, template <class> class Wrap = counted_access>
struct arm_vpmu_fixture final : fixture {
  using sim_type = vpmu::sim::arm_pmuv3;
  using counted = Wrap<sim_type>;
  static constexpr bool emulated = std::is_same_v<Policy, vpmu::policy::emulated>;
  using perf_type = vpmu::host_perf<typename sim_type::arch_type, counted>;
  using backend = std::conditional_t<emulated, perf_type, counted>;
  using pmu_type = vpmu::vcpu_pmu<vpmu::arch::arm64, Policy, backend>;

  sim_type cpu{{arm_n, vpmu::arm64::pmuver::v3p5, false, 1}};
  counted hw{cpu};
  perf_type perf{hw, cpu.counter_width(), vpmu::low_mask(arm_n)};
  vpmu::pmu_owner owner;  // warm: one vCPU on one CPU stays the owner
  // cold: another vCPU ran on this CPU between two trips (the pmu_owner says so), so load()
  // cannot rely on what the hardware holds.
  bool cold = false;
  pmu_type pmu;

  arm_vpmu_fixture(unsigned total, unsigned used, bool is_cold = false)
      : cold(is_cold),
        pmu(make_pmu(
            vpmu::validate_arm64_config({vpmu::arm64::pmuver::v3p5, total}, cpu.caps()).value())) {
    using namespace vpmu::arm64;
    vpmu::program_traps(cpu, pmu.trap_config(), cpu.caps(), &owner);
    cpu.write(pmcr_el0::encoding, 1);
    if (used == 0) return;  // an idle guest never touches its PMU
    const auto w = [&](sysreg_encoding e, std::uint64_t v) {
      (void)pmu.on_sysreg(encode_esr({e, false, 0}), v);
    };
    for (unsigned n = 0; n < used; ++n) {
      w(pmevtyper_encoding_unchecked(n), 0x08);
      w(pmevcntr_encoding_unchecked(n), 1000 + n);
    }
    w(pmcntenset_el0::encoding, vpmu::low_mask(used));
    w(pmcr_el0::encoding, 1 | pmcr_el0::lc.mask);
  }
  pmu_type make_pmu(const vpmu::arm64_config& c) {
    if constexpr (emulated) {
      return pmu_type{perf, c};
    } else {
      return pmu_type{hw, c, &owner};
    }
  }
  void trip() override {
    if (cold) owner.invalidate();
    pmu.load();
    pmu.put();
  }
  const vpmu::access_counts& counts() override { return counts_of(hw); }
  void reset_counts() override { reset_of(hw); }
};

// Which Partitioned-PMU version's sequence an arm_kvm_fixture replays.
enum class kvm_arm_version { v5, v7 };

struct arm_kvm_fixture final : fixture {
  vpmu::sim::arm_pmuv3 cpu{{arm_n, vpmu::arm64::pmuver::v3p5, false, 1}};
  vpmu::counting<vpmu::sim::arm_pmuv3> hw{cpu};
  kvm_arm_state s;
  kvm_arm_version version;

  arm_kvm_fixture(unsigned total, unsigned used, kvm_arm_version v) : version(v) {
    cpu.write(vpmu::arm64::mdcr_el2::encoding, total | vpmu::arm64::mdcr_el2::hpme.mask);
    s.hpmn = total;
    s.guest_owned = used != 0;  // an idle guest never touched its PMU
    for (unsigned n = 0; n < used; ++n) {
      s.evtyper[n] = 0x08;
      s.evcntr[n] = 1000 + n;
    }
    s.cnten = vpmu::low_mask(used);
    s.pmcr = used != 0 ? 0x41 : 0x40;
  }
  void trip() override {
    if (version == kvm_arm_version::v5) {
      kvm_arm_v5_load(hw, s);
      kvm_arm_v5_put(hw, s);
    } else {
      kvm_arm_v7_load(hw, s);
      kvm_arm_v7_put(hw, s);
    }
  }
  const vpmu::access_counts& counts() override { return hw.counts(); }
  void reset_counts() override { hw.reset(); }
};

// The registers a policy's round trip touched, copied with no logic: record one trip, replay it.
template <class Sim>
struct raw_copy_fixture final : fixture {
  Sim cpu;
  vpmu::counting<Sim> hw{cpu};
  std::vector<vpmu::access_record> log;

  // `recorder`: a vpmu fixture over recorded_access; its second round trip (steady state) is
  // what gets replayed.
  template <class Recorder>
  raw_copy_fixture(Sim sim, Recorder& recorder) : cpu(sim) {
    recorder.trip();
    recorder.hw.clear();
    recorder.trip();
    log.assign(recorder.hw.begin(), recorder.hw.end());
  }
  void trip() override {
    for (const vpmu::access_record& r : log) {
      switch (r.op) {
        case vpmu::access_op::rdmsr:
          if constexpr (vpmu::msr_access<Sim>) benchmark_sink(hw.rdmsr(r.id));
          break;
        case vpmu::access_op::wrmsr:
          if constexpr (vpmu::msr_access<Sim>) hw.wrmsr(r.id, r.value);
          break;
        case vpmu::access_op::rdpmc:
          if constexpr (vpmu::msr_access<Sim>) benchmark_sink(hw.rdpmc(r.id));
          break;
        case vpmu::access_op::read:
          if constexpr (vpmu::sysreg_access<Sim>) benchmark_sink(hw.read(key_to_encoding(r.id)));
          break;
        case vpmu::access_op::write:
          if constexpr (vpmu::sysreg_access<Sim>) hw.write(key_to_encoding(r.id), r.value);
          break;
      }
    }
  }
  const vpmu::access_counts& counts() override { return hw.counts(); }
  void reset_counts() override { hw.reset(); }

  static vpmu::arm64::sysreg_encoding key_to_encoding(std::uint32_t k) {
    return {static_cast<std::uint8_t>((k >> 14) & 3), static_cast<std::uint8_t>((k >> 11) & 7),
            static_cast<std::uint8_t>((k >> 7) & 15), static_cast<std::uint8_t>((k >> 3) & 15),
            static_cast<std::uint8_t>(k & 7)};
  }
  static void benchmark_sink(std::uint64_t v) {
    volatile std::uint64_t sink = v;
    (void)sink;
  }
};

}  // namespace bench
