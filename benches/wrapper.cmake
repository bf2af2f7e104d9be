# mc_bench: the Google Benchmark C wrapper (mc_bench.h, the only C++ shim mc_bench.cc) and the
# MemoryManager fed by the counting allocator. Every bench_* binary links it (mc_add_bench).
add_library(mc_bench STATIC ${CMAKE_CURRENT_SOURCE_DIR}/mc_bench.cc)
target_include_directories(mc_bench PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(mc_bench PUBLIC memcurve benchmark::benchmark)
