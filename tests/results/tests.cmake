# results/: the results file written and read back.
if(TARGET mc_results)
  mc_add_test(results/test_h5 mc_results)
endif()
