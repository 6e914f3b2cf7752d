// SPDX-License-Identifier: MIT
// Reads through the hardware backends of registers known at compile time. Each function must
// compile to the single expected instruction (plus the MSR index load on x86 and the return);
// check_backend.sh disassembles this file and checks that.
#include <cstdint>

#if defined(__x86_64__)
#include "vpmu/access/x86_hw.hpp"
#include "vpmu/arch/x86.hpp"

extern "C" std::uint64_t vpmu_read_perfevtsel3() {
  return vpmu::x86::hw_access::read<vpmu::x86::ia32_perfevtsel<3>>();
}
extern "C" void vpmu_write_global_ctrl(std::uint64_t v) {
  vpmu::x86::hw_access::write<vpmu::x86::ia32_perf_global_ctrl>(v);
}
#elif defined(__aarch64__)
#include "vpmu/access/arm64_hw.hpp"
#include "vpmu/arch/arm64.hpp"

extern "C" std::uint64_t vpmu_read_pmcr() {
  return vpmu::arm64::hw_access::read<vpmu::arm64::pmcr_el0>();
}
extern "C" std::uint64_t vpmu_read_pmevtyper5() {
  return vpmu::arm64::hw_access::read<vpmu::arm64::pmevtyper_el0<5>>();
}
extern "C" void vpmu_write_mdcr(std::uint64_t v) {
  vpmu::arm64::hw_access::write<vpmu::arm64::mdcr_el2>(v);
}
#endif
