// SPDX-License-Identifier: MIT
// A register file from outside the vCPU (a migration stream, a saved state from another policy)
// is judged exactly as the guest's own writes would be: each value is written through the model's
// access rules at EL1 on a fresh model of the same shape, and must come back unchanged. So a value
// a guest could never have left behind is refused, naming the register and the field: PMCR_EL0.P
// or C (actions, never stored: from EL2 P would reset the host's counters too), bits of counters
// the guest does not have, unsupported PMEVTYPER filters, a 64-bit value in a 32-bit counter,
// registers vpmu does not expose (PMUACR, PMICNTR, PMICFILTR: UNDEFINED to the guest).
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/pmu_families.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/core/reg_value.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/core/supported.hpp"
#include "vpmu/model/arm64_pmu.hpp"

namespace vpmu::model {

namespace detail {

// Writes `want` to the register at `e` as the guest would, and checks that `stored` (where the
// model keeps it) then holds exactly `want`.
template <class R>
constexpr result<bool> replay(arm64_pmu& probe, std::uint64_t want,
                              std::uint64_t arm64_registers::*stored) {
  (void)probe.access(el::el1, R::encoding, false, want);
  const std::uint64_t bad = want ^ (probe.registers().*stored);
  if (bad == 0) return true;
  return error{errc::unsupported, R::register_name, field_name_at<layout_of_t<R>>(bad), bad};
}
// A register the guest cannot write (absent, or not exposed) must hold what a fresh PMU holds.
constexpr result<bool> untouched(const char* name, std::uint64_t value, std::uint64_t reset) {
  if (value == reset) return true;
  return error{errc::not_implemented, name, nullptr, value ^ reset};
}

}  // namespace detail

[[nodiscard]] constexpr result<bool> check_guest_registers(const arm64_pmu_config& shape,
                                                           const arm64_registers& s) {
  using namespace arm64;
  using detail::replay;
  arm64_pmu probe{shape};
  const arm64_registers reset = probe.registers();
  using r = arm64_registers;
  // PMCR first: its P and C would reset counters written after it.
  result<bool> ok = replay<pmcr_el0>(probe, s.pmcr, &r::pmcr);
  if (ok) ok = replay<pmcntenset_el0>(probe, s.cnten, &r::cnten);
  if (ok) ok = replay<pmintenset_el1>(probe, s.inten, &r::inten);
  if (ok) ok = replay<pmovsset_el0>(probe, s.ovs, &r::ovs);
  if (ok) ok = replay<pmuserenr_el0>(probe, s.pmuserenr, &r::pmuserenr);
  if (ok) ok = replay<pmccntr_el0>(probe, s.ccntr, &r::ccntr);
  if (ok) ok = replay<pmccfiltr_el0>(probe, s.ccfiltr, &r::ccfiltr);
  for (unsigned n = 0; ok && n < max_event_counters; ++n) {
    if (n < probe.config().counters) {
      (void)probe.access(el::el1, pmevtyper_encoding_unchecked(n), false, s.evtyper[n]);
      const std::uint64_t typer_bad = s.evtyper[n] ^ probe.registers().evtyper[n];
      if (typer_bad != 0) {
        ok = error{errc::unsupported, "PMEVTYPER<n>_EL0", field_name_at<pmevtypern_el0>(typer_bad),
                   typer_bad};
        break;
      }
      (void)probe.access(el::el1, pmevcntr_encoding_unchecked(n), false, s.evcntr[n]);
      if (s.evcntr[n] != probe.registers().evcntr[n]) {
        ok = error{errc::value_too_wide, "PMEVCNTR<n>_EL0", "EVCNT",
                   s.evcntr[n] ^ probe.registers().evcntr[n]};
      }
    } else if (s.evtyper[n] != 0 || s.evcntr[n] != 0) {
      ok = error{errc::index_out_of_range, "PMEVTYPER<n>_EL0 / PMEVCNTR<n>_EL0", "n", n};
    }
  }
  if (ok) ok = detail::untouched("PMUACR_EL1", s.pmuacr, reset.pmuacr);
  if (ok) ok = detail::untouched("PMICNTR_EL0", s.icntr, reset.icntr);
  if (ok) ok = detail::untouched("PMICFILTR_EL0", s.icfiltr, reset.icfiltr);
  // PMSELR last: PMXEVTYPER was not used above, so its value decides nothing else.
  if (ok) ok = replay<pmselr_el0>(probe, s.pmselr, &r::pmselr);
  return ok;
}

}  // namespace vpmu::model
