# The generator's exit status means what it says: 0 only when a header was written (and the
# drift/linux tests show such headers compile); a usage or I/O problem is 2 with one line saying
# which, and nothing is left behind.
#   GEN  the generator   SPEC  a valid spec   WORK  a scratch directory
function(expect_failure what)
  execute_process(COMMAND "${GEN}" ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "${what}: expected exit status 2, got ${rc}\n${err}")
  endif()
  if(err STREQUAL "")
    message(FATAL_ERROR "${what}: exit status 2 without a message")
  endif()
  message(STATUS "${what}: ${err}")
endfunction()

file(MAKE_DIRECTORY "${WORK}")
file(REMOVE "${WORK}/out.hpp")  # from an earlier run
expect_failure("a directory as input" --namespace x -o "${WORK}/out.hpp" "${WORK}")
expect_failure("a namespace with a space" --namespace "a b" -o "${WORK}/out.hpp" "${SPEC}")
expect_failure("a keyword as namespace" --namespace "vpmu::class" -o "${WORK}/out.hpp" "${SPEC}")
expect_failure("a group that is no identifier" --namespace x --group "a-b" -o "${WORK}/out.hpp"
               "${SPEC}")
if(EXISTS "${WORK}/out.hpp")
  message(FATAL_ERROR "a header was written by a failing run")
endif()
if(EXISTS /dev/full)
  expect_failure("a write to a full device" --namespace x -o /dev/full "${SPEC}")
else()
  message(STATUS "no /dev/full here: the write-failure case is not exercised")
endif()
execute_process(COMMAND "${GEN}" --namespace x -o "${WORK}/out.hpp" "${SPEC}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT EXISTS "${WORK}/out.hpp")
  message(FATAL_ERROR "a valid run failed (${rc})")
endif()
