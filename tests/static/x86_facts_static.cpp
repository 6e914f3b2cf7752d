// SPDX-License-Identifier: MIT
// x86 register facts, written by hand from the Intel SDM (Vol. 3B ch. 21, Vol. 4), the AMD APM
// (Vol. 2 13.2, Vol. 3 CPUID) and Linux's msr-index.h / perf_event.h / KVM: every MSR index and
// field position listed there, CPUID decoding, and KVM's reserved masks. Nothing here is derived
// from spec/.
#include <type_traits>

#include "support/field_at.hpp"
#include "vpmu/arch/x86.hpp"

namespace {
using namespace vpmu::x86;
using vpmu::bit;

using test_support::at;

// --- Intel MSR indices -------------------------------------------------------------------------
static_assert(ia32_pmc<0>::msr.index == 0xc1 && ia32_pmc<7>::msr.index == 0xc8);
static_assert(ia32_a_pmc<0>::msr.index == 0x4c1 && ia32_a_pmc<3>::msr.index == 0x4c4);
static_assert(ia32_a_pmc<0>::msr.index - ia32_pmc<0>::msr.index == 0x400);  // FULL_WIDTH_BIT
static_assert(ia32_perfevtsel<0>::msr.index == 0x186 && ia32_perfevtsel<3>::msr.index == 0x189);
static_assert(ia32_fixed_ctr<0>::msr.index == 0x309 && ia32_fixed_ctr<3>::msr.index == 0x30c);
static_assert(ia32_fixed_ctr_ctrl::msr.index == 0x38d);
static_assert(ia32_perf_global_status::msr.index == 0x38e);
static_assert(ia32_perf_global_ctrl::msr.index == 0x38f);
static_assert(ia32_perf_global_ovf_ctrl::msr.index == 0x390);
static_assert(ia32_perf_global_status_set::msr.index == 0x391);
static_assert(ia32_perf_global_inuse::msr.index == 0x392);
static_assert(ia32_perf_capabilities::msr.index == 0x345);
static_assert(ia32_debugctl::msr.index == 0x1d9);

// --- Intel PERFEVTSEL
// ------------------------------------------------------------------------------
using es = ia32_perfevtselx;
static_assert(at(es::event, 7, 0) && at(es::umask, 15, 8) && at(es::usr, 16) && at(es::os, 17));
static_assert(at(es::e, 18) && at(es::pc, 19) && at(es::int_, 20) && at(es::any, 21));
static_assert(at(es::en, 22) && at(es::inv, 23) && at(es::cmask, 31, 24) && at(es::in_tx, 32));
static_assert(at(es::in_txcp, 33) && at(es::adaptive, 34) && at(es::br_cntr, 35) && at(es::eq, 36));
static_assert(at(es::rdpmc_user_disable, 37) && at(es::umask2, 47, 40));
static_assert(std::is_same_v<vpmu::layout_of_t<ia32_perfevtsel<5>>, es>);

// --- FIXED_CTR_CTRL: nibble i at 4i = {OS, USR, AnyThread, PMI}; ADAPTIVE_i at 32 + 4i
// --------------
using fc = ia32_fixed_ctr_ctrl;
static_assert(at(fc::os0, 0) && at(fc::usr0, 1) && at(fc::any0, 2) && at(fc::pmi0, 3));
static_assert(at(fc::os1, 4) && at(fc::usr1, 5) && at(fc::any1, 6) && at(fc::pmi1, 7));
static_assert(at(fc::os3, 12) && at(fc::pmi3, 15) && at(fc::os7, 28) && at(fc::pmi7, 31));
static_assert(at(fc::adaptive0, 32) && at(fc::adaptive1, 36) && at(fc::adaptive3, 44));

// --- GLOBAL_STATUS: GP n = bit n, fixed n = 32 + n, and the named high bits
// ----------------------------
using gs = ia32_perf_global_status;
static_assert(at(gs::pmc, 31, 0) && at(gs::fixed, 47, 32) && at(gs::perf_metrics, 48));
static_assert(at(gs::trace_topa_pmi, 55) && at(gs::lbr_frz, 58) && at(gs::ctr_frz, 59));
static_assert(at(gs::asci, 60) && at(gs::ovf_unc, 61) && at(gs::ovf_buf, 62) &&
              at(gs::cond_chg, 63));
static_assert(at(ia32_perf_global_ctrl::perf_metrics, 48));  // same bit enables PERF_METRICS
static_assert(at(ia32_perf_global_inuse::pmi, 63));

// --- PERF_CAPABILITIES, DEBUGCTL
// -----------------------------------------------------------------------
using pc = ia32_perf_capabilities;
static_assert(at(pc::lbr_fmt, 5, 0) && at(pc::pebs_trap, 6) && at(pc::arch_reg, 7));
static_assert(at(pc::pebs_format, 11, 8) && at(pc::freeze_while_smm, 12) && at(pc::fw_writes, 13));
static_assert(at(pc::pebs_baseline, 14) && at(pc::perf_metrics, 15) && at(pc::pebs_output_pt, 16));
static_assert(at(pc::pebs_timing_info, 17));
static_assert(at(ia32_debugctl::freeze_lbrs_on_pmi, 11));
static_assert(at(ia32_debugctl::freeze_perfmon_on_pmi, 12));
static_assert(at(ia32_debugctl::freeze_while_smm, 14) && at(ia32_debugctl::rtm_debug, 15));

// --- AMD
// ------------------------------------------------------------------------------------------------
static_assert(amd_perf_evt_sel<0>::msr.index == 0xc001'0000 &&
              amd_perf_evt_sel<3>::msr.index == 0xc001'0003);
static_assert(amd_perf_ctr_legacy<0>::msr.index == 0xc001'0004);
static_assert(amd_perf_ctr_legacy<3>::msr.index == 0xc001'0007);
static_assert(amd_perf_ctl<0>::msr.index == 0xc001'0200 &&
              amd_perf_ctr<0>::msr.index == 0xc001'0201);
static_assert(amd_perf_ctl<5>::msr.index == 0xc001'020a &&
              amd_perf_ctr<5>::msr.index == 0xc001'020b);
static_assert(amd64_perf_cntr_global_status::msr.index == 0xc000'0300);
static_assert(amd64_perf_cntr_global_ctl::msr.index == 0xc000'0301);
static_assert(amd64_perf_cntr_global_status_clr::msr.index == 0xc000'0302);
static_assert(amd64_perf_cntr_global_status_set::msr.index == 0xc000'0303);
using ae = amd_perf_ctln;
static_assert(at(ae::event, 7, 0) && at(ae::unit_mask, 15, 8) && at(ae::usr, 16) && at(ae::os, 17));
static_assert(at(ae::edge, 18) && at(ae::int_, 20) && at(ae::en, 22) && at(ae::inv, 23));
static_assert(at(ae::cnt_mask, 31, 24) && at(ae::event_hi, 35, 32));  // EventSelect[11:8]
static_assert(at(ae::guest_only, 40) && at(ae::host_only, 41));
static_assert(at(amd_perf_ctrn::count, 47, 0));  // 48-bit counters

// --- MSR decode
// ---------------------------------------------------------------------------------------
static_assert(decode_intel_msr(0xc1) == msr_ref{pmu_msr::pmc, 0});
static_assert(decode_intel_msr(0xc8) == msr_ref{pmu_msr::pmc, 7});
static_assert(decode_intel_msr(0xc9) == msr_ref{});
static_assert(decode_intel_msr(0x4c3) == msr_ref{pmu_msr::a_pmc, 2});
static_assert(decode_intel_msr(0x18a) == msr_ref{pmu_msr::perfevtsel, 4});
static_assert(decode_intel_msr(0x30a) == msr_ref{pmu_msr::fixed_ctr, 1});
static_assert(decode_intel_msr(0x38f) == msr_ref{pmu_msr::global_ctrl, 0});
static_assert(decode_intel_msr(0x390) == msr_ref{pmu_msr::global_ovf_ctrl, 0});
static_assert(decode_intel_msr(0xc001'0000) == msr_ref{});  // an AMD MSR is nothing on Intel
static_assert(decode_amd_msr(0xc001'0002) == msr_ref{pmu_msr::amd_perf_ctl, 2});
static_assert(decode_amd_msr(0xc001'0006) == msr_ref{pmu_msr::amd_perf_ctr, 2});
static_assert(decode_amd_msr(0xc001'0204) == msr_ref{pmu_msr::amd_perf_ctl, 2});  // aliases
static_assert(decode_amd_msr(0xc001'0205) == msr_ref{pmu_msr::amd_perf_ctr, 2});
static_assert(decode_amd_msr(0xc001'020b) == msr_ref{pmu_msr::amd_perf_ctr, 5});
static_assert(decode_amd_msr(0xc001'020c) == msr_ref{});
static_assert(decode_amd_msr(0xc000'0301) == msr_ref{pmu_msr::amd_global_ctl, 0});
static_assert(decode_amd_msr(0x38f) == msr_ref{});

// Every family's boundaries: first, last, one before and one past (SDM Vol. 4; APM Vol. 2 13.2).
static_assert(decode_intel_msr(0xc0) == msr_ref{});
static_assert(decode_intel_msr(0x4c0) == msr_ref{});
static_assert(decode_intel_msr(0x4c1) == msr_ref{pmu_msr::a_pmc, 0});
static_assert(decode_intel_msr(0x4c8) == msr_ref{pmu_msr::a_pmc, 7});
static_assert(decode_intel_msr(0x4c9) == msr_ref{});
static_assert(decode_intel_msr(0x185) == msr_ref{});
static_assert(decode_intel_msr(0x186) == msr_ref{pmu_msr::perfevtsel, 0});
static_assert(decode_intel_msr(0x18d) == msr_ref{pmu_msr::perfevtsel, 7});
static_assert(decode_intel_msr(0x18e) == msr_ref{});
static_assert(decode_intel_msr(0x308) == msr_ref{});
static_assert(decode_intel_msr(0x309) == msr_ref{pmu_msr::fixed_ctr, 0});
static_assert(decode_intel_msr(0x30c) == msr_ref{pmu_msr::fixed_ctr, 3});
static_assert(decode_intel_msr(0x30d) == msr_ref{});
static_assert(decode_intel_msr(0x38c) == msr_ref{});
static_assert(decode_intel_msr(0x38d) == msr_ref{pmu_msr::fixed_ctr_ctrl, 0});
static_assert(decode_intel_msr(0x38e) == msr_ref{pmu_msr::global_status, 0});
static_assert(decode_intel_msr(0x391) == msr_ref{pmu_msr::global_status_set, 0});
static_assert(decode_intel_msr(0x392) == msr_ref{pmu_msr::global_inuse, 0});
static_assert(decode_intel_msr(0x393) == msr_ref{});
static_assert(decode_intel_msr(0x345) == msr_ref{pmu_msr::perf_capabilities, 0});
static_assert(decode_intel_msr(0x1d9) == msr_ref{pmu_msr::debugctl, 0});
static_assert(decode_amd_msr(0xbfff'ffff) == msr_ref{});
static_assert(decode_amd_msr(0xc001'0000) == msr_ref{pmu_msr::amd_perf_ctl, 0});
static_assert(decode_amd_msr(0xc001'0003) == msr_ref{pmu_msr::amd_perf_ctl, 3});
static_assert(decode_amd_msr(0xc001'0004) == msr_ref{pmu_msr::amd_perf_ctr, 0});
static_assert(decode_amd_msr(0xc001'0007) == msr_ref{pmu_msr::amd_perf_ctr, 3});
static_assert(decode_amd_msr(0xc001'0008) == msr_ref{});
static_assert(decode_amd_msr(0xc001'01ff) == msr_ref{});
static_assert(decode_amd_msr(0xc001'0200) == msr_ref{pmu_msr::amd_perf_ctl, 0});
static_assert(decode_amd_msr(0xc001'0201) == msr_ref{pmu_msr::amd_perf_ctr, 0});
static_assert(decode_amd_msr(0xc001'020a) == msr_ref{pmu_msr::amd_perf_ctl, 5});
static_assert(decode_amd_msr(0xc000'02ff) == msr_ref{});
static_assert(decode_amd_msr(0xc000'0300) == msr_ref{pmu_msr::amd_global_status, 0});
static_assert(decode_amd_msr(0xc000'0302) == msr_ref{pmu_msr::amd_global_status_clr, 0});
static_assert(decode_amd_msr(0xc000'0303) == msr_ref{pmu_msr::amd_global_status_set, 0});
static_assert(decode_amd_msr(0xc000'0304) == msr_ref{});

// --- CPUID leaf 0xA: EAX [7:0] version, [15:8] nGP, [23:16] width, [31:24] EBX length;
//     EDX [4:0] fixed, [12:5] fixed width, bit 15 AnyThread deprecated --------------------------
constexpr intel_caps v4 = decode_intel_cpuid({0x0730'0804, 0x0, 0x0, 0x0603});  // 8 GP x 48 bit
static_assert(v4.version == 4 && v4.gp_counters == 8 && v4.gp_width == 48 && v4.events_length == 7);
static_assert(v4.fixed_counters == 3 && v4.fixed_width == 48);
static_assert(v4.has_fixed(2) && !v4.has_fixed(3));
// Version 5: fixed counter i exists iff ECX[i] || EDX[4:0] > i.
constexpr intel_caps v5 =
    decode_intel_cpuid({0x0830'0805, 0x0, 0b1001'0000, 0x8000 | (48 << 5) | 4});
static_assert(v5.has_fixed(3) && v5.has_fixed(4) && !v5.has_fixed(5) && v5.has_fixed(7));
static_assert(v5.anythread_deprecated);
static_assert(decode_intel_cpuid({0x0830'0805, 0, 0, 0}, {0, 0b11, 0, 0}).eq);
static_assert(decode_intel_cpuid({0x0830'0805, 0, 0, 0}, {0, 0b01, 0, 0}).umask2);
// 0x23 sub-leaf 1 bitmaps count only when 0x23.0:EAX[1] says the sub-leaf is valid.
static_assert(decode_intel_cpuid({0x0830'0805, 0, 0, 3}, {0b10, 0, 0, 0}, {0xff, 0b1000'0111, 0, 0})
                  .has_fixed(7));
static_assert(!decode_intel_cpuid({0x0830'0805, 0, 0, 3}, {0b00, 0, 0, 0},
                                  {0xff, 0b1000'0111, 0, 0})
                   .has_fixed(7));
// Round trip through the encoding a hypervisor exposes.
static_assert(decode_intel_cpuid(encode_intel_cpuid_0a(v5)) == v5);
// AMD 0x80000022: EAX[0] PerfMonV2, EBX[3:0] counters; else 6 with PerfCtrExtCore, else 4.
static_assert(decode_amd_cpuid({}, {0x1, 0x6, 0, 0}).gp_counters == 6);
static_assert(decode_amd_cpuid({}, {0x1, 0x6, 0, 0}).perfmon_v2);
static_assert(decode_amd_cpuid({0, 0, 1U << 23, 0}, {}).gp_counters == 6);
static_assert(decode_amd_cpuid({}, {}).gp_counters == 4);

// --- KVM's reserved masks
// ----------------------------------------------------------------------------
static_assert(perfevtsel_reserved(v4, 0) == 0xffff'ffff'0020'0000ULL);  // 63:32 and AnyThread
constexpr intel_caps tsx = [] {
  intel_caps c = v4;
  c.tsx = true;
  return c;
}();
static_assert((perfevtsel_reserved(tsx, 0) & bit(32)) == 0);
static_assert((perfevtsel_reserved(tsx, 0) & bit(33)) != 0);  // IN_TXCP: counter 2 only
static_assert((perfevtsel_reserved(tsx, 2) & bit(33)) == 0);
static_assert((perfevtsel_reserved(tsx, 2) & bit(21)) != 0);  // AnyThread always reserved
// FIXED_CTR_CTRL: everything but KERNEL|USER|PMI of each existing nibble.
static_assert(fixed_ctr_ctrl_reserved(v4) == ~0xbbbULL);
// GLOBAL_CTRL: ~(((1 << nGP) - 1) | (((1 << nFixed) - 1) << 32)).
static_assert(global_ctrl_reserved(v4) == ~(0xffULL | (0x7ULL << 32)));
// GLOBAL_STATUS: the same minus bits 62 and 63.
static_assert(global_status_reserved(v4) == (~(0xffULL | (0x7ULL << 32)) & ~(3ULL << 62)));
// AMD: 0xfffffff000280000 reserved (dropped, not faulted); GLOBAL_CTL ~(BIT(nGP) - 1).
static_assert(amd_perf_ctl_reserved == 0xffff'fff0'0028'0000ULL);
static_assert(amd_global_ctl_reserved(decode_amd_cpuid({}, {0x1, 0x6, 0, 0})) == ~0x3fULL);
static_assert(sanitize_perf_ctl(0x0000'0100'0043'003cULL).raw() == 0x43'003c);  // GuestOnly dropped
static_assert(amd_caps::counter_width == 48);

}  // namespace
