# Structure benchmarks (one mc_add_bench line per binary; shared by the structs engineers).
# bench_pq: d-ary heaps and the pairing heap, with C++ std::priority_queue (bench_pq_ref.cc) as
# the reference in the same binary.
mc_add_bench(bench_pq bench_pq.c bench_pq_ref.cc)
# bench_ndarray: c = a + b and sum against plain C loops (bandwidth), append-fill per allocator
# and growth policy.
mc_add_bench(bench_ndarray bench_ndarray.c)
