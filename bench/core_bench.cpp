// SPDX-License-Identifier: MIT
// Cost of the core value layer on its own: a read-modify-write through an in-memory backend.
#include <benchmark/benchmark.h>
#include <cstdint>

#include <vpmu/vpmu.hpp>

namespace {

struct ctrl : vpmu::layout_base<"CTRL", 64, vpmu::reserved_bits{.res0 = ~0xffffULL}> {
  static constexpr vpmu::flag<ctrl, 0, "E"> e{};
  static constexpr vpmu::field<ctrl, 15, 1, "REST"> rest{};
  using fields = vpmu::field_list<decltype(e), decltype(rest)>;
};

struct memory_backend {
  std::uint64_t cell = 0;
  template <class R>
  std::uint64_t read() {
    benchmark::DoNotOptimize(cell);
    return cell;
  }
  template <class R>
  void write(std::uint64_t v) {
    cell = v;
    benchmark::ClobberMemory();
  }
};

void core_modify(benchmark::State& state) {
  memory_backend hw;
  for (auto _ : state) {
    benchmark::DoNotOptimize(vpmu::modify<ctrl>(hw, ctrl::e = 1, ctrl::rest = 7));
  }
}
BENCHMARK(core_modify);

}  // namespace
