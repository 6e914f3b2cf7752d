// SPDX-License-Identifier: MIT
// Umbrella header: everything vpmu offers.
#pragma once

#include "vpmu/core.hpp"
#include "vpmu/version.hpp"
