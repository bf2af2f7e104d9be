# benches: the results file, the curve recorder, the memcurve command (harness part).
if(TARGET mc_results)
  mc_add_test(benches/test_h5 mc_results)
endif()
# benches: the Google Benchmark C wrapper (mc_bench) end to end.
if(TARGET mc_bench)
  mc_add_test(benches/test_bench mc_bench)
endif()
# benches: charts and the HTML report (plots part); plot_fixture writes a small results file.
if(TARGET mc_plots)
  add_library(mc_plotfix STATIC ${CMAKE_CURRENT_SOURCE_DIR}/benches/plot_fixture.c)
  target_include_directories(mc_plotfix PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/benches)
  target_link_libraries(mc_plotfix PUBLIC mc_plots mc_testutil)
  mc_add_test(benches/test_plot mc_plotfix)
  mc_add_test(benches/test_report mc_plotfix)
endif()
