# cli/: the memcurve command, driven as a user would.
if(TARGET memcurve_cli)
  mc_add_test(cli/test_cli mc_cli)
  target_compile_definitions(test_cli PRIVATE MC_MEMCURVE_EXE="$<TARGET_FILE:memcurve_cli>"
    MC_SCRIPTS_DIR="${PROJECT_SOURCE_DIR}/scripts" MC_BENCH_DIR="$<TARGET_FILE_DIR:memcurve_cli>")
  add_dependencies(test_cli memcurve_cli)
  mc_add_test(cli/test_heapsweep mc_cli) # the Hertz-Berger heap sweep: bisection, facts, chart
  target_compile_definitions(test_heapsweep PRIVATE MC_MEMCURVE_EXE="$<TARGET_FILE:memcurve_cli>")
  add_dependencies(test_heapsweep memcurve_cli)
  # memcurve trace on programs whose memory and fate are known (trace_target)
  add_executable(trace_target ${CMAKE_CURRENT_SOURCE_DIR}/cli/trace_target.c)
  # a plain program even in sanitizer builds: ASan's shadow would blur the bytes it touches and
  # its SEGV handler would turn the crash into an exit status
  target_compile_options(trace_target PRIVATE -fno-sanitize=all)
  target_link_options(trace_target PRIVATE -fno-sanitize=all)
  mc_add_test(cli/test_trace mc_cli)
  target_compile_definitions(test_trace PRIVATE MC_MEMCURVE_EXE="$<TARGET_FILE:memcurve_cli>"
    MC_TRACE_TARGET="$<TARGET_FILE:trace_target>" MC_PYTHON_DIR="${PROJECT_SOURCE_DIR}/benches/python")
  add_dependencies(test_trace memcurve_cli trace_target)
  # Python's lessons end to end on the three that need no bench_* binary: traced C programs,
  # memcurve runs and CPython scripts, merged, charted, and each lesson's claims checked on its
  # own results (--check: the stack overflows, the cache leaks, rc-off keeps only the rings...)
  if(EXISTS /usr/bin/python3)
    add_test(NAME test_lessons COMMAND /usr/bin/python3
      ${PROJECT_SOURCE_DIR}/benches/python/lessons.py --only stack,leak,cycles --check --build ${PROJECT_BINARY_DIR}
      --out ${CMAKE_CURRENT_BINARY_DIR}/lessons)
    set_tests_properties(test_lessons PROPERTIES TIMEOUT 600)
  endif()
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
