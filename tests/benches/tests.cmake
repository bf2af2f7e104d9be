# benches: the results file, the curve recorder, the memcurve command (harness part).
if(TARGET mc_results)
  mc_add_test(benches/test_h5 mc_results)
endif()
# benches: the Google Benchmark C wrapper (mc_bench) end to end.
if(TARGET mc_bench)
  mc_add_test(benches/test_bench mc_bench)
endif()
