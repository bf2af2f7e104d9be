# CUnit suites of gc/ (the collector, Boehm; they drive the GC workloads of
# benches/harness/shared/mc_gcwork.c, whose own suite is tests/harness/test_gcwork.c).
mc_add_test(gc/test_gc)
mc_add_test(gc/test_gc_inline)
mc_add_test(gc/test_gc_policy) # the heap policy (gc/mc_gc_policy.c)
mc_add_test(gc/test_boehm)
foreach(t test_gc test_boehm)
  target_sources(${t} PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared/mc_gcwork.c)
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared)
endforeach()
mc_add_test(gc/test_rc) # the reference-counting model
find_package(Threads REQUIRED)
target_link_libraries(test_rc PRIVATE Threads::Threads)
