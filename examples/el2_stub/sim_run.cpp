// SPDX-License-Identifier: MIT
// The EL2 stub's scenarios on vpmu's Arm simulator (the architecture's answer), and the
// differential check against a QEMU run of the real stub.
//
//   vpmu_el2_sim <max|cortex-a57>                       print the simulator's transcript
//   vpmu_el2_sim <max|cortex-a57> --compare QEMU_OUTPUT  compare; exit 0 when they agree
//   vpmu_el2_sim <max|cortex-a57> --check-deviations     also check the host's counter after
//                                                        the deviations scenario
//
// Every transcript line must be identical, except the known deviations of QEMU 7.2 listed in
// `qemu_deviations` below -- each of which must then deviate exactly as listed, so the list
// cannot silently grow or go stale.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "hypervisor.hpp"
#include "qemu_deviations.hpp"

#include <vpmu/host/host_perf.hpp>
#include <vpmu/sim/amd_pmu.hpp>
#include <vpmu/sim/arm_pmuv3.hpp>
#include <vpmu/sim/intel_pmu.hpp>

namespace {

namespace a64 = vpmu::arm64;
using vpmu::sim::arm_pmuv3;
using vpmu::sim::el;
using vpmu::sim::outcome;

// The CPU models the test runs QEMU with (QEMU 7.2 target/arm/cpu64.c: both have N = 6;
// "max" is PMUv3p5 with 64-bit event counters, cortex-a57 PMUv3 with 32-bit ones).
vpmu::sim::arm_pmu_config cpu_model(const std::string& name) {
  if (name == "cortex-a57") return {6, a64::pmuver::imp, false, 0, false, 0x41};
  return {6, a64::pmuver::v3p5, false, 0, false, 0x41};
}

// Instructions the EL2 handler retires per trap and per interrupt on the simulator. The host's
// counter only has to grow; its exact count is not compared (QEMU's handlers are compiled code).
constexpr std::uint64_t handler_instructions = 100;

class sim_machine {
 public:
  // capture: where print() appends the transcript (nullptr: stdout).
  explicit sim_machine(const vpmu::sim::arm_pmu_config& c, std::string* capture = nullptr)
      : cpu_(c), capture_(capture) {
    cpu_.set_el(el::el2);
  }

  arm_pmuv3& regs() { return cpu_; }
  a64::pmu_caps caps() const { return cpu_.caps(); }
  auto make_host_perf(unsigned host_counter) {
    return vpmu::host_perf<vpmu::arch::arm64, arm_pmuv3>{cpu_, cpu_.counter_width(),
                                                         vpmu::low_mask(host_counter)};
  }
  void print(const el2_stub::line& l) {
    if (capture_ == nullptr) {
      std::printf("%s\n", l.text);
      return;
    }
    capture_->append(l.text);
    capture_->push_back('\n');
  }

  // The guest, as G of the guest programs: each access executes at EL1 or traps to EL2.
  template <class Runner>
  struct guest {
    sim_machine& m;
    Runner& runner;
    bool undefined_ = false;
    bool ppi_enabled = true;

    std::uint64_t read(a64::sysreg_encoding e) { return access(e, true, 0); }
    void write(a64::sysreg_encoding e, std::uint64_t v) { (void)access(e, false, v); }
    [[nodiscard]] bool undefined() const { return undefined_; }
    // MOV + k × (SUBS, B.NE) between the two reads.
    std::pair<std::uint64_t, std::uint64_t> counted_loop(std::uint64_t k) {
      const std::uint64_t before = read(a64::pmevcntr_el0<0>::encoding);
      m.cpu_.set_el(el::el1);
      m.cpu_.instructions(1 + 2 * k);
      m.cpu_.set_el(el::el2);
      return {before, read(a64::pmevcntr_el0<0>::encoding)};
    }

    std::uint64_t access(a64::sysreg_encoding e, bool is_read, std::uint64_t v) {
      m.cpu_.set_el(el::el1);
      const auto o = is_read ? m.cpu_.guest_read(el::el1, e) : m.cpu_.guest_write(el::el1, e, v);
      m.cpu_.set_el(el::el2);
      undefined_ = false;
      std::uint64_t value = o.value;
      if (o.kind == outcome::trap_el2) {
        m.cpu_.instructions(handler_instructions);
        const vpmu::sysreg_result r = runner.on_trap(o.esr, v);
        undefined_ = r.undefined;
        value = r.value;
      } else if (o.kind != outcome::executed) {
        undefined_ = true;
      }
      // The PMU interrupt (PPI 23) is taken at EL2 as soon as it is pending, as QEMU with
      // -icount delivers an overflow caused by an instruction; the stub then disables the PPI
      // for the rest of the scenario (it records, it does not inject).
      if (ppi_enabled && m.cpu_.irq_pending()) {
        ppi_enabled = false;
        m.cpu_.instructions(handler_instructions);
        runner.on_pmu_interrupt();
      }
      // The MRS/MSR itself retires at EL1 after its access -- also when it trapped and EL2
      // completed it (ELR_EL2 + 4). The architecture leaves it to the implementation whether
      // an access the hypervisor emulated counts as retired in the guest; this is what QEMU
      // 7.2's icount-based INST_RETIRED does (and what x86 KVM does for instructions it
      // emulates), so the counts can be compared exactly.
      m.cpu_.set_el(el::el1);
      m.cpu_.instructions(1);
      m.cpu_.set_el(el::el2);
      return value;
    }
  };

  template <class Runner, class Program>
  void run_guest(Runner& runner, Program&& program) {
    guest<Runner> g{*this, runner};
    program(g);
    cpu_.instructions(handler_instructions);  // the hypervisor's own work between scenarios
  }

 private:
  arm_pmuv3 cpu_;
  std::string* capture_;
};

// --- the differential check -------------------------------------------------------------------

// Where QEMU 7.2's known deviations (qemu_deviations.hpp) show in this transcript. They show
// only where the guest runs untrapped next to the host's counter: the partitioned policies
// on "max" (PMUv3p5 without FEAT_FGT: the policy's untrapped fallback), and the deviations
// scenario, which exists to exercise them. Key: the transcript line; `qemu`: what QEMU shows
// instead of the architecture's answer.
struct deviation {
  const char* key;
  const char* qemu;
  const char* name;  // in qemu_deviations.hpp
};
constexpr deviation qemu_deviations[] = {
    {"partitioned pmcntenset", "0x23", "pmcnten-above-hpmn"},
    {"lazy_partitioned pmcntenset", "0x23", "pmcnten-above-hpmn"},
    {"deviations pmcntenset", "0x20", "pmcnten-above-hpmn"},
    {"deviations pmevcntr_host", "0x1", "pmevcntr-above-hpmn"},
    {"deviations hyp.host_enabled", "0x0", "pmcnten-above-hpmn"},
    {"deviations hyp.host_count_kept", "0x0", "pmcr-p-above-hpmn"},
    {"deviations hyp.traps", "0x0", "tpmcr-not-trapped"},
};
// Every line above names a deviation that exists.
constexpr bool all_named = [] {
  for (const deviation& d : qemu_deviations) {
    if (el2_stub::find_qemu_deviation(d.name) == nullptr) return false;
  }
  return true;
}();
static_assert(all_named, "sim_run.cpp: a deviation not in qemu_deviations.hpp");

std::string_view rule_of(const deviation& d) {
  return el2_stub::find_qemu_deviation(d.name)->rule;
}

std::map<std::string, std::string> parse(const std::string& text) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string l = text.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t eq = l.find(" = ");
    if (l.empty() || l[0] == '#' || eq == std::string::npos) continue;
    out[l.substr(0, eq)] = l.substr(eq + 3);
  }
  return out;
}

// untrapped: whether the partitioned policies run the guest untrapped on this model (only then
// can a deviation show); elsewhere every line must be identical.
int compare(const std::string& arch_text, const std::string& qemu_text, bool untrapped) {
  const auto arch = parse(arch_text);
  const auto qemu = parse(qemu_text);
  int bad = 0;
  if (arch.empty()) ++bad, std::printf("FAIL: the simulator printed no transcript\n");
  for (const auto& [key, value] : arch) {
    const auto q = qemu.find(key);
    const deviation* d = nullptr;
    for (const auto& x : qemu_deviations) {
      if (untrapped && key == x.key) d = &x;
    }
    if (q == qemu.end()) {
      std::printf("FAIL: %s: missing from QEMU's output\n", key.c_str());
      ++bad;
    } else if (d != nullptr) {
      if (q->second != d->qemu || q->second == value) {
        std::printf(
            "FAIL: %s: listed deviation did not show as listed (architecture %s, QEMU %s, "
            "listed %s): %s: %.*s\n",
            key.c_str(), value.c_str(), q->second.c_str(), d->qemu, d->name,
            static_cast<int>(rule_of(*d).size()), rule_of(*d).data());
        ++bad;
      } else {
        std::printf("known QEMU 7.2 deviation %s: %s = %s (architecture: %s)\n", d->name,
                    key.c_str(), q->second.c_str(), value.c_str());
      }
    } else if (q->second != value) {
      std::printf("FAIL: %s: QEMU %s, simulator %s\n", key.c_str(), q->second.c_str(),
                  value.c_str());
      ++bad;
    }
  }
  for (const auto& [key, value] : qemu) {
    if (arch.find(key) == arch.end()) {
      std::printf("FAIL: %s: only in QEMU's output\n", key.c_str());
      ++bad;
    }
  }
  // A listed deviation whose line no longer exists is stale: the list must be kept exact.
  for (const auto& x : qemu_deviations) {
    if (untrapped && arch.find(x.key) == arch.end()) {
      std::printf("FAIL: listed deviation %s: no such transcript line\n", x.key);
      ++bad;
    }
  }
  if (qemu_text.find("# FAIL") != std::string::npos) {
    std::printf("FAIL: the stub reported a failure under QEMU\n");
    ++bad;
  }
  std::printf("%s: %zu transcript lines compared\n", bad == 0 ? "PASS" : "FAIL", arch.size());
  return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: vpmu_el2_sim <max|cortex-a57> [--compare QEMU_OUTPUT | "
                 "--check-deviations]\n");
    return 2;
  }
  const std::string model = argv[1];
  if (argc == 2) {
    sim_machine m{cpu_model(model)};
    el2_stub::hypervisor<sim_machine> h{m};
    return h.run_all() == 0 ? 0 : 1;
  }
  if (argc == 3 && std::strcmp(argv[2], "--check-deviations") == 0) {
    // The architecture's answer to the deviations scenario: the host's counter stays intact.
    sim_machine m{cpu_model(model)};
    el2_stub::hypervisor<sim_machine> h{m, true};
    return h.run_all() == 0 ? 0 : 1;
  }
  if (argc != 4 || std::strcmp(argv[2], "--compare") != 0) return 2;
  std::ifstream in(argv[3]);
  const std::string qemu_text{std::istreambuf_iterator<char>(in), {}};
  std::string arch_text;
  sim_machine m{cpu_model(model), &arch_text};
  el2_stub::hypervisor<sim_machine> h{m};
  if (h.run_all() != 0) {
    std::printf("FAIL: the host's counter was disturbed on the simulator\n%s", arch_text.c_str());
    return 1;
  }
  return compare(arch_text, qemu_text, model == "max");
}
