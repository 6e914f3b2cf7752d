# The Linux kernel's own arch/arm64/tools/sysreg, read unchanged (a third-party test input,
# found through the VPMU_LINUX_SYSREG path option; skipped when absent):
#  1. without --keep-going: exit 1, exactly its two known defects, each at its line;
#  2. with --keep-going: every other block is emitted, and the header compiles.
#   GEN  CXX  FLAGS  INPUT  WORK
if(NOT EXISTS "${INPUT}")
  message(STATUS "SKIPPED: ${INPUT} not found (the shared reference inputs are not beside the "
                 "project on this machine)")
  return()
endif()
file(STRINGS "${INPUT}" lines)
list(LENGTH lines n)
message(STATUS "input: ${INPUT} (${n} lines)")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

execute_process(COMMAND "${GEN}" --namespace linux_sysreg -o "${WORK}/strict.hpp" "${INPUT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
string(REGEX MATCHALL "[^\n]*:[0-9]+: [^\n]*" problems "${err}")
list(LENGTH problems count)
if(NOT rc EQUAL 1 OR NOT count EQUAL 2)
  message(FATAL_ERROR "expected exit 1 with exactly 2 problems, got ${rc} with ${count}:\n${err}")
endif()
list(GET problems 0 first)
list(GET problems 1 second)
if(NOT first MATCHES ":1796: .*'0b0002'.*not a binary literal")
  message(FATAL_ERROR "first problem should be the 0b0002 enumerator at line 1796: ${first}")
endif()
if(NOT second MATCHES ":4766: .*MPAM1_EL12.*MPAM1_ELx.*no SysregFields")
  message(FATAL_ERROR "second problem should be the undefined Fields MPAM1_ELx at line 4766: ${second}")
endif()
message(STATUS "${first}")
message(STATUS "${second}")

execute_process(COMMAND "${GEN}" --keep-going --namespace linux_sysreg
                        -o "${WORK}/linux_sysreg.gen.hpp" "${INPUT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT EXISTS "${WORK}/linux_sysreg.gen.hpp")
  message(FATAL_ERROR "--keep-going should write the header and still exit 1: rc=${rc}\n${err}")
endif()
if(NOT err MATCHES "vpmu-sysreg-gen: wrote [^\n]*linux_sysreg.gen.hpp [^\n]*; 2 problem\\(s\\) above")
  message(FATAL_ERROR "--keep-going: the last line must say it wrote the header despite the "
                      "problems:\n${err}")
endif()
file(READ "${WORK}/linux_sysreg.gen.hpp" header)
foreach(absent IN ITEMS "struct id_aa64dfr2_el1 " "struct mpam1_el12 ")
  string(FIND "${header}" "${absent}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the invalid block '${absent}' was emitted")
  endif()
endforeach()
string(REGEX MATCH "count = ([0-9]+)" m "${header}")
message(STATUS "registers emitted: ${CMAKE_MATCH_1}")
file(WRITE "${WORK}/use.cpp"
  "#include \"linux_sysreg.gen.hpp\"\n"
  "static_assert(linux_sysreg::registers::count > 250);\n"
  "static_assert(linux_sysreg::id_aa64dfr0_el1::encoding.key() != 0);\n")
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
execute_process(COMMAND "${CXX}" ${flags} -fsyntax-only "${WORK}/use.cpp"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the --keep-going header does not compile:\n${err}")
endif()
message(STATUS "the --keep-going output compiles")
