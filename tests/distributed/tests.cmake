# distributed/: a sweep in shards over GNU parallel (locally and to stand-in hosts) and over a
# single-node Slurm cluster started by the test, each merged file checked against a serial run.
# Label `distributed`; exit 77 (not root, packages missing) is a skip. Alone (RUN_SERIAL): it
# starts daemons and runs two shards at once.
if(TARGET memcurve_cli)
  add_test(NAME test_distributed COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/distributed/test_distributed.sh
    $<TARGET_FILE:memcurve_cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(test_distributed PROPERTIES LABELS distributed TIMEOUT 300
    SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
endif()
