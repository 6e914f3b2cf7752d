# Runs one compile of one TU and judges the outcome (used by the `static` and `compile-fail`
# CTest tests; run with `cmake -P`).
#   COMPILER  the C++ compiler      SOURCE  the TU
#   FLAGS     ;-list of flags       EXPECT  "pass" or "fail"
# A compile-fail TU names the diagnostic it must produce in a line
#   // vpmu-expect-error: <regex>
# so a case that breaks for an unrelated reason (typo, missing include) does not pass, and may
# say how many errors the compiler may report in all (the first being the one named):
#   // vpmu-expect-errors: <n>
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
execute_process(COMMAND "${COMPILER}" ${flags} -fsyntax-only "${SOURCE}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(EXPECT STREQUAL "pass")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} must compile but did not:\n${err}")
  endif()
  message(STATUS "compiled: ${SOURCE}")
  return()
endif()

file(STRINGS "${SOURCE}" expect_lines REGEX "vpmu-expect-error:")
if(NOT expect_lines)
  message(FATAL_ERROR "${SOURCE}: no `// vpmu-expect-error: <regex>` line")
endif()
if(rc EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it is a compile-fail case")
endif()
foreach(line IN LISTS expect_lines)
  string(REGEX REPLACE ".*vpmu-expect-error:[ ]*" "" regex "${line}")
  if(NOT "${out}${err}" MATCHES "${regex}")
    message(FATAL_ERROR "${SOURCE} failed to compile, but not with the expected diagnostic "
                        "'${regex}'. Compiler said:\n${err}")
  endif()
  message(STATUS "rejected as expected (${regex}): ${SOURCE}")
endforeach()
file(STRINGS "${SOURCE}" count_lines REGEX "vpmu-expect-errors:")
if(count_lines)
  string(REGEX REPLACE ".*vpmu-expect-errors:[ ]*([0-9]+).*" "\\1" want "${count_lines}")
  string(REGEX MATCHALL "(^|\n)[^\n]*error:" found "${err}")
  list(LENGTH found n)
  if(NOT n EQUAL want)
    message(FATAL_ERROR "${SOURCE}: ${n} errors, expected ${want} (no follow-on errors). "
                        "Compiler said:\n${err}")
  endif()
endif()
