# plots/: charts and the HTML report; plot_fixture writes a small results file.
if(TARGET mc_plots)
  add_library(mc_plotfix STATIC ${CMAKE_CURRENT_SOURCE_DIR}/plots/plot_fixture.c)
  target_include_directories(mc_plotfix PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/plots)
  target_link_libraries(mc_plotfix PUBLIC mc_plots mc_testutil)
  mc_add_test(plots/test_plot mc_plotfix)
  mc_add_test(plots/test_report mc_plotfix)
  mc_add_test(plots/test_memcharts mc_plotfix) # the memory charts' defects, on their data
  target_compile_definitions(test_memcharts PRIVATE MC_PLOTS_DIR="${PROJECT_SOURCE_DIR}/plots")
  if(TARGET mc_cli) # `memcurve plot` and `memcurve report` themselves (cli/cmd_plot.c, cmd_report.c)
    target_link_libraries(test_plot PRIVATE mc_cli)
    target_link_libraries(test_report PRIVATE mc_cli)
  endif()
endif()
