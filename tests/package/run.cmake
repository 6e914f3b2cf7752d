# Configures, builds and runs tests/package/consumer against vpmu (cmake -P).
#   MODE=find_package     install vpmu into a prefix, then find_package(vpmu) from there
#   MODE=add_subdirectory the consumer adds the vpmu source tree
#   MODE=no_test_packages configure and install vpmu as a user would, without the test packages
file(REMOVE_RECURSE "${WORK}")
set(consumer "${CMAKE_CURRENT_LIST_DIR}/consumer")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed: ${cmd}\n${out}\n${err}")
  endif()
endfunction()

set(common -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}")
if(MODE STREQUAL "no_test_packages")
elseif(MODE STREQUAL "find_package")
  run("${CMAKE_COMMAND}" -S "${VPMU_SOURCE}" -B "${WORK}/vpmu-build" ${common}
      -DVPMU_BUILD_TESTS=OFF -DVPMU_BUILD_BENCH=OFF -DVPMU_BUILD_EXAMPLES=OFF -DVPMU_INSTALL=ON
      "-DCMAKE_INSTALL_PREFIX=${WORK}/prefix")
  run("${CMAKE_COMMAND}" --install "${WORK}/vpmu-build")
  if(NOT EXISTS "${WORK}/prefix/include/vpmu/vpmu.hpp")
    message(FATAL_ERROR "install did not put vpmu/vpmu.hpp under include/")
  endif()
  run("${CMAKE_COMMAND}" -S "${consumer}" -B "${WORK}/consumer-build" ${common}
      -DVPMU_CONSUME=find_package "-DCMAKE_PREFIX_PATH=${WORK}/prefix")
else()
  run("${CMAKE_COMMAND}" -S "${consumer}" -B "${WORK}/consumer-build" ${common}
      -DVPMU_CONSUME=add_subdirectory "-DVPMU_SOURCE=${VPMU_SOURCE}")
endif()
if(MODE STREQUAL "no_test_packages")
  # A plain configure + install of vpmu where doctest and Google Benchmark are missing
  # (simulated): tests and benchmarks turn off, the install succeeds.
  run("${CMAKE_COMMAND}" -S "${VPMU_SOURCE}" -B "${WORK}/vpmu-build" ${common}
      -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON
      "-DCMAKE_INSTALL_PREFIX=${WORK}/prefix")
  run("${CMAKE_COMMAND}" --install "${WORK}/vpmu-build")
  if(NOT EXISTS "${WORK}/prefix/include/vpmu/vpmu.hpp")
    message(FATAL_ERROR "install did not put vpmu/vpmu.hpp under include/")
  endif()
  message(STATUS "configured and installed without doctest and Google Benchmark")
  return()
endif()
run("${CMAKE_COMMAND}" --build "${WORK}/consumer-build")
run("${WORK}/consumer-build/c")
message(STATUS "consumer (${MODE}) configured, built and ran")
