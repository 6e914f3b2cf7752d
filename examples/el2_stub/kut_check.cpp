// SPDX-License-Identifier: MIT
// Checks a transcript of kvm-unit-tests' arm/pmu below the kvm-unit-tests host (run_kut.sh)
// against the expectations file:
//   kut_check <cpu> <policy> <kut_expectations.txt> <kut_entries.txt> <transcript>
// Every FAIL or SKIP line the guest prints, and every "HOST: FAIL" line, must be listed for this
// CPU and policy with a reason; every listed line must show (no stale entries); a reason is a
// QEMU deviation named in qemu_deviations.hpp or a feature QEMU 7.2 does not implement -- never
// anything else. PASS lines must number at least plain QEMU's baseline less the FAILs a listed
// deviation explains. Every entry must run to the end (the host's last line, "HOST: done, ...").
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "qemu_deviations.hpp"

namespace {

constexpr std::string_view not_implemented = "not implemented by QEMU 7.2: ";
constexpr std::string_view deviation_prefix = "deviation ";

struct expectation {
  std::string cpus, policies, entry, line, reason;
  int source_line = 0;
  bool seen = false;
};

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// "*" or a comma-separated list that contains `name`.
bool applies(const std::string& list, const std::string& name) {
  if (list == "*") return true;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (trim(item) == name) return true;
  }
  return false;
}

std::vector<std::string> read_lines(const char* path, bool& ok) {
  std::ifstream in(path);
  ok = static_cast<bool>(in);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: kut_check <cpu> <policy> <expectations> <entries> <transcript>\n");
    return 2;
  }
  const std::string cpu = argv[1], policy = argv[2];
  bool ok_e = false, ok_n = false, ok_t = false;
  const auto exp_lines = read_lines(argv[3], ok_e);
  const auto entry_lines = read_lines(argv[4], ok_n);
  const auto transcript = read_lines(argv[5], ok_t);
  if (!ok_e || !ok_n || !ok_t) {
    std::printf("FAIL: cannot read %s\n", !ok_e ? argv[3] : !ok_n ? argv[4] : argv[5]);
    return 1;
  }
  int bad = 0;

  // --- the expectations -----------------------------------------------------------------------
  std::map<std::string, int> baseline;
  std::vector<expectation> expected;
  for (std::size_t i = 0; i < exp_lines.size(); ++i) {
    const std::string l = trim(exp_lines[i]);
    const int n = static_cast<int>(i + 1);
    if (l.empty() || l[0] == '#') continue;
    if (starts_with(l, "baseline ")) {
      std::stringstream ss(l.substr(9));
      std::string c;
      int v = -1;
      ss >> c >> v;
      baseline[c] = v;
      continue;
    }
    std::vector<std::string> f;
    std::stringstream ss(l);
    for (std::string part; std::getline(ss, part, '|');)
      f.push_back(trim(part));
    if (f.size() != 5) {
      std::printf("FAIL: expectations line %d: want 'cpus | policies | entry | line | reason'\n",
                  n);
      ++bad;
      continue;
    }
    expectation e{f[0], f[1], f[2], f[3], f[4], n};
    if (starts_with(e.reason, deviation_prefix)) {
      const std::string name = e.reason.substr(deviation_prefix.size());
      if (el2_stub::find_qemu_deviation(name) == nullptr) {
        std::printf("FAIL: expectations line %d: no QEMU deviation named '%s'\n", n, name.c_str());
        ++bad;
      }
    } else if (!starts_with(e.reason, not_implemented) ||
               e.reason.size() == not_implemented.size()) {
      std::printf(
          "FAIL: expectations line %d: the reason must be 'deviation <name>' or '%.*s<what>'\n", n,
          static_cast<int>(not_implemented.size()), not_implemented.data());
      ++bad;
    }
    if (applies(e.cpus, cpu) && applies(e.policies, policy)) expected.push_back(e);
  }
  if (baseline.find(cpu) == baseline.end()) {
    std::printf("FAIL: no plain-QEMU baseline for '%s' in the expectations\n", cpu.c_str());
    return 1;
  }

  // --- the transcript, entry by entry -------------------------------------------------------
  std::vector<std::string> entries;
  for (const auto& l : entry_lines) {
    std::stringstream ss(l);
    std::string name;
    if (l.empty() || l[0] == '#' || !(ss >> name)) continue;
    entries.push_back(name);
  }
  std::vector<std::string> seen_entries;
  std::set<std::string> finished;
  int pass = 0, fail = 0, skip = 0, deviation_fails = 0;
  std::string entry;
  for (const auto& l : transcript) {
    if (starts_with(l, "=== QEMU exit status")) {
      std::printf("FAIL: %s: QEMU did not power off normally (%s)\n", entry.c_str(), l.c_str() + 4);
      ++bad;
      continue;
    }
    if (starts_with(l, "=== ")) {
      entry = l.substr(4);
      seen_entries.push_back(entry);
      continue;
    }
    if (starts_with(l, "HOST: done, failed host checks: ")) finished.insert(entry);
    if (starts_with(l, "PASS: ")) ++pass;
    const bool guest_fail = starts_with(l, "FAIL: ");
    const bool listed_kind =
        guest_fail || starts_with(l, "SKIP: ") || starts_with(l, "HOST: FAIL: ");
    if (!listed_kind) continue;
    fail += guest_fail ? 1 : 0;
    skip += starts_with(l, "SKIP: ") ? 1 : 0;
    expectation* match = nullptr;
    for (auto& e : expected) {
      if (e.entry == entry && e.line == l) match = &e;
    }
    if (match == nullptr) {
      std::printf("FAIL: unlisted: %s: %s\n", entry.c_str(), l.c_str());
      ++bad;
      continue;
    }
    match->seen = true;
    if (guest_fail && starts_with(match->reason, deviation_prefix)) ++deviation_fails;
  }
  if (seen_entries != entries) {
    std::printf("FAIL: the transcript's entries are not the %zu of the entries list\n",
                entries.size());
    ++bad;
  }
  for (const auto& name : entries) {
    if (finished.count(name) == 0) {
      std::printf("FAIL: %s: no host verdict (the guest did not reach SYSTEM_OFF)\n", name.c_str());
      ++bad;
    }
  }
  for (const auto& e : expected) {
    if (!e.seen) {
      std::printf("FAIL: stale expectation (line %d): %s: %s did not show\n", e.source_line,
                  e.entry.c_str(), e.line.c_str());
      ++bad;
    }
  }
  const int floor = baseline[cpu] - deviation_fails;
  if (pass < floor) {
    std::printf("FAIL: %d PASS, fewer than plain QEMU's %d less %d deviation FAILs\n", pass,
                baseline[cpu], deviation_fails);
    ++bad;
  }
  std::printf(
      "%s: kvm-unit-tests arm/pmu, %s, %s: PASS %d, FAIL %d, SKIP %d (plain QEMU: PASS %d)\n",
      bad == 0 ? "PASS" : "FAIL", cpu.c_str(), policy.c_str(), pass, fail, skip, baseline[cpu]);
  return bad == 0 ? 0 : 1;
}
