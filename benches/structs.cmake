# Structure benchmarks (one mc_add_bench line per binary; shared by the structs engineers).
# bench_pq: d-ary heaps and the pairing heap, with C++ std::priority_queue (bench_pq_ref.cc) as
# the reference in the same binary.
mc_add_bench(bench_pq bench_pq.c bench_pq_ref.cc)
# bench_list: fill, drain, iterate, iterate after churn (locality) per allocator.
mc_add_bench(bench_list bench_list.c)
# bench_boxed: boxed array fill, drain, sum per allocator, beside the f64 ndarray's sum.
mc_add_bench(bench_boxed bench_boxed.c)
# bench_ndarray: c = a + b and sum against plain C loops (bandwidth), append-fill per allocator
# and growth policy.
mc_add_bench(bench_ndarray bench_ndarray.c)
