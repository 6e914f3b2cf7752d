cmake_policy(VERSION 3.25)
# bench-smoke: one pass of every benchmark, and its report checked for content, not only the exit
# status: every family of world-switch and trap measurements present, and each with its register
# access counters (present, non-negative, reads + writes = accesses).
#   BENCH  the vpmu_bench binary   WORK  a scratch directory
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${BENCH}" --benchmark_min_time=0 --benchmark_repetitions=1
                        --benchmark_format=json
                OUTPUT_FILE "${WORK}/report.json" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vpmu_bench exited with ${rc}\n${err}")
endif()
file(READ "${WORK}/report.json" report)
string(JSON n LENGTH "${report}" benchmarks)
if(n EQUAL 0)
  message(FATAL_ERROR "the report lists no benchmark")
endif()
set(expected
  round_trip/intel/mediated round_trip/intel/emulated round_trip/intel/lazy_mediated
  round_trip/intel/mediated_reserved round_trip/amd/mediated_reserved
  round_trip/intel/kvm_mediated round_trip/intel/raw_copy_mediated
  round_trip/amd/mediated round_trip/amd/emulated round_trip/amd/lazy_mediated
  round_trip/amd/kvm_mediated round_trip/amd/raw_copy_mediated
  round_trip/arm64/partitioned round_trip/arm64/mediated round_trip/arm64/emulated
  round_trip/arm64/lazy_partitioned round_trip/arm64/lazy_mediated
  round_trip/arm64/partitioned_cold round_trip/arm64/lazy_partitioned_cold
  round_trip/arm64/mediated_cold round_trip/arm64/kvm_v5_partitioned
  round_trip/arm64/kvm_v7_partitioned round_trip/arm64/raw_copy_partitioned
  trap/intel/mediated trap/intel/emulated trap/amd/mediated trap/amd/emulated
  trap/arm64/partitioned trap/arm64/emulated)
set(seen "")
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${report}" benchmarks ${i} name)
  set(whole TRUE)
  foreach(counter reg_accesses reg_reads reg_writes)
    string(JSON v ERROR_VARIABLE missing GET "${report}" benchmarks ${i} ${counter})
    # Google Benchmark reports counters as non-negative decimals (averages per iteration).
    if(missing OR NOT v MATCHES "^[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$")
      message(FATAL_ERROR "${name}: counter ${counter} missing or negative ('${v}')")
    endif()
    if(v MATCHES "^([0-9]+)(\\.0+)?$")
      set(${counter} ${CMAKE_MATCH_1})
    else()
      set(whole FALSE)
    endif()
  endforeach()
  if(whole)
    math(EXPR sum "${reg_reads} + ${reg_writes}")
    if(NOT sum EQUAL reg_accesses)
      message(FATAL_ERROR "${name}: ${reg_reads} reads + ${reg_writes} writes != ${reg_accesses}")
    endif()
  endif()
  string(REGEX MATCH "^[a-z_]+/[a-z0-9]+/[a-z0-9_]+" family "${name}")
  list(APPEND seen "${family}")
endforeach()
foreach(f IN LISTS expected)
  if(NOT f IN_LIST seen)
    message(FATAL_ERROR "no benchmark of the family ${f} in the report")
  endif()
endforeach()
message(STATUS "${n} benchmarks, every expected family present with its access counters")
