// SPDX-License-Identifier: MIT
// A tiny KVM-based VMM whose guest's PMU accesses go through vpmu. The host has no PMU a guest
// could use (the CI host's KVM runs with its own vPMU off), so vpmu's simulator stands in for the
// physical PMU under the vcpu_pmu. A deny MSR filter over every PMU MSR sends each guest
// WRMSR/RDMSR to userspace; accesses the policy passes through (no exit on real hardware) go
// straight to the simulator and are counted apart from the ones the policy intercepts.
//
//   vmm <intel|amd> <emulated|mediated|lazy_mediated> <1-4>   run, compare, print
//   vmm table                                                  every combination, as a table
// Exit status: 0 when the guest's results equal both the same program run on the simulator
// without KVM and the architectural model, and the intercepted counts match the trap map;
// 77 (skip) only when /dev/kvm is missing or unusable (cannot be opened, no VM, or KVM lacks
// userspace MSR exits); a failure after that (the MSR filter, the vCPU, the CPUID vpmu encoded)
// is a failure.
#include <fcntl.h>
#include <linux/stddef.h>  // must precede <linux/kvm.h> in C++ (kvm-x86.md pitfall 1)
#undef __DECLARE_FLEX_ARRAY
#define __DECLARE_FLEX_ARRAY(T, N) T N[0]
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"  // the uapi header's flexible arrays
#include <linux/kvm.h>
#pragma GCC diagnostic pop
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <type_traits>
#include <unistd.h>
#include <vector>

#include "programs.hpp"

#include <vpmu/host/host_perf.hpp>
#include <vpmu/sim/amd_pmu.hpp>
#include <vpmu/sim/arm_pmuv3.hpp>
#include <vpmu/sim/intel_pmu.hpp>
#include <vpmu/vpmu.hpp>

static_assert(sizeof(kvm_cpuid2) == 8 && sizeof(kvm_msrs) == 8);

namespace {

using namespace kvm_example;
constexpr int skip = 77;

struct outcome {
  std::vector<std::string> results;  // "op N: value" / "op N: #GP", in order
  unsigned intercepted = 0, passed_through = 0, exits = 0;
  double ns_per_exit = 0;
};

std::string line(std::uint64_t index, bool fault, std::uint64_t value) {
  char buf[64];
  if (fault) {
    std::snprintf(buf, sizeof buf, "op %" PRIu64 ": #GP", index);
  } else {
    std::snprintf(buf, sizeof buf, "op %" PRIu64 ": %#" PRIx64, index, value);
  }
  return buf;
}

// Intel events are 16-bit (event | umask << 8), AMD's 20-bit (12-bit select | umask << 12).
template <class Model>
void retire(Model& m, std::uint32_t event, std::uint64_t n) {
  if constexpr (std::is_same_v<Model, vpmu::sim::intel_pmu>) {
    m.retire(static_cast<std::uint16_t>(event), n);
  } else {
    m.retire(event, n);
  }
}

// --- the hypervisor side of one vCPU: vpmu over the simulated PMU -----------------------------
template <class Arch, class Policy>
struct vcpu {
  static constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  static constexpr bool emulated = std::is_same_v<Policy, vpmu::policy::emulated>;
  using sim_type = std::conditional_t<intel, vpmu::sim::intel_pmu, vpmu::sim::amd_pmu>;
  using perf_type = vpmu::host_perf<Arch, sim_type>;
  using pmu_type = vpmu::vcpu_pmu<Arch, Policy, std::conditional_t<emulated, perf_type, sim_type>>;

  static sim_type make_cpu() {
    if constexpr (intel) {
      return sim_type{{4, 8, 48, 3, 48, true}};  // the "physical" PMU: v4, 8 GP, 3 fixed
    } else {
      return sim_type{{true, true, 6}};
    }
  }
  sim_type cpu = make_cpu();
  perf_type perf{cpu, cpu.counter_width(), vpmu::low_mask(8)};
  pmu_type pmu;
  unsigned intercepted = 0, passed = 0;

  static vpmu::x86_guest_shape shape() {
    vpmu::x86_guest_shape s;
    s.vendor = intel ? vpmu::x86::vendor::intel : vpmu::x86::vendor::amd;
    s.version = intel ? 4 : 2;
    s.gp_counters = 4;
    return s;
  }
  vcpu() : pmu(make()) { pmu.load(); }
  pmu_type make() {
    const auto cfg = vpmu::validate_x86_config(shape(), cpu.caps()).value();
    if constexpr (emulated) {
      return pmu_type{perf, cfg};
    } else {
      return pmu_type{cpu, cfg};
    }
  }
  vpmu::msr_result wrmsr(std::uint32_t m, std::uint64_t v) {
    if (pmu.trap_config().passes_through(m)) {
      ++passed;
      return {0, cpu.try_wrmsr(m, v).fault};
    }
    ++intercepted;
    return pmu.on_wrmsr(m, v);
  }
  vpmu::msr_result rdmsr(std::uint32_t m) {
    if (pmu.trap_config().passes_through(m)) {
      ++passed;
      const auto o = cpu.try_rdmsr(m);
      return {o.value, o.fault};
    }
    ++intercepted;
    return pmu.on_rdmsr(m);
  }
  vpmu::msr_result rdpmc(std::uint32_t sel) {
    if (!pmu.trap_config().rdpmc_exiting) {
      ++passed;
      const auto o = cpu.try_rdpmc(sel);
      return {o.value, o.fault};
    }
    ++intercepted;
    return pmu.on_rdpmc(sel);
  }
  // The guest runs: VM entry loads the guest's GLOBAL_CTRL (Intel mediated, VMCS) or the host
  // perf stops its own events (emulated); VM exit undoes it.
  void events(std::uint32_t ev, std::uint64_t n) {
    if constexpr (emulated) {
      perf.enter_guest();
    } else if constexpr (intel) {
      cpu.wrmsr(vpmu::x86::ia32_perf_global_ctrl::msr.index, pmu.entry_global_ctrl());
    }
    cpu.set_mode({true, 0});
    retire(cpu, ev, n);
    cpu.set_mode({false, 0});
    if constexpr (emulated) {
      perf.exit_guest();
    } else if constexpr (intel) {
      cpu.wrmsr(vpmu::x86::ia32_perf_global_ctrl::msr.index, 0);
    }
    if (cpu.irq_pending()) {
      cpu.clear_irq();
      (void)pmu.on_host_overflow();
    }
  }
};

// --- the same program without KVM: on the simulator, and on the architectural model ------------
template <class Step>
void interpret(const std::vector<op>& ops, Step&& step) {
  std::size_t i = 0, loop_start = 0;
  std::uint64_t remaining = 0;
  while (i < ops.size() && ops[i].code != end) {
    const op& o = ops[i];
    if (o.code == loop) {
      remaining = o.b;
      loop_start = i + 1;
    } else if (o.code == endloop) {
      if (--remaining != 0) {
        i = loop_start;
        continue;
      }
    } else {
      step(i, o);
    }
    ++i;
  }
}

template <class Arch, class Policy>
outcome run_on_simulator(const std::vector<op>& ops) {
  vcpu<Arch, Policy> v;
  outcome out;
  interpret(ops, [&](std::size_t i, const op& o) {
    vpmu::msr_result r{};
    switch (o.code) {
      case wrmsr:
        r = v.wrmsr(o.a, o.b);
        if (r.fault) out.results.push_back(line(i, true, 0));
        break;
      case rdmsr:
        r = v.rdmsr(o.a);
        out.results.push_back(line(i, r.fault, r.value));
        break;
      case rdpmc:
        r = v.rdpmc(o.a);
        out.results.push_back(line(i, r.fault, r.value));
        break;
      case event: v.events(o.a, o.b); break;
      default: break;
    }
  });
  out.intercepted = v.intercepted;
  out.passed_through = v.passed;
  return out;
}

// The architecture's answer (the guest-shape model, fed directly), and the trap-map oracle: an
// access passes through only under mediated policies, only for a counter whose selector is
// programmed, and (lazy) only after the guest's first PMU access.
template <class Arch, class Policy>
std::pair<outcome, unsigned> run_on_architecture(const std::vector<op>& ops, bool mediated,
                                                 bool lazy) {
  // A stand-in CPU with the guest's shape (the model the policies keep, plus event retirement).
  typename vcpu<Arch, Policy>::sim_type model{
      vpmu::x86_vendor<Arch>::make_model(vcpu<Arch, Policy>::shape()).config()};
  outcome out;
  unsigned expected_intercepted = 0;
  bool touched = false;
  const vendor_msrs m{std::is_same_v<Arch, vpmu::arch::intel>};
  const auto in_use_counter = [&](std::uint32_t msr) {
    for (unsigned c = 0; c < 4; ++c) {
      const bool is_counter = msr == m.ctr(c) || (m.intel && msr == x86::msr::ia32_pmc0 + c) ||
                              (!m.intel && msr == x86::msr::amd_perf_ctr0 + c);
      if (is_counter && model.try_rdmsr(m.sel(c)).value != 0) return true;
    }
    for (unsigned c = 0; m.intel && c < 3; ++c) {  // fixed counters: their FIXED_CTR_CTRL nibble
      if (msr == x86::msr::ia32_fixed_ctr0 + c &&
          ((model.try_rdmsr(fixed_ctr_ctrl).value >> (4 * c)) & 0xf) != 0) {
        return true;
      }
    }
    return false;
  };
  interpret(ops, [&](std::size_t i, const op& o) {
    if (o.code == wrmsr || o.code == rdmsr || o.code == rdpmc) {
      const bool pass = mediated && (!lazy || touched) && o.code != rdpmc && in_use_counter(o.a);
      if (!pass) ++expected_intercepted;
      touched = true;
    }
    switch (o.code) {
      case wrmsr:
        if (model.try_wrmsr(o.a, o.b).fault) out.results.push_back(line(i, true, 0));
        break;
      case rdmsr: {
        const auto r = model.try_rdmsr(o.a);
        out.results.push_back(line(i, r.fault, r.value));
        break;
      }
      case rdpmc: {
        const auto r = model.try_rdpmc(o.a);
        out.results.push_back(line(i, r.fault, r.value));
        break;
      }
      case event:
        model.set_mode({true, 0});
        retire(model, o.a, o.b);
        break;
      default: break;
    }
  });
  return {out, expected_intercepted};
}

// --- KVM ----------------------------------------------------------------------------------------
struct fd {
  int v = -1;
  ~fd() {
    if (v >= 0) close(v);
  }
};

constexpr std::uint64_t mem_size = 2 << 20, code_at = 0x1000, gdt_at = 0x10000, idt_at = 0x11000,
                        pml4_at = 0x20000, table_at = 0x30000, stack_top = 0x1f0000;

bool setup_cpuid(int kvm, int vcpu_fd, bool intel) {
  std::vector<std::uint8_t> buf(sizeof(kvm_cpuid2) + 256 * sizeof(kvm_cpuid_entry2));
  auto* c = reinterpret_cast<kvm_cpuid2*>(buf.data());
  c->nent = 256;
  if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) < 0) return false;
  // The guest's PMU shape, as vpmu describes it (kvm-x86.md: KVM passes these leaves through).
  const auto shape = vcpu<vpmu::arch::intel, vpmu::policy::mediated>::shape();
  for (unsigned i = 0; i < c->nent; ++i) {
    kvm_cpuid_entry2& e = c->entries[i];
    if (e.function == 1) {
      e.ebx &= 0x00ffffff;           // APIC ID 0: deterministic output (pitfall 2)
      if (intel) e.ecx |= 1U << 15;  // PDCM: PERF_CAPABILITIES
    }
    if (e.function == 0xa && intel) {
      const vpmu::x86::cpuid_regs r = vpmu::x86::encode_intel_cpuid_0a(shape.intel_caps());
      e.eax = r.eax;
      e.ebx = r.ebx;
      e.ecx = r.ecx;
      e.edx = r.edx;
    }
    if (e.function == 0x80000001 && !intel) e.ecx |= 1U << 23;  // PerfCtrExtCore
  }
  if (!intel) {  // 0x80000022: PerfMonV2 with 4 counters
    kvm_cpuid_entry2& e = c->entries[c->nent++];
    e = {};
    e.function = 0x80000022;
    e.eax = 1;
    e.ebx = 4;
  }
  return ioctl(vcpu_fd, KVM_SET_CPUID2, c) == 0;
}

template <class Arch, class Policy>
int run_on_kvm(const std::vector<op>& ops, const std::vector<std::uint8_t>& guest, outcome& out) {
  constexpr bool intel = std::is_same_v<Arch, vpmu::arch::intel>;
  // VPMU_KVM_DEVICE lets a test point at a missing node to exercise the skip path.
  const char* device = std::getenv("VPMU_KVM_DEVICE");
  if (device == nullptr) device = "/dev/kvm";
  fd kvm{open(device, O_RDWR | O_CLOEXEC)};
  if (kvm.v < 0)
    return std::printf("SKIPPED: %s cannot be opened (%s)\n", device, std::strerror(errno)), skip;
  fd vm{ioctl(kvm.v, KVM_CREATE_VM, 0)};
  if (vm.v < 0)
    return std::printf("SKIPPED: KVM_CREATE_VM failed (%s)\n", std::strerror(errno)), skip;
  if (ioctl(kvm.v, KVM_CHECK_EXTENSION, KVM_CAP_X86_USER_SPACE_MSR) <= 0 ||
      ioctl(kvm.v, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER) <= 0) {
    return std::printf("SKIPPED: KVM lacks userspace MSR exits or MSR filters\n"), skip;
  }
  auto* mem = static_cast<std::uint8_t*>(
      mmap(nullptr, mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  kvm_userspace_memory_region region{0, 0, 0, mem_size, reinterpret_cast<std::uint64_t>(mem)};
  ioctl(vm.v, KVM_SET_USER_MEMORY_REGION, &region);
  kvm_enable_cap cap{};
  cap.cap = KVM_CAP_X86_USER_SPACE_MSR;
  cap.args[0] =
      KVM_MSR_EXIT_REASON_FILTER | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_INVAL;
  ioctl(vm.v, KVM_ENABLE_CAP, &cap);
  if (ioctl(kvm.v, KVM_CHECK_EXTENSION, KVM_CAP_PMU_CAPABILITY) > 0) {  // keep KVM's vPMU out
    kvm_enable_cap pmu_off{};
    pmu_off.cap = KVM_CAP_PMU_CAPABILITY;
    pmu_off.args[0] = KVM_PMU_CAP_DISABLE;
    ioctl(vm.v, KVM_ENABLE_CAP, &pmu_off);
  }
  // Deny every PMU MSR to the guest: each access exits to this VMM.
  static std::uint8_t deny[256] = {};
  const struct {
    std::uint32_t base, n;
  } ranges[] = {{x86::msr::ia32_pmc0, 8},
                {x86::msr::ia32_a_pmc0, 8},
                {x86::msr::ia32_perfevtsel0, 8},
                {x86::msr::ia32_fixed_ctr0, 4},
                {x86::ia32_perf_capabilities::msr.index, 1},
                {fixed_ctr_ctrl, 6},               // FIXED_CTR_CTRL .. GLOBAL_INUSE (0x38d-0x392)
                {x86::msr::amd_perf_evt_sel0, 8},  // legacy PerfEvtSel0-3, PerfCtr0-3
                {x86::msr::amd_perf_ctl0, 12},     // core-extension CTL/CTR pairs 0-5
                {x86::amd64_perf_cntr_global_status::msr.index, 4}};  // PerfMonV2 global registers
  kvm_msr_filter filter{};
  filter.flags = KVM_MSR_FILTER_DEFAULT_ALLOW;
  for (unsigned i = 0; i < std::size(ranges); ++i) {
    filter.ranges[i].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
    filter.ranges[i].nmsrs = ranges[i].n;
    filter.ranges[i].base = ranges[i].base;
    filter.ranges[i].bitmap = deny;
  }
  // From here on KVM is usable: a refusal is this VMM's (or vpmu's) fault, not a reason to skip.
  if (ioctl(vm.v, KVM_X86_SET_MSR_FILTER, &filter) < 0)
    return std::printf("FAILED: KVM_X86_SET_MSR_FILTER (%s)\n", std::strerror(errno)), 1;
  fd vcpu_fd{ioctl(vm.v, KVM_CREATE_VCPU, 0)};
  const int run_size = ioctl(kvm.v, KVM_GET_VCPU_MMAP_SIZE, 0);
  auto* run = static_cast<kvm_run*>(mmap(nullptr, static_cast<std::size_t>(run_size),
                                         PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd.v, 0));
  if (vcpu_fd.v < 0 || run == MAP_FAILED) {
    return std::printf("FAILED: vCPU creation (%s)\n", std::strerror(errno)), 1;
  }
  if (!setup_cpuid(kvm.v, vcpu_fd.v, intel)) {
    return std::printf("FAILED: KVM refused the CPUID leaves vpmu encoded (%s)\n",
                       std::strerror(errno)),
           1;
  }

  // Long mode: identity-mapped 2 MiB, GDT (code 0x8, data 0x10), IDT with #GP -> handler.
  std::memcpy(mem + code_at, guest.data(), guest.size());
  std::memcpy(mem + table_at, ops.data(), ops.size() * sizeof(op));
  const std::uint64_t gdt[3] = {0, 0x00af9b000000ffffULL, 0x00cf93000000ffffULL};
  std::memcpy(mem + gdt_at, gdt, sizeof gdt);
  const std::uint64_t handler = code_at + 0x10;
  std::uint64_t gate[2] = {
      (handler & 0xffff) | (0x8ULL << 16) | (0x8eULL << 40) | (((handler >> 16) & 0xffff) << 48),
      handler >> 32};
  std::memcpy(mem + idt_at + 13 * 16, gate, sizeof gate);
  auto* pt = reinterpret_cast<std::uint64_t*>(mem + pml4_at);
  pt[0] = (pml4_at + 0x1000) | 3;
  pt[512] = (pml4_at + 0x2000) | 3;
  pt[1024] = 0x83;  // 2 MiB page at 0
  kvm_sregs sregs{};
  ioctl(vcpu_fd.v, KVM_GET_SREGS, &sregs);
  sregs.cr3 = pml4_at;
  sregs.cr4 = 0x20;
  sregs.cr0 = 0x80000033;
  sregs.efer = 0x500;
  sregs.gdt = {gdt_at, 23, {}};
  sregs.idt = {idt_at, 32 * 16 - 1, {}};
  kvm_segment code{0, 0xffffffff, 0x8, 11, 1, 0, 1, 0, 1, 1, 1, 0, {}};
  kvm_segment data{0, 0xffffffff, 0x10, 3, 1, 0, 1, 1, 0, 1, 1, 0, {}};
  sregs.cs = code;
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
  ioctl(vcpu_fd.v, KVM_SET_SREGS, &sregs);
  kvm_regs regs{};
  regs.rip = code_at;
  regs.rsp = stack_top;
  regs.rflags = 2;
  ioctl(vcpu_fd.v, KVM_SET_REGS, &regs);

  vcpu<Arch, Policy> v;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (ioctl(vcpu_fd.v, KVM_RUN, 0) < 0)
      return std::printf("FAIL: KVM_RUN: %s\n", std::strerror(errno)), 1;
    ++out.exits;
    if (run->exit_reason == KVM_EXIT_HLT) break;
    if (run->exit_reason == KVM_EXIT_X86_RDMSR) {
      const vpmu::msr_result r = v.rdmsr(run->msr.index);
      run->msr.data = r.value;
      run->msr.error = r.fault ? 1 : 0;
    } else if (run->exit_reason == KVM_EXIT_X86_WRMSR) {
      run->msr.error = v.wrmsr(run->msr.index, run->msr.data).fault ? 1 : 0;
    } else if (run->exit_reason == KVM_EXIT_IO) {
      kvm_regs g{};
      ioctl(vcpu_fd.v, KVM_GET_REGS, &g);
      switch (run->io.port) {
        case 0xe0:
          out.results.push_back(line(g.r12, false, (g.rdx << 32) | (g.rax & 0xffffffff)));
          break;
        case 0xec: out.results.push_back(line(g.r12, true, 0)); break;
        case 0xed: {  // RDPMC, reached through the guest's #GP handler
          const vpmu::msr_result r = v.rdpmc(static_cast<std::uint32_t>(g.rcx));
          if (r.fault) {
            out.results.push_back(line(g.r12, true, 0));
            // the guest's RDPMC faulted: its report of a value is then dropped below
          }
          g.rax = r.value & 0xffffffff;
          g.rdx = r.value >> 32;
          ioctl(vcpu_fd.v, KVM_SET_REGS, &g);
          break;
        }
        case 0xee: v.events(static_cast<std::uint32_t>(g.rcx), g.rdx); break;
        default: break;
      }
    } else {
      return std::printf("FAIL: unexpected exit %u\n", run->exit_reason), 1;
    }
  }
  const auto ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  out.ns_per_exit = ns / out.exits;
  out.intercepted = v.intercepted;
  out.passed_through = v.passed;
  munmap(run, static_cast<std::size_t>(run_size));
  munmap(mem, mem_size);
  return 0;
}

std::vector<std::uint8_t> load_guest() {
  std::vector<std::uint8_t> bytes;
  if (FILE* f = std::fopen(VPMU_KVM_GUEST_BIN, "rb")) {
    int c;
    while ((c = std::fgetc(f)) != EOF)
      bytes.push_back(static_cast<std::uint8_t>(c));
    std::fclose(f);
  }
  return bytes;
}

// A faulting RDPMC reports "#GP" and then, from the interpreter, a value line: the value line of
// the same op is not a guest-visible result (the guest only sees the fault), so drop it.
void normalize(std::vector<std::string>& r) {
  std::vector<std::string> out;
  for (const std::string& s : r) {
    if (!out.empty() && out.back().size() > 4 &&
        out.back().substr(out.back().size() - 3) == "#GP" &&
        s.substr(0, s.find(':')) == out.back().substr(0, out.back().find(':'))) {
      continue;
    }
    out.push_back(s);
  }
  r = out;
}

// print: 2 = every result and the summary, 1 = the summary, 0 = only failures.
template <class Arch, class Policy>
int run_one(unsigned program, const char* policy_name, int print, outcome* kvm_out) {
  const vendor_msrs m{std::is_same_v<Arch, vpmu::arch::intel>};
  const std::vector<op> ops = kvm_example::program(program, m);
  const std::vector<std::uint8_t> guest = load_guest();
  if (guest.empty()) return std::printf("FAIL: cannot read %s\n", VPMU_KVM_GUEST_BIN), 1;
  outcome kvm;
  const int rc = run_on_kvm<Arch, Policy>(ops, guest, kvm);
  if (rc != 0) return rc;
  normalize(kvm.results);
  const outcome sim = run_on_simulator<Arch, Policy>(ops);
  const bool mediated = std::string(policy_name).find("mediated") != std::string::npos;
  const auto [arch, expected_intercepted] = run_on_architecture<Arch, Policy>(
      ops, mediated, std::string(policy_name).rfind("lazy", 0) == 0);
  if (kvm_out != nullptr) *kvm_out = kvm;
  int failures = 0;
  if (kvm.results != sim.results)
    ++failures, std::printf("FAIL: KVM results differ from the simulator run\n");
  if (kvm.results != arch.results)
    ++failures, std::printf("FAIL: KVM results differ from the architecture\n");
  if (kvm.intercepted != expected_intercepted) {
    ++failures;
    std::printf("FAIL: %u intercepted accesses, the trap map says %u\n", kvm.intercepted,
                expected_intercepted);
  }
  if (print >= 2 || failures != 0) {
    for (std::size_t i = 0; i < kvm.results.size(); ++i) {
      std::printf("  %-28s %s\n", kvm.results[i].c_str(),
                  i < arch.results.size() ? arch.results[i].c_str() : "-");
    }
  }
  if (print == 0 && failures == 0) return 0;
  std::printf(
      "%s %s %s: %zu results identical to the simulator and the architecture: %s; "
      "intercepted %u (= VM exits on real hardware), passed through %u, %u KVM exits\n",
      m.intel ? "intel" : "amd", policy_name, program_name(program), kvm.results.size(),
      failures == 0 ? "yes" : "NO", kvm.intercepted, kvm.passed_through, kvm.exits);
  return failures == 0 ? 0 : 1;
}

template <class Arch>
int dispatch_policy(const std::string& policy, unsigned program, int print, outcome* out) {
  if (policy == "emulated")
    return run_one<Arch, vpmu::policy::emulated>(program, "emulated", print, out);
  if (policy == "mediated")
    return run_one<Arch, vpmu::policy::mediated>(program, "mediated", print, out);
  if (policy == "lazy_mediated") {
    return run_one<Arch, vpmu::policy::lazy<vpmu::policy::mediated>>(program, "lazy_mediated",
                                                                     print, out);
  }
  return std::printf("unknown policy %s\n", policy.c_str()), 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "table";
  if (what == "table") {  // every combination: the exit-count table of the demo
    std::printf(
        "| vendor | policy | program | intercepted (exits on VMX/SVM) | passed through | KVM exits "
        "here | ns per exit here* |\n|---|---|---|---|---|---|---|\n");
    int rc = 0;
    for (const char* vendor : {"intel", "amd"}) {
      for (const char* policy : {"emulated", "mediated", "lazy_mediated"}) {
        for (unsigned p = 1; p <= 4; ++p) {
          outcome o;
          const int r = std::string(vendor) == "intel"
                            ? dispatch_policy<vpmu::arch::intel>(policy, p, 0, &o)
                            : dispatch_policy<vpmu::arch::amd>(policy, p, 0, &o);
          if (r == skip) return std::printf("(skipped: /dev/kvm is missing or unusable)\n"), skip;
          rc |= r;
          std::printf("| %s | %s | %s | %u | %u | %u | %.0f |\n", vendor, policy, program_name(p),
                      o.intercepted, o.passed_through, o.exits, o.ns_per_exit);
        }
      }
    }
    std::printf(
        "\n* measured on this machine's nested, software-virtualized KVM (kvm_pvm), not "
        "VMX/SVM.\n");
    return rc;
  }
  if (argc < 4)
    return std::printf(
               "usage: vmm table | vmm <intel|amd> <emulated|mediated|lazy_mediated> <1-4>\n"),
           2;
  const unsigned program = static_cast<unsigned>(std::atoi(argv[3]));
  if (program < 1 || program > 4) return 2;
  if (what == "intel") return dispatch_policy<vpmu::arch::intel>(argv[2], program, 2, nullptr);
  if (what == "amd") return dispatch_policy<vpmu::arch::amd>(argv[2], program, 2, nullptr);
  return 2;
}
