// SPDX-License-Identifier: MIT
// The architecture-neutral layer: bit fields, register values, ID-field comparisons, counters.
#pragma once

#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/core/field.hpp"
#include "vpmu/core/fixed_string.hpp"
#include "vpmu/core/id_field.hpp"
#include "vpmu/core/layout.hpp"
#include "vpmu/core/modify.hpp"
#include "vpmu/core/reg_value.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/core/supported.hpp"
#include "vpmu/core/traits.hpp"
