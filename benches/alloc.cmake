# bench_alloc: alloc+free pairs and alloc-only bursts for every allocator, with glibc
# malloc/free called directly as the baseline (benches/bench_alloc.c).
mc_add_bench(bench_alloc bench_alloc.c)
