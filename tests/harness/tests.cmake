# harness/: the curve recorder and workloads; the collector workloads (mc_gcwork).
if(TARGET mc_harness)
  mc_add_test(harness/test_curve mc_harness)
endif()
mc_add_test(harness/test_gcwork)
target_sources(test_gcwork PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared/mc_gcwork.c)
target_include_directories(test_gcwork PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared)
mc_add_test(harness/test_regions) # the region-shaped workload under every allocator
target_sources(test_regions PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared/mc_regions.c)
target_include_directories(test_regions PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared)
