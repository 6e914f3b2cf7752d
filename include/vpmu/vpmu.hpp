// SPDX-License-Identifier: MIT
// Umbrella header: everything vpmu offers.
#pragma once

#include "vpmu/arch/arm64.hpp"
#include "vpmu/arch/x86.hpp"
#include "vpmu/core.hpp"
#include "vpmu/vcpu_pmu.hpp"
#include "vpmu/version.hpp"
