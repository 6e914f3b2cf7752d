// SPDX-License-Identifier: MIT
// Arm register facts, written by hand from the Arm ARM (DDI 0487 M.a.a, D24.5 and the EL2 and ID
// register descriptions) and Linux's sysreg.h/sysreg: every encoding and field position listed
// there, checked against the descriptions generated from spec/. Nothing here is derived from spec/.
#include <type_traits>

#include "support/field_at.hpp"
#include "vpmu/arch/arm64.hpp"

namespace {
using namespace vpmu::arm64;
using enc = sysreg_encoding;

using test_support::at;

// --- Encodings (op0, op1, CRn, CRm, op2) ---------------------------------------------------------
static_assert(pmcr_el0::encoding == enc{3, 3, 9, 12, 0});
static_assert(pmcntenset_el0::encoding == enc{3, 3, 9, 12, 1});
static_assert(pmcntenclr_el0::encoding == enc{3, 3, 9, 12, 2});
static_assert(pmovsclr_el0::encoding == enc{3, 3, 9, 12, 3});
static_assert(pmovsset_el0::encoding == enc{3, 3, 9, 14, 3});
static_assert(pmswinc_el0::encoding == enc{3, 3, 9, 12, 4});
static_assert(pmselr_el0::encoding == enc{3, 3, 9, 12, 5});
static_assert(pmceid0_el0::encoding == enc{3, 3, 9, 12, 6});
static_assert(pmceid1_el0::encoding == enc{3, 3, 9, 12, 7});
static_assert(pmccntr_el0::encoding == enc{3, 3, 9, 13, 0});
static_assert(pmxevtyper_el0::encoding == enc{3, 3, 9, 13, 1});
static_assert(pmxevcntr_el0::encoding == enc{3, 3, 9, 13, 2});
static_assert(pmzr_el0::encoding == enc{3, 3, 9, 13, 4});
static_assert(pmuserenr_el0::encoding == enc{3, 3, 9, 14, 0});
static_assert(pmintenset_el1::encoding == enc{3, 0, 9, 14, 1});
static_assert(pmintenclr_el1::encoding == enc{3, 0, 9, 14, 2});
static_assert(pmuacr_el1::encoding == enc{3, 0, 9, 14, 4});
static_assert(pmmir_el1::encoding == enc{3, 0, 9, 14, 6});
static_assert(pmicntr_el0::encoding == enc{3, 3, 9, 4, 0});
static_assert(pmicfiltr_el0::encoding == enc{3, 3, 9, 6, 0});
static_assert(pmccfiltr_el0::encoding == enc{3, 3, 14, 15, 7});
static_assert(mdcr_el2::encoding == enc{3, 4, 1, 1, 1});
static_assert(hdfgrtr_el2::encoding == enc{3, 4, 3, 1, 4});
static_assert(hdfgwtr_el2::encoding == enc{3, 4, 3, 1, 5});
static_assert(hdfgrtr2_el2::encoding == enc{3, 4, 3, 1, 0});
static_assert(hdfgwtr2_el2::encoding == enc{3, 4, 3, 1, 1});
static_assert(id_aa64dfr0_el1::encoding == enc{3, 0, 0, 5, 0});
static_assert(id_aa64dfr1_el1::encoding == enc{3, 0, 0, 5, 1});

// Families: PMEVCNTR<n> CRm = 0b10:n[4:3], PMEVTYPER<n> CRm = 0b11:n[4:3], op2 = n[2:0].
static_assert(pmevcntr_el0<0>::encoding == enc{3, 3, 14, 0b1000, 0});
static_assert(pmevcntr_el0<7>::encoding == enc{3, 3, 14, 0b1000, 7});
static_assert(pmevcntr_el0<8>::encoding == enc{3, 3, 14, 0b1001, 0});
static_assert(pmevcntr_el0<30>::encoding == enc{3, 3, 14, 0b1011, 6});
static_assert(pmevtyper_el0<0>::encoding == enc{3, 3, 14, 0b1100, 0});
static_assert(pmevtyper_el0<7>::encoding == enc{3, 3, 14, 0b1100, 7});
static_assert(pmevtyper_el0<8>::encoding == enc{3, 3, 14, 0b1101, 0});
static_assert(pmevtyper_el0<30>::encoding == enc{3, 3, 14, 0b1111, 6});
static_assert(pmevtyper_el0<5>::encoding == enc{3, 3, 14, 12, 5});
static_assert(!pmevtyper_encoding(31).has_value());  // the n = 31 slot is PMCCFILTR
static_assert(pmevtyper_encoding(30).value() == enc{3, 3, 14, 15, 6});
// Assembler names S<op0>_<op1>_C<crn>_C<crm>_<op2>.
static_assert(vpmu::equal_strings(pmcr_el0::encoding.asm_name().c_str(), "S3_3_C9_C12_0"));
static_assert(vpmu::equal_strings(pmevtyper_el0<5>::encoding.asm_name().c_str(), "S3_3_C14_C12_5"));
static_assert(vpmu::equal_strings(mdcr_el2::encoding.asm_name().c_str(), "S3_4_C1_C1_1"));

// --- PMCR_EL0 ---------------------------------------------------------------------------------
static_assert(at(pmcr_el0::e, 0) && at(pmcr_el0::p, 1) && at(pmcr_el0::c, 2) && at(pmcr_el0::d, 3));
static_assert(at(pmcr_el0::x, 4) && at(pmcr_el0::dp, 5) && at(pmcr_el0::lc, 6) &&
              at(pmcr_el0::lp, 7));
static_assert(at(pmcr_el0::fzo, 9) && at(pmcr_el0::n, 15, 11) && at(pmcr_el0::idcode, 23, 16));
static_assert(at(pmcr_el0::imp, 31, 24) && at(pmcr_el0::fzs, 32));

// --- PMEVTYPER<n> / PMCCFILTR / PMICFILTR ------------------------------------------------------
using ty = pmevtypern_el0;
static_assert(at(ty::evtcount, 15, 0) && at(ty::p, 31) && at(ty::u, 30) && at(ty::nsk, 29));
static_assert(at(ty::nsu, 28) && at(ty::nsh, 27) && at(ty::m, 26) && at(ty::sh, 24));
static_assert(at(ty::t, 23) && at(ty::rlk, 22) && at(ty::rlu, 21) && at(ty::rlh, 20));
static_assert(at(ty::th, 43, 32) && at(ty::tc, 63, 61) && at(ty::vs, 57, 56));
// TLC [55:54] (FEAT_PMUv3_TH2, odd n) and VS [57:56] (FEAT_PMUv3_SME): Arm ARM M.a.a D24.5.
static_assert(at(ty::tlc, 55, 54) && (ty::res0 & vpmu::bit_mask(53, 44)) == vpmu::bit_mask(53, 44));
static_assert(at(ty::mt, 25));  // QEMU's PMXEVTYPER_MT = 0x02000000 (arm.md marks it unverified)
static_assert(at(pmccfiltr_el0::p, 31) && at(pmccfiltr_el0::u, 30) && at(pmccfiltr_el0::nsh, 27));
static_assert(at(pmccfiltr_el0::m, 26) && at(pmccfiltr_el0::vs, 57, 56));  // D24.5.1
static_assert(pmccfiltr_el0::res0 == (vpmu::bit_mask(63, 58) | vpmu::bit_mask(55, 32) |
                                      vpmu::bit(25) | vpmu::bit_mask(19, 0)));
// vpmu probes neither FEAT_PMUv3_TH2 nor FEAT_PMUv3_SME: TLC and VS are unsupported, so a
// guest's write of them is dropped and a compile-time value with them does not build.
static_assert((vpmu::arm64::pmevtyper_supported_mask({vpmu::arm64::pmuver::v3p9, 6}) &
               (ty::tlc.mask | ty::vs.mask)) == 0);
static_assert((vpmu::arm64::pmccfiltr_supported_mask() & pmccfiltr_el0::vs.mask) == 0);
static_assert(at(pmicfiltr_el0::sync, 58) && at(pmicfiltr_el0::vs, 57, 56));
static_assert(at(pmicfiltr_el0::evtcount, 15, 0) && at(pmicfiltr_el0::p, 31));
static_assert((pmicfiltr_el0::res0 & vpmu::bit(25)) != 0);  // MT is RES0 in PMICFILTR

// --- Counter bitmaps: P<m> = 30:0, C = 31, F0 = 32 --------------------------------------------
using bm = pmu_counter_bitmap;
static_assert(at(bm::p, 30, 0) && at(bm::c, 31) && at(bm::f0, 32));
static_assert(std::is_same_v<vpmu::layout_of_t<pmcntenset_el0>, bm>);
static_assert(std::is_same_v<vpmu::layout_of_t<pmintenclr_el1>, bm>);
static_assert(std::is_same_v<vpmu::layout_of_t<pmovsset_el0>, bm>);
static_assert(at(pmzr_el0::f0, 32) && at(pmzr_el0::c, 31) && at(pmzr_el0::p, 30, 0));
static_assert(at(pmuacr_el1::f0, 32) && at(pmuacr_el1::c, 31) && at(pmuacr_el1::p, 30, 0));
static_assert(at(pmselr_el0::sel, 4, 0) && pmselr_el0::res0 == 0xffff'ffff'ffff'ffe0);

// --- PMUSERENR_EL0, PMMIR_EL1, PMCEID ----------------------------------------------------------
static_assert(at(pmuserenr_el0::en, 0) && at(pmuserenr_el0::sw, 1) && at(pmuserenr_el0::cr, 2));
static_assert(at(pmuserenr_el0::er, 3) && at(pmuserenr_el0::uen, 4) && at(pmuserenr_el0::ir, 5));
static_assert(at(pmuserenr_el0::tid, 6));
static_assert(at(pmmir_el1::slots, 7, 0) && at(pmmir_el1::bus_slots, 15, 8));
static_assert(at(pmmir_el1::bus_width, 19, 16) && at(pmmir_el1::thwidth, 23, 20));
static_assert(at(pmmir_el1::edge, 27, 24) && at(pmmir_el1::sme, 28));
static_assert(at(pmceidn_el0::id, 31, 0) && at(pmceidn_el0::idhi, 63, 32));
static_assert(at(pmicntr_el0::icnt, 63, 0));

// --- MDCR_EL2 -----------------------------------------------------------------------------------
using md = mdcr_el2;
static_assert(at(md::hpmn, 4, 0) && at(md::tpmcr, 5) && at(md::tpm, 6) && at(md::hpme, 7));
static_assert(at(md::tde, 8) && at(md::tda, 9) && at(md::tdosa, 10) && at(md::tdra, 11));
static_assert(at(md::e2pb, 13, 12) && at(md::tpms, 14) && at(md::enspm, 15) && at(md::hpmd, 17));
static_assert(at(md::ttrf, 19) && at(md::hccd, 23) && at(md::e2tb, 25, 24) && at(md::hlp, 26));
static_assert(at(md::tdcc, 27) && at(md::mtpme, 28) && at(md::hpmfzo, 29) && at(md::pmsse, 31, 30));
static_assert(at(md::hpmfzs, 36) && at(md::pmee, 41, 40) && at(md::ebwe, 43));
static_assert(at(md::enstepop, 50));

// --- HDFGRTR_EL2 / HDFGWTR_EL2 PMU bits (1 = trap) ----------------------------------------------
using fr = hdfgrtr_el2;
using fw = hdfgwtr_el2;
static_assert(at(fr::pmevcntrn_el0, 12) && at(fr::pmevtypern_el0, 13) && at(fr::pmccfiltr_el0, 14));
static_assert(at(fr::pmccntr_el0, 15) && at(fr::pmcnten, 16) && at(fr::pminten, 17));
static_assert(at(fr::pmovs, 18) && at(fr::pmselr_el0, 19) && at(fr::pmmir_el1, 22));
static_assert(at(fr::pmuserenr_el0, 57) && at(fr::pmceidn_el0, 58));
static_assert(at(fw::pmevcntrn_el0, 12) && at(fw::pmevtypern_el0, 13) && at(fw::pmccfiltr_el0, 14));
static_assert(at(fw::pmccntr_el0, 15) && at(fw::pmcnten, 16) && at(fw::pminten, 17));
static_assert(at(fw::pmovs, 18) && at(fw::pmselr_el0, 19) && at(fw::pmuserenr_el0, 57));
static_assert(at(fw::pmswinc_el0, 20) && at(fw::pmcr_el0, 21));
// No write trap for read-only PMMIR/PMCEID: RES0 in HDFGWTR_EL2.
static_assert((fw::res0 & (vpmu::bit(22) | vpmu::bit(58) | vpmu::bit(59))) ==
              (vpmu::bit(22) | vpmu::bit(58) | vpmu::bit(59)));
// HDFGRTR2/HDFGWTR2_EL2: negative polarity (n-prefixed) bits.
static_assert(at(hdfgrtr2_el2::npmecr_el1, 0) && at(hdfgrtr2_el2::npmiar_el1, 1));
static_assert(at(hdfgrtr2_el2::npmicntr_el0, 2) && at(hdfgrtr2_el2::npmicfiltr_el0, 3));
static_assert(at(hdfgrtr2_el2::npmuacr_el1, 4) && at(hdfgrtr2_el2::nmdselr_el1, 5));
static_assert(at(hdfgrtr2_el2::npmssdata, 6) && at(hdfgrtr2_el2::npmsscr_el1, 7));
static_assert(at(hdfgwtr2_el2::npmicntr_el0, 2) && at(hdfgwtr2_el2::npmicfiltr_el0, 3));
static_assert(at(hdfgwtr2_el2::npmuacr_el1, 4) && at(hdfgwtr2_el2::npmzr_el0, 21));
static_assert((hdfgwtr2_el2::res0 & vpmu::bit(6)) != 0);  // nPMSSDATA is read-only

// --- ID registers
// ---------------------------------------------------------------------------------
using d0 = id_aa64dfr0_el1;
static_assert(at(d0::hpmn0, 63, 60) && at(d0::exttrcbuff, 59, 56) && at(d0::brbe, 55, 52));
static_assert(at(d0::mtpmu, 51, 48) && at(d0::tracebuffer, 47, 44) && at(d0::tracefilt, 43, 40));
static_assert(at(d0::doublelock, 39, 36) && at(d0::pmsver, 35, 32) && at(d0::ctx_cmps, 31, 28));
static_assert(at(d0::sebep, 27, 24) && at(d0::wrps, 23, 20) && at(d0::pmss, 19, 16));
static_assert(at(d0::brps, 15, 12) && at(d0::pmuver, 11, 8) && at(d0::tracever, 7, 4));
static_assert(at(d0::debugver, 3, 0));
// PMUVer values (NI 0, IMP 1, V3P1 4, V3P4 5, V3P5 6, V3P7 7, V3P8 8, V3P9 9, IMP_DEF 0xF).
using pv = d0::pmuver_t;
static_assert(static_cast<int>(pv::ni) == 0 && static_cast<int>(pv::imp) == 1);
static_assert(static_cast<int>(pv::v3p1) == 4 && static_cast<int>(pv::v3p4) == 5);
static_assert(static_cast<int>(pv::v3p5) == 6 && static_cast<int>(pv::v3p7) == 7);
static_assert(static_cast<int>(pv::v3p8) == 8 && static_cast<int>(pv::v3p9) == 9);
static_assert(static_cast<int>(pv::imp_def) == 0xf);
// Signedness: MTPMU signed (0 NI_IMPDEF, 1 IMP, 0xF NI), PMUVer unsigned with IMP_DEF, HPMN0
// unsigned (0 NI, 1 IMP).
static_assert(d0::mtpmu.sign == vpmu::enum_sign::signed_);
static_assert(static_cast<int>(d0::mtpmu_t::ni) == 0xf && static_cast<int>(d0::mtpmu_t::imp) == 1);
static_assert(d0::pmuver.sign == vpmu::enum_sign::unsigned_ && d0::pmuver.imp_def == 0xf);
static_assert(d0::hpmn0.sign == vpmu::enum_sign::unsigned_);
static_assert(static_cast<int>(d0::hpmn0_t::imp) == 1);
static_assert(!vpmu::at_least(0xF, d0::mtpmu_t::ni_impdef));
static_assert(!vpmu::at_least(0xF, pv::imp));
using d1 = id_aa64dfr1_el1;
static_assert(at(d1::abl_cmps, 63, 56) && at(d1::dpfzs, 55, 52) && at(d1::ebep, 51, 48));
static_assert(at(d1::ite, 47, 44) && at(d1::able, 43, 40) && at(d1::pmicntr, 39, 36));
static_assert(at(d1::spmu, 35, 32) && at(d1::ctx_cmps, 31, 24) && at(d1::wrps, 23, 16));
static_assert(at(d1::brps, 15, 8) && at(d1::syspmuid, 7, 0));
static_assert(static_cast<int>(d1::pmicntr_t::imp) == 1);
static_assert(at(id_dfr1_el1::hpmn0, 7, 4));  // the AArch32 copy of HPMN0
static_assert(id_aa64mmfr0_el1::fgt.msb == 59 && id_aa64mmfr0_el1::fgt.lsb == 56);
static_assert(static_cast<int>(id_aa64mmfr0_el1::fgt_t::fgt2) == 2);

}  // namespace
