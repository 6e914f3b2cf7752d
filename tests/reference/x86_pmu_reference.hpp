// SPDX-License-Identifier: MIT
// Independent references for what an x86 guest observes of its PMU, written for the property
// worlds from the Intel SDM (Vol. 3B ch. 21, Vol. 4) and the AMD APM (Vol. 2 13.2) and not from
// vpmu's models: every MSR number, bit and mask is spelled out here, one table row per MSR family.
// They implement the guest PMUs vpmu builds: Intel with FW_WRITES and no AnyThread, TSX, PEBS, EQ
// or UMASK2 bits (reserved: #GP); AMD with HostOnly/GuestOnly reserved to the guest (dropped, as
// every reserved PERF_CTL bit).
//
// Counting model (the same stand-in CPU contract as the simulators): one retire() call is one
// cycle's worth of occurrences of one event; CMASK c > 0 adds 1 when at least c occurred (fewer
// with INV), EDGE counts the rising edges of that condition.
#pragma once

#include <cstdint>

#include "vpmu/model/amd_pmu.hpp"    // only for the register-file structs the worlds compare
#include "vpmu/model/intel_pmu.hpp"  // (and their saved-state layout)

namespace reference {

struct msr_answer {
  std::uint64_t value = 0;
  bool fault = false;  // #GP
};
struct x86_mode {
  bool guest = true;
  unsigned ring = 0;
};

namespace x86_detail {
constexpr std::uint64_t bit(unsigned b) {
  return std::uint64_t{1} << b;
}
constexpr std::uint64_t ones(unsigned w) {
  return w >= 64 ? ~0ULL : bit(w) - 1;
}
constexpr msr_answer gp() {
  return {0, true};
}
constexpr msr_answer ok(std::uint64_t v = 0) {
  return {v, false};
}

// PERFEVTSEL / PERF_CTL bits 31:0 mean the same on both vendors (SDM 21.2.1.1, APM 13.2.1).
struct edge_state {
  bool last = false;
};
inline std::uint64_t increment(std::uint64_t sel, std::uint64_t occurrences, edge_state& e) {
  const std::uint64_t cmask = (sel >> 24) & 0xff;
  if (cmask == 0) return occurrences;
  const bool cond = (occurrences >= cmask) != (((sel >> 23) & 1) != 0);  // INV
  const bool rising = cond && !e.last;
  e.last = cond;
  if (((sel >> 18) & 1) != 0) return rising ? 1 : 0;  // EDGE
  return cond ? 1 : 0;
}
inline bool ring_ok(std::uint64_t sel, unsigned ring) {
  return ((sel >> (ring == 0 ? 17 : 16)) & 1) != 0;  // OS at ring 0, USR above
}
// What both vendors' references keep besides their registers: the PMI latch, the CPU mode and
// each counter's edge-detection state (restarted when a restore rewrites the selectors).
template <class Registers, unsigned Counters>
class guest_state {
 public:
  using registers_type = Registers;
  [[nodiscard]] const Registers& registers() const { return r_; }
  void replace_registers(const Registers& r) {
    r_ = r;
    for (auto& e : edge_)
      e = {};
  }
  [[nodiscard]] bool irq_pending() const { return irq_; }
  void set_irq(bool v) { irq_ = v; }
  void set_mode(x86_mode m) { mode_ = m; }

 protected:
  Registers r_{};
  edge_state edge_[Counters] = {};
  x86_mode mode_{};
  bool irq_ = false;
};
}  // namespace x86_detail

class intel_pmu : public x86_detail::guest_state<vpmu::model::intel_registers, 8> {
 public:
  intel_pmu(unsigned version, unsigned gp, unsigned width, unsigned fixed, unsigned fixed_width)
      : ver_(version),
        gp_(gp),
        width_(width),
        fixed_(version >= 2 ? fixed : 0),
        fixed_width_(fixed_width) {
    r_.global_ctrl = x86_detail::ones(gp_);  // SDM 21.2.2: GP enables set at reset
  }

  msr_answer try_rdmsr(std::uint32_t m) const {
    using namespace x86_detail;
    if (m >= 0xc1 && m < 0xc1 + gp_) return ok(r_.pmc[m - 0xc1]);
    if (m >= 0x4c1 && m < 0x4c1 + gp_) return ok(r_.pmc[m - 0x4c1]);
    if (m >= 0x186 && m < 0x186 + gp_) return ok(r_.evtsel[m - 0x186]);
    if (m >= 0x309 && m < 0x309 + fixed_) return ok(r_.fixed[m - 0x309]);
    const bool v2 = ver_ >= 2, v4 = ver_ >= 4;
    switch (m) {
      case 0x38d: return v2 ? ok(r_.fixed_ctrl) : gp();
      case 0x38e: return v2 ? ok(r_.global_status) : gp();
      case 0x38f: return v2 ? ok(r_.global_ctrl) : gp();
      case 0x390: return v2 ? ok(0) : gp();
      case 0x391: return v4 ? ok(0) : gp();
      case 0x392: return v4 ? ok(inuse()) : gp();
      case 0x345: return v2 ? ok(bit(13)) : gp();  // PERF_CAPABILITIES.FW_WRITES
      case 0x1d9: return ok(r_.debugctl);
      default: return gp();
    }
  }

  msr_answer try_wrmsr(std::uint32_t m, std::uint64_t v) {
    using namespace x86_detail;
    if (m >= 0xc1 && m < 0xc1 + gp_) {  // legacy write: bits 31:0, bit 31 extended (SDM 21.2.2)
      const std::uint64_t low = v & ones(32);
      r_.pmc[m - 0xc1] = ((low & bit(31)) != 0 ? low | ~ones(32) : low) & ones(width_);
      return ok();
    }
    if (m >= 0x4c1 && m < 0x4c1 + gp_) {  // full width: bits beyond the width are reserved
      if ((v & ~ones(width_)) != 0) return gp();
      r_.pmc[m - 0x4c1] = v;
      return ok();
    }
    if (m >= 0x186 && m < 0x186 + gp_) {
      // Reserved: AnyThread (21) and 63:32 (no TSX/PEBS/EQ/UMASK2 in the guest's CPUID).
      if ((v & (bit(21) | ~ones(32))) != 0) return gp();
      r_.evtsel[m - 0x186] = v;
      edge_[m - 0x186] = {};
      return ok();
    }
    if (m >= 0x309 && m < 0x309 + fixed_) {
      r_.fixed[m - 0x309] = v & ones(fixed_width_);
      return ok();
    }
    const bool v2 = ver_ >= 2, v4 = ver_ >= 4;
    const std::uint64_t counters = ones(gp_) | (ones(fixed_) << 32);
    switch (m) {
      case 0x38d: {  // per fixed counter i: OS (4i), USR (4i+1), PMI (4i+3)
        std::uint64_t allowed = 0;
        for (unsigned i = 0; i < fixed_; ++i)
          allowed |= std::uint64_t{0xb} << (4 * i);
        if (!v2 || (v & ~allowed) != 0) return gp();
        r_.fixed_ctrl = v;
        return ok();
      }
      case 0x38f:
        if (!v2 || (v & ~counters) != 0) return gp();
        r_.global_ctrl = v;
        return ok();
      case 0x390:  // OVF_CTRL: counter bits, OvfBuf (62), CondChgd (63)
        if (!v2 || (v & ~(counters | bit(62) | bit(63))) != 0) return gp();
        r_.global_status &= ~v;
        return ok();
      case 0x391:
        if (!v4 || (v & ~(counters | bit(62) | bit(63))) != 0) return gp();
        r_.global_status |= v;
        return ok();
      case 0x1d9:  // DEBUGCTL: FREEZE_WHILE_SMM (14) only, the rest not the guest's (vpmu)
        if ((v & ~bit(14)) != 0) return gp();
        r_.debugctl = v;
        return ok();
      default: return gp();  // GLOBAL_STATUS, INUSE, PERF_CAPABILITIES are read-only
    }
  }

  msr_answer try_rdpmc(std::uint32_t ecx) const {
    using namespace x86_detail;
    if ((ecx & bit(31)) != 0) return gp();  // "fast" reads: #GP (KVM's choice, kept)
    const unsigned i = ecx & 0x3fff'ffff;
    if ((ecx & bit(30)) != 0) return i < fixed_ ? ok(r_.fixed[i]) : gp();
    return i < gp_ ? ok(r_.pmc[i]) : gp();
  }

  // `n` occurrences of `event` (event select | umask << 8) in one cycle, in the current mode.
  void retire(std::uint16_t event, std::uint64_t n) {
    using namespace x86_detail;
    for (unsigned x = 0; x < gp_; ++x) {
      const std::uint64_t sel = r_.evtsel[x];
      const bool global = ver_ < 2 || (r_.global_ctrl & bit(x)) != 0;
      if ((sel & bit(22)) == 0 || !global || (sel & 0xffff) != event || !ring_ok(sel, mode_.ring))
        continue;
      add(r_.pmc[x], increment(sel, n, edge_[x]), width_, x, (sel & bit(20)) != 0);
    }
    static constexpr std::uint16_t fixed_events[] = {0x00c0, 0x003c, 0x013c, 0x01a4};
    for (unsigned i = 0; i < fixed_; ++i) {
      const std::uint64_t field = (r_.fixed_ctrl >> (4 * i)) & 0xf;
      const bool ring = (field & (mode_.ring == 0 ? 1 : 2)) != 0;
      if (fixed_events[i] != event || !ring || (r_.global_ctrl & bit(32 + i)) == 0) continue;
      add(r_.fixed[i], n, fixed_width_, 32 + i, (field & 8) != 0);
    }
  }

 private:
  void add(std::uint64_t& counter, std::uint64_t n, unsigned width, unsigned status, bool pmi) {
    using namespace x86_detail;
    if (n == 0) return;
    const std::uint64_t sum = (counter & ones(width)) + n;  // n < 2^63 in every world
    const bool overflow = sum > ones(width) || sum < n;
    counter = sum & ones(width);
    if (!overflow) return;
    if (ver_ >= 2) r_.global_status |= bit(status);  // version 1 has no GLOBAL_STATUS (SDM 21.2.1)
    if (pmi) irq_ = true;
  }
  [[nodiscard]] std::uint64_t inuse() const {
    using namespace x86_detail;
    std::uint64_t v = 0;
    for (unsigned x = 0; x < gp_; ++x) {
      if (r_.evtsel[x] != 0) v |= bit(x);
      if ((r_.evtsel[x] & bit(20)) != 0) v |= bit(63);
    }
    for (unsigned i = 0; i < 4; ++i) {
      const std::uint64_t field = (r_.fixed_ctrl >> (4 * i)) & 0xf;
      if (field != 0) v |= bit(32 + i);
      if ((field & 8) != 0) v |= bit(63);
    }
    return v;
  }

  unsigned ver_, gp_, width_, fixed_, fixed_width_;
};

class amd_pmu : public x86_detail::guest_state<vpmu::model::amd_registers, 6> {
 public:
  amd_pmu(bool perfmon_v2, bool core_ext, unsigned counters)
      : v2_(perfmon_v2), ext_(core_ext), n_(counters) {
    r_.global_ctl = x86_detail::ones(n_);  // all counters enabled at reset
  }

  msr_answer try_rdmsr(std::uint32_t m) const {
    using namespace x86_detail;
    unsigned n = 0;
    switch (kind(m, &n)) {
      case msr::ctl: return ok(r_.ctl[n]);
      case msr::ctr: return ok(r_.ctr[n]);
      case msr::status: return ok(r_.global_status);
      case msr::gctl: return ok(r_.global_ctl);
      case msr::clr:
      case msr::set: return ok(0);
      default: return gp();
    }
  }
  msr_answer try_wrmsr(std::uint32_t m, std::uint64_t v) {
    using namespace x86_detail;
    unsigned n = 0;
    const std::uint64_t counters = ones(n_);
    switch (kind(m, &n)) {
      case msr::ctl:
        // Kept: event 7:0, umask 15:8, USR, OS, EDGE (18), INT (20), EN (22), INV (23),
        // CMASK 31:24, event 11:8 at 35:32; everything else (HostOnly/GuestOnly included) dropped.
        r_.ctl[n] = v & ~(bit(19) | bit(21) | ~ones(36));
        edge_[n] = {};
        return ok();
      case msr::ctr: r_.ctr[n] = v & ones(48); return ok();
      case msr::gctl: r_.global_ctl = v & counters; return ok();
      case msr::clr: r_.global_status &= ~(v & counters); return ok();
      case msr::set: r_.global_status |= v & counters; return ok();
      case msr::status: return ok();  // read-only: the write is ignored
      default: return gp();
    }
  }
  msr_answer try_rdpmc(std::uint32_t ecx) const {
    using namespace x86_detail;
    return ecx < n_ ? ok(r_.ctr[ecx]) : gp();
  }

  // `n` occurrences of `event` (EventSelect[11:0] | UnitMask << 12) in one cycle.
  void retire(std::uint32_t event, std::uint64_t n) {
    using namespace x86_detail;
    for (unsigned i = 0; i < n_; ++i) {
      const std::uint64_t sel = r_.ctl[i];
      const std::uint32_t ev = static_cast<std::uint32_t>(
          (sel & 0xff) | (((sel >> 32) & 0xf) << 8) | (((sel >> 8) & 0xff) << 12));
      const bool global = !v2_ || (r_.global_ctl & bit(i)) != 0;
      if ((sel & bit(22)) == 0 || !global || ev != event || !ring_ok(sel, mode_.ring)) continue;
      const std::uint64_t add = increment(sel, n, edge_[i]);
      if (add == 0) continue;
      const std::uint64_t sum = r_.ctr[i] + add;
      const bool overflow = sum > ones(48);
      r_.ctr[i] = sum & ones(48);
      if (!overflow) continue;
      if (v2_) r_.global_status |= bit(i);
      if ((sel & bit(20)) != 0) irq_ = true;
    }
  }

 private:
  enum class msr : std::uint8_t { none, ctl, ctr, status, gctl, clr, set };
  // APM 13.2: legacy PerfEvtSel0-3 0xC0010000+n / PerfCtr0-3 0xC0010004+n alias core-extension
  // PERF_CTLn 0xC0010200+2n / PERF_CTRn 0xC0010201+2n; PerfMonV2 globals at 0xC0000300-303.
  [[nodiscard]] msr kind(std::uint32_t m, unsigned* n) const {
    if (m >= 0xc001'0000 && m < 0xc001'0004 && m - 0xc001'0000 < n_) {
      *n = m - 0xc001'0000;
      return msr::ctl;
    }
    if (m >= 0xc001'0004 && m < 0xc001'0008 && m - 0xc001'0004 < n_) {
      *n = m - 0xc001'0004;
      return msr::ctr;
    }
    if (ext_ && m >= 0xc001'0200 && m < 0xc001'0200 + 2 * n_) {
      *n = (m - 0xc001'0200) / 2;
      return (m - 0xc001'0200) % 2 == 0 ? msr::ctl : msr::ctr;
    }
    if (!v2_) return msr::none;
    switch (m) {
      case 0xc000'0300: return msr::status;
      case 0xc000'0301: return msr::gctl;
      case 0xc000'0302: return msr::clr;
      case 0xc000'0303: return msr::set;
      default: return msr::none;
    }
  }

  bool v2_, ext_;
  unsigned n_;
};

}  // namespace reference
