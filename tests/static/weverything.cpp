// SPDX-License-Identifier: MIT
// The public headers under Clang's -Weverything, less the groups that are about other standards
// or layout (c++98/c++20 compatibility, padding) and -Wswitch-enum (switches over the register
// enums handle the rest in `default:` on purpose): a user who builds with it sees no warning from
// vpmu. Compiled by the static.clang_weverything test.
#include "vpmu/access/counting.hpp"
#include "vpmu/access/recording.hpp"
#include "vpmu/host/host_perf.hpp"
#include "vpmu/vpmu.hpp"

int main() {}
