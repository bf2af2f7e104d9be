# results/: the results file written and read back.
if(TARGET mc_results)
  mc_add_test(results/test_h5 mc_results)
  target_compile_definitions(test_h5 PRIVATE MC_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/results/data")
endif()
if(TARGET mc_results) # provenance per run (mc_prov.h, /provenance)
  mc_add_test(results/test_prov mc_results)
  target_compile_definitions(test_prov PRIVATE MC_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/results/data")
endif()
