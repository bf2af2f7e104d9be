# Harness part: the HDF5 results library (also linked by the plots code), the curve recorder,
# workloads, the fork/exec runner and the `memcurve` command.
add_library(mc_results STATIC ${CMAKE_CURRENT_SOURCE_DIR}/mc_h5.c)
target_include_directories(mc_results PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(mc_results PUBLIC mc_alloc HDF5::HDF5)

# Which allocators/structures/collector parts have landed: a module counts once its .c is
# compiled into its library (so half-written headers never break this build).
function(mc_harness_detect target file macro)
  if(TARGET ${target})
    get_target_property(_srcs ${target} SOURCES)
    if(_srcs AND ";${_srcs};" MATCHES ";([^;]*/)?${file};")
      set(MC_HARNESS_DEFS ${MC_HARNESS_DEFS} ${macro} PARENT_SCOPE)
    endif()
  endif()
endfunction()
set(MC_HARNESS_DEFS "")
mc_harness_detect(mc_alloc mc_counting.c MC_HAVE_COUNTING)
mc_harness_detect(mc_alloc mc_stack.c MC_HAVE_STACK)
mc_harness_detect(mc_alloc mc_arena.c MC_HAVE_ARENA)
mc_harness_detect(mc_alloc mc_pool.c MC_HAVE_POOL)
mc_harness_detect(mc_structs mc_ndarray.c MC_HAVE_NDARRAY)
mc_harness_detect(mc_structs mc_boxed.c MC_HAVE_BOXED)
mc_harness_detect(mc_structs mc_list.c MC_HAVE_LIST)
mc_harness_detect(mc_structs mc_pq.c MC_HAVE_PQ)
mc_harness_detect(mc_structs mc_pairing.c MC_HAVE_PAIRING)
mc_harness_detect(mc_gc mc_gc.c MC_HAVE_GC)
mc_harness_detect(mc_gc mc_boehm.c MC_HAVE_BOEHM)
mc_harness_detect(mc_gc mc_gcwork.c MC_HAVE_GCWORK)
if(TARGET mc_gcwork)
  list(APPEND MC_HARNESS_DEFS MC_HAVE_GCWORK)
endif()
message(STATUS "memcurve harness: ${MC_HARNESS_DEFS}")

add_library(mc_harness STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_curve.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_wl_structs.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_workload.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_runner.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_gbjson.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_stats.c
  ${CMAKE_CURRENT_SOURCE_DIR}/mc_cli.c)
target_include_directories(mc_harness PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(mc_harness PUBLIC mc_results memcurve m)
target_compile_definitions(mc_harness PUBLIC ${MC_HARNESS_DEFS})
if(TARGET mc_gcwork)
  target_link_libraries(mc_harness PUBLIC mc_gcwork)
endif()

add_executable(memcurve_cli ${CMAKE_CURRENT_SOURCE_DIR}/memcurve.c)
set_target_properties(memcurve_cli PROPERTIES OUTPUT_NAME memcurve)
target_link_libraries(memcurve_cli PRIVATE mc_harness)
string(TOUPPER "${CMAKE_BUILD_TYPE}" _mc_bt)
target_compile_definitions(memcurve_cli PRIVATE
  MC_BUILD_FLAGS="${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${_mc_bt}}" MC_BUILD_TYPE="${CMAKE_BUILD_TYPE}")

# plot/report come from the plots part (plots.cmake, included after this file): link them
# once the whole directory is read, if the target exists by then.
function(mc_harness_link_plots)
  if(TARGET mc_plots)
    get_target_property(_srcs mc_plots SOURCES)
    target_link_libraries(memcurve_cli PRIVATE mc_plots)
    if(";${_srcs};" MATCHES "mc_plot.c;")
      target_compile_definitions(memcurve_cli PRIVATE MC_HAVE_PLOT)
    endif()
    if(";${_srcs};" MATCHES "mc_report.c;")
      target_compile_definitions(memcurve_cli PRIVATE MC_HAVE_REPORT)
    endif()
  endif()
endfunction()
cmake_language(DEFER CALL mc_harness_link_plots)
