# benches: the results file, the curve recorder, the memcurve command (harness part).
if(TARGET mc_results)
  mc_add_test(benches/test_h5 mc_results)
endif()
if(TARGET memcurve_cli)
  mc_add_test(benches/test_curve mc_harness)
  mc_add_test(benches/test_cli mc_harness)
  target_compile_definitions(test_cli PRIVATE MC_MEMCURVE_EXE="$<TARGET_FILE:memcurve_cli>"
    MC_SCRIPTS_DIR="${PROJECT_SOURCE_DIR}/scripts")
  add_dependencies(test_cli memcurve_cli)
  # a produced file read by h5dump and by h5py; the massif accuracy check (valgrind)
  add_test(NAME test_h5_readers COMMAND ${PROJECT_SOURCE_DIR}/scripts/check_h5_readers.sh
    $<TARGET_FILE:memcurve_cli>)
  set_tests_properties(test_h5_readers PROPERTIES TIMEOUT 900)
  if(NOT MEMCURVE_SANITIZE) # valgrind cannot run an ASan binary
    add_test(NAME test_massif COMMAND /usr/bin/python3
      ${PROJECT_SOURCE_DIR}/scripts/massif_check.py $<TARGET_FILE:memcurve_cli>)
    set_tests_properties(test_massif PROPERTIES TIMEOUT 900)
  endif()
endif()
# benches: the Google Benchmark C wrapper (mc_bench) end to end.
if(TARGET mc_bench)
  mc_add_test(benches/test_bench mc_bench)
endif()
# benches: the allocator targets table from a short real run of bench_alloc: every figure there
# (the timings themselves are not judged: scripts/alloc_targets.py prints them)
if(TARGET bench_alloc)
  add_test(NAME test_alloc_targets COMMAND /usr/bin/python3
    ${PROJECT_SOURCE_DIR}/scripts/alloc_targets.py $<TARGET_FILE:bench_alloc> --reps 2
    --min-time 0.001 --complete)
  set_tests_properties(test_alloc_targets PROPERTIES TIMEOUT 600)
endif()
# benches: charts and the HTML report (plots part); plot_fixture writes a small results file.
if(TARGET mc_plots)
  add_library(mc_plotfix STATIC ${CMAKE_CURRENT_SOURCE_DIR}/benches/plot_fixture.c)
  target_include_directories(mc_plotfix PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/benches)
  target_link_libraries(mc_plotfix PUBLIC mc_plots mc_testutil)
  mc_add_test(benches/test_plot mc_plotfix)
  mc_add_test(benches/test_report mc_plotfix)
endif()
