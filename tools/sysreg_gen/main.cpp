// SPDX-License-Identifier: MIT
// vpmu-sysreg-gen: register spec (Linux arch/arm64/tools/sysreg language) -> C++ header.
//
//   vpmu-sysreg-gen [--keep-going] [--check] [--namespace NS] [--source-name NAME]
//                   [--group NAME] -o OUT.hpp SPEC
//
// --namespace defaults to `sysreg` (a namespace of the user's, never vpmu's: a spec with
// PMCR_EL0 next to <vpmu/vpmu.hpp> would otherwise be a redefinition). --source-name is how the
// header's banner names SPEC (default: its file name, so no build path ends up in the output).
// --group names the struct listing the file's registers (default `registers`); give each file
// generated into one namespace its own.
//
// Problems are printed as FILE:LINE: message, and the exit status is 1 if there was any. Without
// --keep-going nothing is written when there is a problem; with it, every valid block is still
// emitted. --check compares with OUT instead of writing it (exit 1 when they differ).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>

#include "emitter.hpp"
#include "parser.hpp"

namespace {

constexpr const char* usage_text =
    "usage: vpmu-sysreg-gen [--keep-going] [--check] [--namespace NS] [--source-name NAME]\n"
    "                       [--group NAME] [-o OUT.hpp] SPEC\n"
    "Generates a C++20 header of vpmu register descriptions from SPEC, a file in the Linux\n"
    "kernel's arch/arm64/tools/sysreg language.\n"
    "  -o OUT.hpp          write the header there (default: standard output)\n"
    "  --namespace NS      the header's namespace (default: sysreg)\n"
    "  --group NAME        the struct that lists the file's registers (default: registers)\n"
    "  --source-name NAME  how the banner names SPEC (default: its file name)\n"
    "  --keep-going        write the valid registers even when some blocks have problems\n"
    "                      (the exit status is still 1)\n"
    "  --check             compare with OUT.hpp instead of writing it (1 when they differ)\n"
    "  --help              this text\n"
    "Exit status: 0 written, 1 problems in SPEC (or --check found a difference), 2 usage or I/O.\n";

int usage() {
  std::cerr << usage_text;
  return 2;
}

// NS must be C++ identifiers joined by '::' (none of them a keyword), GROUP one identifier.
bool valid_qualified_name(const std::string& ns, bool allow_scopes) {
  if (ns.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = allow_scopes ? ns.find("::", start) : std::string::npos;
    const std::string part = ns.substr(start, end == std::string::npos ? end : end - start);
    if (part.empty() || (part[0] >= '0' && part[0] <= '9') ||
        sysreg_gen::is_reserved_identifier(part)) {
      return false;
    }
    for (char c : part) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) return false;
    }
    if (end == std::string::npos) return true;
    start = end + 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool keep_going = false, check = false;
  std::string out_path, in_path;
  sysreg_gen::emit_options options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--help" || a == "-h") {
      std::cout << usage_text;
      return 0;
    }
    if (a == "--keep-going") {
      keep_going = true;
    } else if (a == "--check") {
      check = true;
    } else if (a == "--namespace") {
      options.name_space = next();
    } else if (a == "--group") {
      options.group = next();
    } else if (a == "--source-name") {
      options.source_name = next();
    } else if (a == "-o") {
      out_path = next();
    } else if (!a.empty() && a[0] == '-') {
      return usage();
    } else {
      in_path = a;
    }
  }
  if (in_path.empty() || options.name_space.empty()) return usage();
  if (!valid_qualified_name(options.name_space, true)) {
    std::cerr << "vpmu-sysreg-gen: --namespace '" << options.name_space
              << "' is not a C++ namespace name (identifiers joined by '::')\n";
    return 2;
  }
  if (!options.group.empty() && !valid_qualified_name(options.group, false)) {
    std::cerr << "vpmu-sysreg-gen: --group '" << options.group << "' is not a C++ identifier\n";
    return 2;
  }

  std::error_code ec;
  if (!std::filesystem::is_regular_file(in_path, ec)) {
    std::cerr << in_path << ": not a regular file\n";
    return 2;
  }
  std::ifstream in(in_path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    std::cerr << in_path << ": cannot read\n";
    return 2;
  }
  if (options.source_name.empty()) {
    options.source_name = std::filesystem::path(in_path).filename().string();
  }
  if (options.group.empty()) options.group = "registers";

  const sysreg_gen::spec s = sysreg_gen::parse(options.source_name, text.str());
  for (const auto& p : s.problems)
    std::cerr << p.file << ":" << p.line << ": " << p.message << "\n";
  if (!s.problems.empty() && !keep_going) {
    std::cerr << s.problems.size() << " problem(s); nothing written (use --keep-going to emit "
              << "the valid registers)\n";
    return 1;
  }
  const std::string header = sysreg_gen::emit(s, options);
  std::size_t registers = 0;
  for (const auto& b : s.blocks)
    registers += b.kind != sysreg_gen::block_kind::sysreg_fields ? 1 : 0;
  // The last line says what happened (stderr: stdout may be the header).
  const auto done = [&](const char* what) {
    std::cerr << "vpmu-sysreg-gen: " << what << " (" << registers << " registers, namespace "
              << options.name_space << ")";
    if (!s.problems.empty()) {
      std::cerr << "; " << s.problems.size() << " problem(s) above, their blocks left out";
    }
    std::cerr << "\n";
  };
  if (out_path.empty()) {
    std::cout << header;
    done("wrote the header to standard output");
  } else if (check) {
    std::ifstream old(out_path, std::ios::binary);
    std::stringstream old_text;
    old_text << old.rdbuf();
    if (!old || old_text.str() != header) {
      std::cerr << out_path << ": differs from what " << options.source_name
                << " generates (rebuild the vpmu_regenerate target)\n";
      return 1;
    }
    done((out_path + " is up to date").c_str());
  } else {
    std::ofstream out(out_path, std::ios::binary);
    out << header;
    out.flush();  // a full device fails here, not at the << above
    out.close();
    if (!out) {
      std::cerr << out_path << ": cannot write\n";
      // No partial header left behind (but never remove what is not a plain file: /dev/full).
      if (std::filesystem::is_regular_file(out_path, ec)) std::filesystem::remove(out_path, ec);
      return 2;
    }
    done(("wrote " + out_path).c_str());
  }
  return s.problems.empty() ? 0 : 1;
}
