# plots/: charts and the HTML report; plot_fixture writes a small results file.
if(TARGET mc_plots)
  add_library(mc_plotfix STATIC ${CMAKE_CURRENT_SOURCE_DIR}/plots/plot_fixture.c)
  target_include_directories(mc_plotfix PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/plots)
  target_link_libraries(mc_plotfix PUBLIC mc_plots mc_testutil)
  mc_add_test(plots/test_plot mc_plotfix)
  mc_add_test(plots/test_report mc_plotfix)
endif()
