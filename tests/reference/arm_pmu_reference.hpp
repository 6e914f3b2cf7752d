// SPDX-License-Identifier: MIT
// An independent reference for what an arm64 guest observes of its PMUv3 (EL0/EL1, no EL2 in its
// way), written for the property worlds from the Arm ARM (DDI 0487 M.a.a) and not from vpmu's
// model: no vpmu header but the plain register-file struct it fills is used, every encoding, bit
// and mask is spelled out here, and each register is one row of a table (slow and simple).
//
// Sources: D24.5 (each register's fields and its MRS/MSR access pseudocode: UNDEFINED, the EL0
// checks of PMUSERENR_EL0 and the EC 0x18 trap to EL1), D24.1-D24.4 (counting, overflow, CHAIN,
// PMCR_EL0.D/LC/LP, FZO), D24.11 (common event numbers).
//
// Choices where the architecture leaves freedom, the same as vpmu documents for the guests it
// builds: PMXEVCNTR/PMXEVTYPER with SEL beyond N (and PMXEVCNTR with SEL = 31) are UNDEFINED
// (CONSTRAINED UNPREDICTABLE); PMUACR_EL1, PMZR_EL0, PMICNTR_EL0, PMICFILTR_EL0 are not given to
// guests (UNDEFINED); PMCEID0 advertises SW_INCR, INST_RETIRED, CPU_CYCLES, CHAIN; no EL3, so
// NSK/NSU/M/SH/RL* and MT are stored but filter nothing.
#pragma once

#include <cstdint>

#include "vpmu/model/arm64_pmu.hpp"  // only for the register-file struct the worlds compare

namespace reference {

enum class level : std::uint8_t { el0, el1 };
enum class result_kind : std::uint8_t { executed, trap_el1, undefined };

struct access_result {
  result_kind kind = result_kind::executed;
  std::uint64_t value = 0;
  std::uint32_t esr = 0;
};

// PMUVer values (ID_AA64DFR0_EL1.PMUVer): 1 PMUv3, 4 v3p1, 5 v3p4, 6 v3p5, 7 v3p7, 8 v3p8, 9 v3p9.
inline constexpr unsigned v3p1 = 4, v3p4 = 5, v3p5 = 6, v3p7 = 7;

class arm_pmu {
 public:
  using registers_type = vpmu::model::arm64_registers;

  // A hypervisor's event filter hides the events it denies from PMCEID (what Linux's
  // kvm_pmu_get_pmceid does): keep only the advertised events in `allowed`.
  void advertise_only(std::uint64_t allowed) { ceid0_ &= allowed; }
  arm_pmu(unsigned counters, unsigned pmuver) : n_(counters), ver_(pmuver) {
    r_ = {};
    r_.pmcr = bit(6);  // LC resets to 1 on an AArch64-only PE (D24.5 PMCR_EL0.LC)
  }

  [[nodiscard]] const registers_type& registers() const { return r_; }
  void replace_registers(const registers_type& r) { r_ = r; }

  // MRS / MSR from the guest's EL0 or EL1, with Rt = rt (reported in a trap's syndrome).
  access_result read(level at, unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                     unsigned rt) {
    return access(at, {op0, op1, crn, crm, op2}, true, 0, rt);
  }
  access_result write(level at, unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                      unsigned op2, std::uint64_t v, unsigned rt) {
    return access(at, {op0, op1, crn, crm, op2}, false, v, rt);
  }

  // `count` occurrences of event `event` at `at` (and, for CPU_CYCLES, as many processor cycles).
  void run(level at, std::uint16_t event, std::uint64_t count) {
    if (count == 0) return;
    for (unsigned i = 0; i < n_; ++i) {
      const std::uint16_t ev = event_of(i);
      if (ev == event && ev != 0x00 && ev != 0x1e && counts(i, at)) add(i, count);
    }
    if (event == 0x11 && cycle_counts(at)) add_cycles(count);
  }

  // The interrupt request: some PMOVS bit with its PMINTEN bit set, and PMCR_EL0.E.
  [[nodiscard]] bool irq_pending() const {
    return (r_.pmcr & 1) != 0 && (r_.ovs & r_.inten & counter_bits()) != 0;
  }

 private:
  struct enc {
    unsigned op0, op1, crn, crm, op2;
  };
  enum class reg : std::uint8_t {
    pmcr,
    cntenset,
    cntenclr,
    ovsclr,
    ovsset,
    swinc,
    selr,
    ceid0,
    ceid1,
    ccntr,
    xevtyper,
    xevcntr,
    userenr,
    intenset,
    intenclr,
    ovsset2,
    mmir,
    ccfiltr,
    evcntr,
    evtyper,
    absent
  };
  // EL0's permission for a register (PMUSERENR_EL0: EN bit 0, SW 1, CR 2, ER 3).
  enum class el0_rule : std::uint8_t { en, sw, cr_read, er_read, er, never };
  struct row {
    reg r;
    unsigned op0, op1, crn, crm, op2;
    bool readable, writable;
    el0_rule el0;
  };
  // D24.5: the PMU registers a guest has, with their encodings (op0, op1, CRn, CRm, op2).
  static constexpr row table[] = {
      {reg::pmcr, 3, 3, 9, 12, 0, true, true, el0_rule::en},
      {reg::cntenset, 3, 3, 9, 12, 1, true, true, el0_rule::en},
      {reg::cntenclr, 3, 3, 9, 12, 2, true, true, el0_rule::en},
      {reg::ovsclr, 3, 3, 9, 12, 3, true, true, el0_rule::en},
      {reg::swinc, 3, 3, 9, 12, 4, false, true, el0_rule::sw},
      {reg::selr, 3, 3, 9, 12, 5, true, true, el0_rule::er},
      {reg::ceid0, 3, 3, 9, 12, 6, true, false, el0_rule::en},
      {reg::ceid1, 3, 3, 9, 12, 7, true, false, el0_rule::en},
      {reg::ccntr, 3, 3, 9, 13, 0, true, true, el0_rule::cr_read},
      {reg::xevtyper, 3, 3, 9, 13, 1, true, true, el0_rule::en},
      {reg::xevcntr, 3, 3, 9, 13, 2, true, true, el0_rule::er_read},
      {reg::userenr, 3, 3, 9, 14, 0, true, true, el0_rule::en},
      {reg::intenset, 3, 0, 9, 14, 1, true, true, el0_rule::never},
      {reg::intenclr, 3, 0, 9, 14, 2, true, true, el0_rule::never},
      {reg::ovsset, 3, 3, 9, 14, 3, true, true, el0_rule::en},
      {reg::mmir, 3, 0, 9, 14, 6, true, false, el0_rule::never},
      {reg::ccfiltr, 3, 3, 14, 15, 7, true, true, el0_rule::en},
  };

  static constexpr std::uint64_t bit(unsigned b) { return std::uint64_t{1} << b; }
  static constexpr std::uint64_t ones(unsigned w) { return w >= 64 ? ~0ULL : bit(w) - 1; }

  [[nodiscard]] std::uint64_t counter_bits() const { return ones(n_) | bit(31); }
  [[nodiscard]] bool v(unsigned at_least) const { return ver_ >= at_least; }
  [[nodiscard]] unsigned sel() const { return static_cast<unsigned>(r_.pmselr & 31); }

  // Which register an encoding names (with the PMEVCNTR<n>/PMEVTYPER<n> index in *n).
  static const row* find(enc e, unsigned* n) {
    if (e.op0 == 3 && e.op1 == 3 && e.crn == 14 && e.crm >= 8) {
      *n = ((e.crm & 3) << 3) | e.op2;
      if (e.crm >= 12 && *n == 31) return &table[16];  // PMCCFILTR_EL0
      static constexpr row evcntr{reg::evcntr, 3, 3, 14, 8, 0, true, true, el0_rule::er_read};
      static constexpr row evtyper{reg::evtyper, 3, 3, 14, 12, 0, true, true, el0_rule::en};
      if (*n == 31) return nullptr;
      return e.crm >= 12 ? &evtyper : &evcntr;
    }
    for (const row& r : table) {
      if (r.op0 == e.op0 && r.op1 == e.op1 && r.crn == e.crn && r.crm == e.crm && r.op2 == e.op2)
        return &r;
    }
    return nullptr;
  }

  access_result access(level at, enc e, bool is_read, std::uint64_t value, unsigned rt) {
    unsigned n = 0;
    const row* r = find(e, &n);
    const access_result undef{result_kind::undefined, 0, 0};
    if (r == nullptr || !(is_read ? r->readable : r->writable)) return undef;
    if (r->r == reg::mmir && !v(v3p4)) return undef;
    if ((r->r == reg::evcntr || r->r == reg::evtyper) && n >= n_) return undef;
    if (r->r == reg::xevcntr && sel() >= n_) return undef;
    if (r->r == reg::xevtyper && sel() >= n_ && sel() != 31) return undef;
    if (at == level::el0) {
      if (r->el0 == el0_rule::never) return undef;
      const std::uint64_t u = r_.pmuserenr;
      bool ok = (u & 1) != 0;
      if (r->el0 == el0_rule::sw) ok = ok || (u & 2) != 0;
      if (r->el0 == el0_rule::cr_read) ok = ok || (is_read && (u & 4) != 0);
      if (r->el0 == el0_rule::er_read) ok = ok || (is_read && (u & 8) != 0);
      if (r->el0 == el0_rule::er) ok = ok || (u & 8) != 0;
      if (!ok) {
        // AArch64.SystemAccessTrap(EL1, 0x18): ISS = Op0, Op2, Op1, CRn, Rt, CRm, direction.
        const std::uint32_t esr = (0x18U << 26) | (1U << 25) | (e.op0 << 20) | (e.op2 << 17) |
                                  (e.op1 << 14) | (e.crn << 10) | (rt << 5) | (e.crm << 1) |
                                  (is_read ? 1U : 0U);
        return {result_kind::trap_el1, 0, esr};
      }
    }
    return {result_kind::executed, is_read ? get(r->r, n) : (put(r->r, n, value), 0), 0};
  }

  [[nodiscard]] std::uint64_t counter_mask() const { return v(v3p5) ? ~0ULL : ones(32); }
  [[nodiscard]] std::uint64_t typer_mask() const {
    // P, U, NSK, NSU, NSH, M (31:26); MT needs FEAT_MTPMU (absent); evtCount 9:0, 15:0 from v3p1.
    return bit_range(31, 26) | (v(v3p1) ? ones(16) : ones(10));
  }
  static constexpr std::uint64_t bit_range(unsigned hi, unsigned lo) {
    return ones(hi + 1) & ~ones(lo);
  }
  [[nodiscard]] std::uint64_t pmcr_mask() const {
    // E 0, D 3, X 4, DP 5, LC 6; LP 7 from v3p5; FZO 9 from v3p7.
    return bit(0) | bit(3) | bit(4) | bit(5) | bit(6) | (v(v3p5) ? bit(7) : 0) |
           (v(v3p7) ? bit(9) : 0);
  }

  [[nodiscard]] std::uint64_t get(reg r, unsigned n) const {
    switch (r) {
      case reg::pmcr: return r_.pmcr | (std::uint64_t{n_} << 11) | (std::uint64_t{0x41} << 24);
      case reg::cntenset:
      case reg::cntenclr: return r_.cnten & counter_bits();
      case reg::ovsset:
      case reg::ovsclr: return r_.ovs & counter_bits();
      case reg::intenset:
      case reg::intenclr: return r_.inten & counter_bits();
      case reg::selr: return r_.pmselr;
      case reg::ceid0: return ceid0_;
      case reg::ceid1: return 0;
      case reg::ccntr: return r_.ccntr;
      case reg::userenr: return r_.pmuserenr;
      case reg::mmir: return 0;
      case reg::ccfiltr: return r_.ccfiltr;
      case reg::evcntr: return r_.evcntr[n];
      case reg::evtyper: return r_.evtyper[n];
      case reg::xevcntr: return r_.evcntr[sel()];
      case reg::xevtyper: return sel() == 31 ? r_.ccfiltr : r_.evtyper[sel()];
      default: return 0;
    }
  }
  void put(reg r, unsigned n, std::uint64_t v) {
    const std::uint64_t bits = v & counter_bits();
    switch (r) {
      case reg::pmcr:
        r_.pmcr = v & pmcr_mask();
        if ((v & bit(1)) != 0)  // P: event counters to zero
          for (unsigned i = 0; i < n_; ++i)
            r_.evcntr[i] = 0;
        if ((v & bit(2)) != 0) r_.ccntr = 0;  // C
        break;
      case reg::cntenset: r_.cnten |= bits; break;
      case reg::cntenclr: r_.cnten &= ~bits; break;
      case reg::ovsset: r_.ovs |= bits; break;
      case reg::ovsclr: r_.ovs &= ~bits; break;
      case reg::intenset: r_.inten |= bits; break;
      case reg::intenclr: r_.inten &= ~bits; break;
      case reg::swinc:
        for (unsigned i = 0; i < n_; ++i) {
          if ((v & bit(i)) != 0 && enabled(i) && event_of(i) == 0x00) add(i, 1);
        }
        break;
      case reg::selr: r_.pmselr = v & 31; break;
      case reg::ccntr: r_.ccntr = v; break;
      case reg::userenr: r_.pmuserenr = v & 0xf; break;
      case reg::ccfiltr: r_.ccfiltr = v & bit_range(31, 26); break;
      case reg::evcntr: r_.evcntr[n] = v & counter_mask(); break;
      case reg::evtyper: r_.evtyper[n] = v & typer_mask(); break;
      case reg::xevcntr: r_.evcntr[sel()] = v & counter_mask(); break;
      case reg::xevtyper:
        if (sel() == 31) {
          r_.ccfiltr = v & bit_range(31, 26);
        } else {
          r_.evtyper[sel()] = v & typer_mask();
        }
        break;
      default: break;
    }
  }

  // --- counting (D24.4) ------------------------------------------------------------------------
  [[nodiscard]] std::uint16_t event_of(unsigned i) const {
    return static_cast<std::uint16_t>(r_.evtyper[i] & (v(v3p1) ? ones(16) : ones(10)));
  }
  [[nodiscard]] bool enabled(unsigned i) const {
    return (r_.pmcr & 1) != 0 && (r_.cnten & bit(i)) != 0;
  }
  // P (bit 31) excludes EL1, U (bit 30) EL0.
  static bool level_allowed(std::uint64_t filter, level at) {
    return (filter & (at == level::el1 ? bit(31) : bit(30))) == 0;
  }
  // PMCR_EL0.FZO: event counters stop while any of them has its overflow bit set.
  [[nodiscard]] bool frozen() const { return (r_.pmcr & bit(9)) != 0 && (r_.ovs & ones(n_)) != 0; }
  [[nodiscard]] bool counts(unsigned i, level at) const {
    return enabled(i) && !frozen() && level_allowed(r_.evtyper[i], at);
  }
  [[nodiscard]] bool cycle_counts(level at) const {
    return (r_.pmcr & 1) != 0 && (r_.cnten & bit(31)) != 0 && level_allowed(r_.ccfiltr, at);
  }
  // Event counter i gains `count`: it overflows past 2^32, or 2^64 with PMCR_EL0.LP (v3p5); the
  // odd neighbour counting CHAIN (0x1E) counts each overflow of an even counter.
  void add(unsigned i, std::uint64_t count) {
    const bool wide = v(v3p5) && (r_.pmcr & bit(7)) != 0;
    const std::uint64_t old = r_.evcntr[i];
    bool overflow = false;
    if (wide) {
      r_.evcntr[i] = old + count;
      overflow = r_.evcntr[i] < old;
    } else {
      const std::uint64_t low = (old & ones(32)) + count;  // count < 2^63 in every world
      overflow = low > ones(32);
      r_.evcntr[i] = v(v3p5) ? old + count : (old + count) & ones(32);
    }
    if (!overflow) return;
    r_.ovs |= bit(i);
    if (i % 2 == 0 && i + 1 < n_ && event_of(i + 1) == 0x1e && enabled(i + 1)) add(i + 1, 1);
  }
  // PMCCNTR: one tick per cycle, or per 64 with PMCR_EL0.D; overflows past 2^32, or 2^64 with LC.
  void add_cycles(std::uint64_t cycles) {
    std::uint64_t ticks = cycles;
    if ((r_.pmcr & bit(3)) != 0) {
      prescale_ += cycles;
      ticks = prescale_ / 64;
      prescale_ %= 64;
    }
    const std::uint64_t old = r_.ccntr;
    r_.ccntr = old + ticks;
    const bool overflow =
        (r_.pmcr & bit(6)) != 0 ? r_.ccntr < old : (old & ones(32)) + ticks > ones(32);
    if (overflow) r_.ovs |= bit(31);
  }

  unsigned n_;
  std::uint64_t ceid0_ = bit(0x00) | bit(0x08) | bit(0x11) | bit(0x1e);
  unsigned ver_;
  registers_type r_{};
  std::uint64_t prescale_ = 0;
};

}  // namespace reference
