// SPDX-License-Identifier: MIT
// x86 PMUs: Intel architectural PMU and AMD core/PerfMonV2 descriptions, CPUID decoding,
// caps-dependent reserved masks and MSR decoding.
#pragma once

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/events.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/masks.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/arch/x86/msr_index.hpp"
#include "vpmu/arch/x86/vendor.hpp"
