// SPDX-License-Identifier: MIT
// libFuzzer target: the fuzzer's bytes choose a world (policy and architecture) and drive the
// same guest-program generator as the property tests, so the same invariants are checked
// (guest reads and faults equal the architecture's, host counts exact, full state equal on save).
// A violated invariant aborts with the failing operation printed. Half the inputs first restore a
// saved state whose register file is the fuzzer's raw bytes (a migration stream is untrusted):
// refused, it must change nothing; taken, the guest program runs on from it, and no access may
// fault at the host or disturb its counter.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "property/arm_world.hpp"
#include "property/x86_world.hpp"

namespace {

// Draws from the fuzzer input instead of a PRNG; zeros once it runs out.
struct byte_source {
  const std::uint8_t* data;
  std::size_t size;
  std::uint64_t next() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      v = (v << 8) | (size != 0 ? *data : 0);
      if (size != 0) {
        ++data;
        --size;
      }
    }
    return v;
  }
  std::uint64_t below(std::uint64_t bound) {
    std::uint64_t v = 0;
    for (std::uint64_t b = bound; b > 1; b >>= 8) {
      v = (v << 8) | (size != 0 ? *data : 0);
      if (size != 0) {
        ++data;
        --size;
      }
    }
    return bound == 0 ? 0 : v % bound;
  }
};

template <class World, class Ops>
void drive(World& world, const Ops& ops) {
  for (const auto& op : ops) {
    const std::string failure = world.apply(op);
    if (!failure.empty()) {
      std::fprintf(stderr, "invariant violated at %s: %s\n", property::describe(op).c_str(),
                   failure.c_str());
      std::abort();
    }
  }
  const std::string failure = world.finish();
  if (!failure.empty()) {
    std::fprintf(stderr, "invariant violated at the end: %s\n", failure.c_str());
    std::abort();
  }
}

// A saved state of the world's current vCPU with its register file replaced by input bytes.
template <class World>
void restore_raw(World& world, byte_source& in) {
  auto s = world.pmu(0).save_state();
  std::uint64_t words[sizeof(s.registers) / 8];
  for (std::uint64_t& w : words) {
    w = in.next();
    if (in.below(4) != 0) w &= 0xffff'ffff;  // mostly small values: more of them are valid
  }
  std::memcpy(&s.registers, words, sizeof words);
  const std::string failure = world.restore_blob(s);
  if (!failure.empty()) {
    std::fprintf(stderr, "invariant violated by a raw restore: %s\n", failure.c_str());
    std::abort();
  }
}

template <class Arch, class Policy>
void run_x86(byte_source& in, bool raw) {
  property::x86_world<Arch, Policy> world;
  if (raw) restore_raw(world, in);
  drive(world, property::random_x86_program<Arch>(in, 64));
}
template <class Policy>
void run_arm(byte_source& in, property::arm_world_options o, bool raw) {
  property::arm_world<Policy> world{o};
  if (raw) restore_raw(world, in);
  drive(world, property::random_arm_program(in, 64));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  byte_source in{data + 1, size - 1};
  using namespace vpmu::policy;
  const bool raw = (data[0] & 0x80) != 0;
  switch (data[0] % 10) {
    case 0: run_x86<vpmu::arch::intel, mediated>(in, raw); break;
    case 1: run_x86<vpmu::arch::intel, emulated>(in, raw); break;
    case 2: run_x86<vpmu::arch::amd, mediated>(in, raw); break;
    case 3: run_x86<vpmu::arch::amd, emulated>(in, raw); break;
    case 4: run_x86<vpmu::arch::intel, property::switching>(in, raw); break;
    case 5: run_arm<partitioned>(in, {1, 6}, raw); break;
    case 6: run_arm<partitioned>(in, {0, 6}, raw); break;
    case 7: run_arm<emulated>(in, {0, 3}, raw); break;
    case 8: run_arm<lazy<partitioned>>(in, {1, 6}, raw); break;
    default: run_arm<property::arm_switching>(in, {1, 2}, raw); break;
  }
  return 0;
}
