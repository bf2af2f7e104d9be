# Collector part: the GC workloads (binary-trees, GCBench, cycles) as a library the curve
# harness links, and bench_gc (Google Benchmark mode, plus `compare` and `pauses` drivers).
add_library(mc_gcwork STATIC ${CMAKE_CURRENT_SOURCE_DIR}/mc_gcwork.c)
target_include_directories(mc_gcwork PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(mc_gcwork PUBLIC memcurve)
mc_add_bench(bench_gc bench_gc.c LIBS mc_gcwork)
