// SPDX-License-Identifier: MIT
// Every policy of every architecture instantiated over backends written here (no simulator), and
// every hook called, so that the code a hypervisor would link is really emitted. check.sh builds
// it -ffreestanding -nostdlib -static with only mem_functions.cpp beside it: a call to anything
// else (a libgcc helper, a libc function) fails the link.
#include <cstdint>

#include "vpmu/host/host_perf.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace {

// Register files in memory, indexed by a hash of the register number: what matters here is
// that the code links, not what it computes. volatile: nothing is folded away.
struct msr_backend {
  volatile std::uint64_t cells[64] = {};
  std::uint64_t rdmsr(std::uint32_t i) { return cells[i % 64]; }
  void wrmsr(std::uint32_t i, std::uint64_t v) { cells[i % 64] = v; }
  std::uint64_t rdpmc(std::uint32_t i) { return cells[(i + 7) % 64]; }
};
struct sysreg_backend {
  volatile std::uint64_t cells[64] = {};
  std::uint64_t read(vpmu::arm64::sysreg_encoding e) { return cells[e.key() % 64]; }
  void write(vpmu::arm64::sysreg_encoding e, std::uint64_t v) { cells[e.key() % 64] = v; }
};
// A counter provider of its own (the hypervisor's perf subsystem stands here).
struct provider {
  using handle = unsigned;
  volatile std::uint64_t counts[8] = {};
  unsigned used = 0;
  vpmu::result<handle> acquire(const vpmu::backing_event&) {
    if (used == 8) return vpmu::error{vpmu::errc::not_implemented, "provider", "free", 8};
    return used++;
  }
  void release(handle) {}
  std::uint64_t read(handle h) { return counts[h % 8]; }
  void set_period(handle h, std::uint64_t p) { counts[h % 8] = p; }
  void pause(handle) {}
  void resume(handle) {}
};

template <class Pmu>
unsigned exercise_common(Pmu& pmu) {
  unsigned n = 0;
  pmu.load();
  n += pmu.irq_pending() ? 1U : 0U;
  n += pmu.on_host_overflow() ? 1U : 0U;
  const auto s = pmu.save_state();
  n += pmu.restore_state(s).has_value() ? 0U : 1U;
  pmu.on_filter_change();
  pmu.put();
  return n;
}

template <class Pmu, class Host>
unsigned x86_policy(Host& host, const vpmu::x86_config& c) {
  Pmu pmu{host, c};
  unsigned n = exercise_common(pmu);
  pmu.load();
  n += pmu.on_wrmsr(0x186, 0x4300c0).fault ? 1U : 0U;  // PERFEVTSEL0
  n += static_cast<unsigned>(pmu.on_rdmsr(0xc1).value);
  n += static_cast<unsigned>(pmu.on_rdpmc(0).value);
  pmu.put();
  return n;
}

template <class Pmu, class Host>
unsigned arm64_policy(Host& host, sysreg_backend& el2, const vpmu::arm64_config& c,
                      const vpmu::arm64::pmu_caps& caps) {
  Pmu pmu{host, c};
  vpmu::program_traps(el2, pmu.trap_config(), caps, nullptr);
  unsigned n = exercise_common(pmu);
  pmu.load();
  // ESR_EL2 of a trapped MRS x0, PMCR_EL0 (EC 0x18, Op0 3, Op1 3, CRn 9, CRm 12, Op2 0, read).
  constexpr std::uint64_t esr = (std::uint64_t{0x18} << 26) | (std::uint64_t{1} << 25) |
                                (3U << 20) | (0U << 17) | (3U << 14) | (9U << 10) | (12U << 1) | 1U;
  n += static_cast<unsigned>(pmu.on_sysreg(esr, 0).value);
  pmu.put();
  return n;
}

unsigned run() {
  using namespace vpmu;
  namespace pol = vpmu::policy;
  unsigned n = 0;
  msr_backend msr;
  sysreg_backend sysreg;
  provider perf;

  const auto intel = x86::decode_intel_cpuid({0x07300804, 0, 0, 0x00000603});
  const auto ic = validate_x86_config(host_shape(intel), intel);
  const auto amd = x86::decode_amd_cpuid({0, 0, 0x00800000, 0}, {1, 6, 0, 0});
  const auto ac = validate_x86_config(host_shape(amd), amd);
  if (!ic || !ac) return 100;
  n += x86_policy<vcpu_pmu<arch::intel, pol::mediated, msr_backend>>(msr, ic.value());
  n += x86_policy<vcpu_pmu<arch::intel, pol::lazy<pol::mediated>, msr_backend>>(msr, ic.value());
  n += x86_policy<vcpu_pmu<arch::intel, pol::emulated, provider>>(perf, ic.value());
  n += x86_policy<vcpu_pmu<arch::amd, pol::mediated, msr_backend>>(msr, ac.value());
  n += x86_policy<vcpu_pmu<arch::amd, pol::lazy<pol::emulated>, provider>>(perf, ac.value());
  host_perf<arch::intel, msr_backend> intel_perf{msr, 48, 0xf0};
  n += x86_policy<vcpu_pmu<arch::intel, pol::emulated, decltype(intel_perf)>>(intel_perf,
                                                                              ic.value());
  n += static_cast<unsigned>(intel_perf.take_overflow());

  const auto caps =
      arm64::probe_caps(arm64::id_aa64dfr0_el1::value::from_hardware(0x0000000000000610),
                        arm64::id_aa64dfr1_el1::value::from_hardware(0),
                        arm64::id_aa64mmfr0_el1::value::from_hardware(0),
                        arm64::pmcr_el0::value::from_hardware(6U << 11));
  const auto c = validate_arm64_config({caps.version, 4}, caps);
  if (!c) return 101;
  n += arm64::probe_caps(sysreg).counters;  // the same, read through the backend
  n += arm64_policy<vcpu_pmu<arch::arm64, pol::partitioned, sysreg_backend>>(sysreg, sysreg,
                                                                             c.value(), caps);
  n += arm64_policy<vcpu_pmu<arch::arm64, pol::mediated, sysreg_backend>>(sysreg, sysreg, c.value(),
                                                                          caps);
  n += arm64_policy<vcpu_pmu<arch::arm64, pol::lazy<pol::partitioned>, sysreg_backend>>(
      sysreg, sysreg, c.value(), caps);
  n += arm64_policy<vcpu_pmu<arch::arm64, pol::emulated, provider>>(perf, sysreg, c.value(), caps);
  host_perf<arch::arm64, sysreg_backend> arm_perf{sysreg, 64, 0x30};
  n += arm64_policy<vcpu_pmu<arch::arm64, pol::lazy<pol::emulated>, decltype(arm_perf)>>(
      arm_perf, sysreg, c.value(), caps);
  return n;
}

}  // namespace

// The entry point: the x86-64 ABI gives _start a 16-byte aligned stack, where a function
// expects one 8 bytes off (as after a call); aarch64's SP is 16-byte aligned either way.
extern "C" [[noreturn]] void start_program() {
  const unsigned r = run();
  const unsigned status = r == 100 || r == 101 ? 1U : 0U;  // a configuration was refused
#if defined(__x86_64__)
  asm volatile("syscall" ::"a"(60), "D"(status) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
  register unsigned long x0 asm("x0") = status;
  register long x8 asm("x8") = 93;
  asm volatile("svc #0" ::"r"(x0), "r"(x8) : "memory");
#endif
  for (;;) {
  }
}
#if defined(__x86_64__)
asm(".globl _start\n_start:\n  and $-16, %rsp\n  call start_program\n");
#else
asm(".globl _start\n_start:\n  b start_program\n");
#endif
