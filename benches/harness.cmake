# Harness part: the HDF5 results library (also linked by the plots code), the curve recorder,
# workloads, the fork/exec runner and the `memcurve` command.
add_library(mc_results STATIC ${CMAKE_CURRENT_SOURCE_DIR}/mc_h5.c)
target_include_directories(mc_results PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(mc_results PUBLIC mc_alloc HDF5::HDF5)
