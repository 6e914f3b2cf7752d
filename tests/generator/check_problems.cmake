# Runs vpmu-sysreg-gen on one spec and compares the problems it reports (FILE:LINE: message) with
# the ones the spec file announces in comment lines:
#   # vpmu-expect: <line>: <regex>
# Every announced problem must be reported at exactly that line, and nothing else may be
# reported. The exit status must be 1 (problems found).
#   GEN  the generator   SPEC  the spec file   WORK  a scratch directory
file(STRINGS "${SPEC}" expectations REGEX "^# vpmu-expect: ")
if(NOT expectations)
  message(FATAL_ERROR "${SPEC}: no `# vpmu-expect: <line>: <regex>` lines")
endif()
execute_process(COMMAND "${GEN}" --source-name case.sysreg -o "${WORK}/out.hpp" "${SPEC}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit status 1, got ${rc}\n${err}")
endif()
string(REGEX MATCHALL "case\\.sysreg:[0-9]+: [^\n]*" reported "${err}")
list(LENGTH reported n_reported)
list(LENGTH expectations n_expected)
foreach(e IN LISTS expectations)
  string(REGEX REPLACE "^# vpmu-expect: ([0-9]+): (.*)$" "\\1" line "${e}")
  string(REGEX REPLACE "^# vpmu-expect: ([0-9]+): (.*)$" "\\2" regex "${e}")
  set(found FALSE)
  foreach(r IN LISTS reported)
    if(r MATCHES "^case\\.sysreg:${line}: " AND r MATCHES "${regex}")
      set(found TRUE)
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "expected a problem at line ${line} matching '${regex}'; reported:\n${err}")
  endif()
  message(STATUS "reported at line ${line}: ${regex}")
endforeach()
if(NOT n_reported EQUAL n_expected)
  message(FATAL_ERROR "expected ${n_expected} problem(s), reported ${n_reported}:\n${err}")
endif()
if(EXISTS "${WORK}/out.hpp")
  message(FATAL_ERROR "a header was written despite problems (no --keep-going)")
endif()
