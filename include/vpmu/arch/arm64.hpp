// SPDX-License-Identifier: MIT
// Arm PMUv3: register descriptions (generated from spec/), families, trap decoding, caps.
#pragma once

#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/arch/arm64/events.hpp"
#include "vpmu/arch/arm64/id_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_families.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/arch/arm64/sysreg_encoding.hpp"
