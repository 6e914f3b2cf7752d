// SPDX-License-Identifier: MIT
// Build-time knobs shared by every vpmu header.
#pragma once

// VPMU_ASSERT(cond) guards conditions that are programming errors of the caller (for example
// reading the value of a result that holds an error). Hypervisors usually have their own panic
// path: define VPMU_ASSERT before including any vpmu header to route it there. The default traps,
// which also makes a violated assertion a compile error inside constant evaluation.
#ifndef VPMU_ASSERT
#define VPMU_ASSERT(cond)          \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)
#endif

// Hot-path helpers are forced inline: load()/put() and trap handlers must not turn into call
// chains, and the codegen tests rely on it.
#if defined(__GNUC__) || defined(__clang__)
#define VPMU_ALWAYS_INLINE inline __attribute__((always_inline))
#define VPMU_ALWAYS_INLINE_LAMBDA __attribute__((always_inline))  // [&](auto n) X { ... }
#else
#define VPMU_ALWAYS_INLINE inline
#define VPMU_ALWAYS_INLINE_LAMBDA
#endif
