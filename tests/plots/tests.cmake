# plots/: charts and the HTML report; plot_fixture writes a small results file.
if(TARGET mc_plots)
  add_library(mc_plotfix STATIC ${CMAKE_CURRENT_SOURCE_DIR}/plots/plot_fixture.c)
  target_include_directories(mc_plotfix PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/plots)
  target_link_libraries(mc_plotfix PUBLIC mc_plots mc_testutil)
  mc_add_test(plots/test_plot mc_plotfix)
  mc_add_test(plots/test_report mc_plotfix)
  mc_add_test(plots/test_hosts mc_plots) # verdicts never rank timings of two hosts
  mc_add_test(plots/test_memcharts mc_plotfix) # the memory charts' defects, on their data
  target_compile_definitions(test_memcharts PRIVATE MC_PLOTS_DIR="${PROJECT_SOURCE_DIR}/plots")
  if(TARGET mc_cli) # `memcurve plot` and `memcurve report` themselves (cli/cmd_plot.c, cmd_report.c)
    target_link_libraries(test_plot PRIVATE mc_cli)
    target_link_libraries(test_report PRIVATE mc_cli)
    # the report of the fixture, opened in headless Chromium (scripts/browser_check.py): fails
    # on a JavaScript error, a broken image, a failed load, a dead in-page anchor or a request
    # leaving the page's folder; leaves a screenshot in build/tests/browser/fixture-top.png
    add_executable(report_fixture ${CMAKE_CURRENT_SOURCE_DIR}/plots/report_fixture.c)
    target_link_libraries(report_fixture PRIVATE mc_plotfix mc_cli)
    find_program(MC_CHROMIUM chromium)
    if(MC_CHROMIUM)
      set(bdir ${CMAKE_CURRENT_BINARY_DIR}/browser)
      add_test(NAME test_report_browser COMMAND sh -c
        "rm -rf '${bdir}' && mkdir -p '${bdir}' && '$<TARGET_FILE:report_fixture>' '${bdir}' >/dev/null && /usr/bin/python3 '${PROJECT_SOURCE_DIR}/scripts/browser_check.py' '${bdir}/fixture.html' --screenshot '${bdir}/fixture-top.png'")
      set_tests_properties(test_report_browser PROPERTIES TIMEOUT 300)
    else()
      message(STATUS "chromium not found: test_report_browser skipped (make deps installs it)")
    endif()
  endif()
endif()
