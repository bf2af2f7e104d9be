# harness/: the curve recorder and workloads; the collector workloads (mc_gcwork).
if(TARGET mc_harness)
  mc_add_test(harness/test_curve mc_harness)
endif()
mc_add_test(harness/test_gcwork)
target_sources(test_gcwork PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared/mc_gcwork.c)
target_include_directories(test_gcwork PRIVATE ${PROJECT_SOURCE_DIR}/benches/harness/shared)
