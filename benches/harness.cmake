# Harness part: the HDF5 results library (also linked by the plots code), the curve recorder,
# workloads, the fork/exec runner and the `memcurve` command.
add_library(mc_results STATIC ${CMAKE_CURRENT_SOURCE_DIR}/mc_h5.c ${CMAKE_CURRENT_SOURCE_DIR}/mc_h5_storage.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_h5_guard.c ${CMAKE_CURRENT_SOURCE_DIR}/mc_io.c)
target_include_directories(mc_results PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
find_package(ZLIB REQUIRED) # inflating chunks to check them (mc_h5_storage.c)
target_link_libraries(mc_results PUBLIC mc_alloc HDF5::HDF5 ZLIB::ZLIB)

add_library(mc_harness STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_curve.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_wl_structs.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_workload.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_runner.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_gbjson.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_stats.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_cli.c)
target_include_directories(mc_harness PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(mc_harness PUBLIC mc_results mc_gcwork memcurve m)

add_executable(memcurve_cli ${CMAKE_CURRENT_SOURCE_DIR}/memcurve.c)
set_target_properties(memcurve_cli PROPERTIES OUTPUT_NAME memcurve)
target_link_libraries(memcurve_cli PRIVATE mc_harness mc_plots) # mc_plots: plots.cmake
string(TOUPPER "${CMAKE_BUILD_TYPE}" _mc_bt)
target_compile_definitions(memcurve_cli PRIVATE
  MC_BUILD_FLAGS="${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${_mc_bt}}" MC_BUILD_TYPE="${CMAKE_BUILD_TYPE}")

