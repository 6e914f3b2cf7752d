// SPDX-License-Identifier: MIT
#pragma once

// Kept in step with project(vpmu VERSION ...) in CMakeLists.txt; a static test checks it.
#define VPMU_VERSION_MAJOR 0
#define VPMU_VERSION_MINOR 1
#define VPMU_VERSION_PATCH 0
