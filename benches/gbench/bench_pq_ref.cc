// bench_pq_ref.cc — the reference the array heaps are judged against: C++ std::priority_queue
// (libstdc++: a binary heap over std::vector, pop by __adjust_heap) with the same entry (double
// key, uint64_t payload, ordered by key only), the same key stream (bench_structs_env.h's
// xorshift64*) and the same workloads as bench_pq.c, registered into the same binary through
// the C wrapper so both run side by side. Allocator token "std" (std::allocator).
#include <cstdint>
#include <cstring>
#include <queue>
#include <string>
#include <vector>

#include "bench_structs_env.h"
#include "mc_bench.h"

namespace {

constexpr uint64_t kSeed = 0x5EEDF00Dull; // bench_pq.c's SEED
constexpr int kBatch = 256;               // bench_pq.c's BATCH
constexpr int64_t kWarmup = 1024;         // bench_pq.c's WARMUP

struct Entry {
  double key;
  uint64_t value;
};
struct Greater { // min-heap on the key alone, as mc_pq
  bool operator()(const Entry &a, const Entry &b) const { return a.key > b.key; }
};
using Queue = std::priority_queue<Entry, std::vector<Entry>, Greater>;

void fill(Queue &q, bench_rng &r, int64_t n) {
  for (int64_t i = 0; i < n; i++) q.push(Entry{bench_rng_unit(&r), static_cast<uint64_t>(i)});
}

void bm_fill(mc_bench_state *st, void *) {
  int64_t n = mc_bench_range_arg(st, 0);
  bench_rng r{kSeed};
  while (mc_bench_keep_running_batch(st, n)) {
    Queue q; // from empty: growth included, like mc_pq_init(cap 0)
    fill(q, r, n);
    mc_bench_escape(&q.top());
    mc_bench_pause(st);
    q = Queue(); // teardown untimed, as in bench_pq.c
    mc_bench_resume(st);
  }
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

void bm_drain(mc_bench_state *st, void *) {
  int64_t n = mc_bench_range_arg(st, 0);
  bench_rng r{kSeed};
  Queue q;
  double sum = 0;
  while (mc_bench_keep_running_batch(st, n)) {
    mc_bench_pause(st);
    fill(q, r, n);
    mc_bench_resume(st);
    for (int64_t i = 0; i < n; i++) {
      sum += q.top().key;
      q.pop();
    }
  }
  mc_bench_escape(&sum);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

void bm_hold(mc_bench_state *st, void *) {
  int64_t n = mc_bench_range_arg(st, 0);
  bench_rng r{kSeed};
  Queue q;
  fill(q, r, n);
  for (int64_t i = 0, warm = n < kWarmup ? n : kWarmup; i < warm; i++) {
    Entry x = q.top();
    q.pop();
    q.push(Entry{x.key + bench_rng_unit(&r), x.value});
  }
  while (mc_bench_keep_running_batch(st, kBatch))
    for (int i = 0; i < kBatch; i++) {
      Entry x = q.top();
      q.pop();
      q.push(Entry{x.key + bench_rng_unit(&r), x.value});
    }
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

} // namespace

extern "C" void bench_pq_ref_register(const char *workload, const int64_t *ns, size_t count);

extern "C" void bench_pq_ref_register(const char *workload, const int64_t *ns, size_t count) {
  mc_bench_fn fn = std::strcmp(workload, "fill") == 0    ? bm_fill
                   : std::strcmp(workload, "drain") == 0 ? bm_drain
                                                         : bm_hold;
  std::string name = std::string("pq_std/") + workload + "/std";
  mc_bench_def *b = mc_bench_register(name.c_str(), fn, nullptr);
  for (size_t i = 0; i < count; i++) mc_bench_arg(b, ns[i]);
}
