# gbench/: the Google Benchmark C wrapper (mc_bench) end to end, and the allocator targets
# table from a short real run of bench_alloc (the timings themselves are not judged:
# scripts/alloc_targets.py prints them).
if(TARGET mc_bench)
  mc_add_test(gbench/test_bench mc_bench)
endif()
if(TARGET bench_alloc)
  add_test(NAME test_alloc_targets COMMAND /usr/bin/python3
    ${PROJECT_SOURCE_DIR}/scripts/alloc_targets.py $<TARGET_FILE:bench_alloc> --reps 2
    --min-time 0.001 --complete)
  set_tests_properties(test_alloc_targets PROPERTIES TIMEOUT 600)
endif()
