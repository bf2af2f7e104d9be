# benches: the results file, the curve recorder, the memcurve command (harness part).
if(TARGET mc_results)
  mc_add_test(benches/test_h5 mc_results)
endif()
