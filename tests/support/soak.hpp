// SPDX-License-Identifier: MIT
// How long the property worlds run: seeds x operations per program, by default the CI's
// (at least 10^5 operations per policy), or what the environment asks for, to soak them longer:
//   VPMU_PROPERTY_SEEDS=2500 VPMU_PROPERTY_LENGTH=4000 build/gcc/tests/vpmu_property_tests
//   VPMU_PROPERTY_FIRST_SEED=1000 ...   (start elsewhere in the seed space)
#pragma once

#include <cstdint>
#include <cstdlib>

namespace test_support {

inline std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  return (end != nullptr && *end == '\0' && n > 0) ? n : fallback;
}

struct soak_plan {
  std::uint64_t first_seed, seeds, length;
};

inline soak_plan property_plan(unsigned seeds, unsigned length) {
  return {env_or("VPMU_PROPERTY_FIRST_SEED", 1), env_or("VPMU_PROPERTY_SEEDS", seeds),
          env_or("VPMU_PROPERTY_LENGTH", length)};
}

}  // namespace test_support
