# Plots part: `memcurve plot` (gnuplot charts) and `memcurve report` (HTML report), on top of
# the results reader mc_results (harness.cmake). The gnuplot scripts are read at run time from
# the source tree's plots/ (or --scripts DIR / $MEMCURVE_PLOTS).
if(TARGET mc_results)
  add_library(mc_plots STATIC ${CMAKE_CURRENT_SOURCE_DIR}/mc_plot.c
    ${CMAKE_CURRENT_SOURCE_DIR}/mc_plot_charts.c
    ${CMAKE_CURRENT_SOURCE_DIR}/mc_plotdata.c ${CMAKE_CURRENT_SOURCE_DIR}/mc_report.c)
  target_include_directories(mc_plots PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(mc_plots PUBLIC mc_results m)
  target_compile_definitions(mc_plots PRIVATE MC_PLOTS_DIR="${PROJECT_SOURCE_DIR}/plots")
endif()
