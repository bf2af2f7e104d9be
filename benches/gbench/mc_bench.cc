// mc_bench.cc — the one C++ file of memcurve: mc_bench.h on top of Google Benchmark 1.7.1.
//
// How it works:
//  - mc_bench_def is our own record (name, fn, arg, and what has been set on it) pointing at
//    the benchmark::internal::Benchmark that RegisterBenchmark returned. Google Benchmark
//    aborts (BM_CHECK) on inconsistent settings — a one-argument Arg after a two-argument one,
//    MinTime together with Iterations, a range with lo > hi — so every setter checks against
//    the record first and leaves the definition unchanged instead: C callers never abort.
//  - mc_bench_state lives on the stack of the lambda that Google Benchmark calls for each run;
//    it carries the benchmark::State and the record (so range_arg can refuse an index the run
//    does not have: State::range only asserts).
//  - The MemoryManager: Google Benchmark, after the timed runs of a benchmark, runs the body
//    once more between MemoryManager::Start and Stop. Start raises a flag; while it is up
//    mc_bench_track() hands out, one slot per call, a counting decorator
//    (allocators/mc_counting.h) over the caller's allocator, under a thin forwarder of ours
//    that adds every size change to one run-wide live count: so the peak of several tracked
//    allocators is the peak of their sum, exactly. Stop() adds the decorators' counts up into
//    MemoryManager::Result; Google Benchmark divides num_allocs by the iterations it planned
//    for that run (min(16, iterations)) to print allocs_per_iter, but a KeepRunningBatch(n)
//    body runs at least n: Stop scales num_allocs by planned / done so that allocs_per_iter
//    is the true allocations per iteration. max_bytes_used, total_allocated_bytes and
//    net_heap_growth are the raw totals of that run.
//    In 1.7.1 Stop has two signatures (the deprecated Stop(Result*) is the pure virtual one,
//    Stop(Result&) forwards to it); we implement both.
//  - Repairing 1.7.1's memory results: the runner keeps each repetition's Result in a
//    std::vector that grows by push_back and stores a pointer into it in that repetition's Run;
//    the reporters print after the last repetition, when the vector has reallocated, so every
//    repetition but the last points at freed memory (google/benchmark#1939, fixed upstream by
//    #1941): max_bytes_used of repetition 0 read ~2.2e18. Stop therefore also keeps a copy of
//    each result (with the address it was given and the benchmark's name), and mc_bench_main
//    hands RunSpecifiedBenchmarks thin wrappers of the reporters Google Benchmark would have
//    made itself, which point each run at its copy before printing it.
#include "mc_bench.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <tuple>
#include <vector>

#include "mc_counting.h"

struct mc_bench_def {
  std::string name;                  // as registered
  mc_bench_fn fn;                    // the body
  void *arg;                         // passed through
  benchmark::internal::Benchmark *b; // owned by Google Benchmark
  int nargs;                         // arguments per run: -1 until the first Arg/Range
  int mult;                          // range multiplier (Google Benchmark's default 8)
  bool min_time_set;                 // MinTime and Iterations exclude each other
  bool iterations_set;
};

struct mc_bench_state {
  benchmark::State *s;
  const mc_bench_def *d;
};

namespace {

std::deque<mc_bench_def> &defs() { // stable addresses; lives until exit
  static std::deque<mc_bench_def> d;
  return d;
}

// ---- memory tracking --------------------------------------------------------------------

constexpr int kSlots = 32; // tracked allocators per memory run

// One mc_bench_track call of the memory run: a counting decorator over the caller's allocator
// (the counts), under a thin forwarder that keeps the run-wide live/peak (the peak of the sum).
struct Slot {
  mc_counting c;    // counts num_allocs, total_allocated_bytes, net_heap_growth
  mc_alloc inner;   // mc_counting_allocator(&c)
  int64_t live;     // requested bytes live through this slot
  mc_alloc_vtbl vt; // the forwarder's vtable: reset/root/barrier only where inner has them
};

struct Tracker {
  bool on;                 // between MemoryManager::Start and Stop
  int used;                // slots handed out this run
  Slot slot[kSlots];       // one per mc_bench_track call
  int64_t live;            // requested bytes live over all slots
  int64_t peak;            // maximum of live this run
  int64_t planned;         // iterations Google Benchmark asked of the memory run
  int64_t done;            // iterations the body really ran (KeepRunningBatch overshoots)
  const mc_bench_def *def; // the benchmark of the memory run (set by its body's wrapper)
};

Tracker g_tr;

// ---- the repair of Google Benchmark 1.7.1's dangling memory results (see the top) --------

using MemResult = benchmark::MemoryManager::Result;

struct Recorded {
  const MemResult *where; // the address Google Benchmark gave Stop (stored in the Run)
  std::string function;   // the benchmark's registered name (Run::run_name.function_name)
  MemResult result;       // what Stop wrote there
  bool taken;             // matched to a run already
};

std::deque<Recorded> &recorded() { // in Stop order; stable addresses
  static std::deque<Recorded> r;
  return r;
}

// (family, instance, repetition) -> the copy that run was matched to: the display and the file
// reporter both see the run, and must print the same numbers.
using RunKey = std::tuple<int64_t, int64_t, int64_t>;
std::map<RunKey, const MemResult *> &matched() {
  static std::map<RunKey, const MemResult *> m;
  return m;
}

// The result run should show: the copy recorded for it (the oldest unmatched one with the same
// address and benchmark), or run's own pointer when there is none (nothing recorded).
const MemResult *repaired(const benchmark::BenchmarkReporter::Run &run) {
  if (!run.memory_result || run.run_type != benchmark::BenchmarkReporter::Run::RT_Iteration)
    return run.memory_result;
  RunKey key{run.family_index, run.per_family_instance_index, run.repetition_index};
  auto it = matched().find(key);
  if (it != matched().end()) return it->second;
  for (Recorded &r : recorded()) {
    if (r.taken || r.where != run.memory_result || r.function != run.run_name.function_name)
      continue;
    r.taken = true;
    matched()[key] = &r.result;
    return &r.result;
  }
  return run.memory_result;
}

// Forwards everything to inner, with each run's memory result repaired first.
class RepairingReporter : public benchmark::BenchmarkReporter {
public:
  explicit RepairingReporter(benchmark::BenchmarkReporter *inner) : inner_(inner) {}
  bool ReportContext(const Context &context) override {
    // RunSpecifiedBenchmarks points our streams at the --benchmark_out file: so is inner's.
    inner_->SetOutputStream(&GetOutputStream());
    inner_->SetErrorStream(&GetErrorStream());
    return inner_->ReportContext(context);
  }
  void ReportRuns(const std::vector<Run> &runs) override {
    std::vector<Run> copy(runs);
    for (Run &r : copy) r.memory_result = repaired(r);
    inner_->ReportRuns(copy);
  }
  void Finalize() override { inner_->Finalize(); }

private:
  benchmark::BenchmarkReporter *inner_;
};

// The value Google Benchmark 1.7.1 gives flag (say "benchmark_out"): the last "--flag=value"
// of argv, else the environment variable FLAG (upper case), else def. Read before Initialize,
// which removes the flags from argv; Initialize itself refuses a format it does not know.
std::string flag_value(int argc, char **argv, const char *flag, const char *def) {
  std::string env(flag);
  for (char &ch : env) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
  const char *e = std::getenv(env.c_str());
  std::string v = e ? e : def;
  std::string prefix = std::string("--") + flag + "=";
  for (int i = 1; i < argc; i++)
    if (argv[i] && std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0)
      v = argv[i] + prefix.size();
  return v;
}

// The reporter Google Benchmark makes for --benchmark_out_format=format (NULL: no memory).
benchmark::BenchmarkReporter *file_reporter_for(const std::string &format) {
  if (format == "json") return new (std::nothrow) benchmark::JSONReporter;
  if (format == "csv") {
    BENCHMARK_DISABLE_DEPRECATED_WARNING
    return new (std::nothrow) benchmark::CSVReporter;
    BENCHMARK_RESTORE_DEPRECATED_WARNING
  }
  return new (std::nothrow) benchmark::ConsoleReporter(benchmark::ConsoleReporter::OO_None);
}

void tr_add(Slot *s, int64_t delta) {
  s->live += delta;
  g_tr.live += delta;
  if (g_tr.live > g_tr.peak) g_tr.peak = g_tr.live;
}

void *fw_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  Slot *s = static_cast<Slot *>(ctx);
  void *p = s->inner.vt->alloc(s->inner.ctx, size, align, type);
  if (p) tr_add(s, static_cast<int64_t>(size));
  return p;
}

void *fw_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  Slot *s = static_cast<Slot *>(ctx);
  void *q = s->inner.vt->resize(s->inner.ctx, p, old_size, new_size, align);
  if (q) tr_add(s, static_cast<int64_t>(new_size) - static_cast<int64_t>(old_size));
  return q;
}

void fw_free(void *ctx, void *p, size_t size, size_t align) {
  Slot *s = static_cast<Slot *>(ctx);
  s->inner.vt->free(s->inner.ctx, p, size, align);
  tr_add(s, -static_cast<int64_t>(size));
}

void fw_reset(void *ctx) { // drops every block of this slot
  Slot *s = static_cast<Slot *>(ctx);
  s->inner.vt->reset(s->inner.ctx);
  tr_add(s, -s->live);
}

void fw_stats(void *ctx, mc_alloc_stats *out) {
  Slot *s = static_cast<Slot *>(ctx);
  s->inner.vt->stats(s->inner.ctx, out);
}

void fw_root(void *ctx, void **slot, int add) {
  Slot *s = static_cast<Slot *>(ctx);
  s->inner.vt->root(s->inner.ctx, slot, add);
}

void fw_barrier(void *ctx, void *obj, void **slot, void *value) {
  Slot *s = static_cast<Slot *>(ctx);
  s->inner.vt->barrier(s->inner.ctx, obj, slot, value);
}

class CountingMemoryManager : public benchmark::MemoryManager {
public:
  void Start() override {
    g_tr.used = 0;
    g_tr.live = 0;
    g_tr.peak = 0;
    g_tr.planned = 0;
    g_tr.done = 0;
    g_tr.def = nullptr;
    g_tr.on = true;
  }
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  void Stop(Result *r) override {
    g_tr.on = false;
    int64_t allocs = 0, total = 0, net = 0;
    for (int i = 0; i < g_tr.used; i++) {
      const mc_counting &c = g_tr.slot[i].c;
      allocs += static_cast<int64_t>(c.num_allocs);
      total += static_cast<int64_t>(c.total_allocated_bytes);
      net += static_cast<int64_t>(c.net_heap_growth);
    }
    // Google Benchmark prints allocs_per_iter = num_allocs / planned; a batched body ran
    // `done` iterations, so scale to make the quotient allocs / done (rounded to nearest).
    if (g_tr.done > 0 && g_tr.planned > 0 && g_tr.done != g_tr.planned)
      allocs =
          static_cast<int64_t>(static_cast<double>(allocs) * static_cast<double>(g_tr.planned) /
                                   static_cast<double>(g_tr.done) +
                               0.5);
    r->num_allocs = allocs;
    r->max_bytes_used = g_tr.peak;
    r->total_allocated_bytes = total;
    r->net_heap_growth = net;
    try { // the copy the reporters will print (see the repair above)
      recorded().push_back(Recorded{r, g_tr.def ? g_tr.def->name : std::string(), *r, false});
    } catch (...) { // std::bad_alloc: this run keeps Google Benchmark's own pointer
    }
  }
  void Stop(Result &r) override { Stop(&r); }
  BENCHMARK_RESTORE_DEPRECATED_WARNING
};

benchmark::TimeUnit to_unit(mc_bench_time_unit u) {
  switch (u) {
  case MC_BENCH_US: return benchmark::kMicrosecond;
  case MC_BENCH_MS: return benchmark::kMillisecond;
  case MC_BENCH_S: return benchmark::kSecond;
  case MC_BENCH_NS: break;
  }
  return benchmark::kNanosecond;
}

benchmark::Counter::Flags to_flags(unsigned f) {
  int g = benchmark::Counter::kDefaults;
  if (f & MC_BENCH_RATE) g |= benchmark::Counter::kIsRate;
  if (f & MC_BENCH_AVG_THREADS) g |= benchmark::Counter::kAvgThreads;
  if (f & MC_BENCH_ITERATION_INVARIANT) g |= benchmark::Counter::kIsIterationInvariant;
  if (f & MC_BENCH_AVG_ITERATIONS) g |= benchmark::Counter::kAvgIterations;
  if (f & MC_BENCH_INVERT) g |= benchmark::Counter::kInvert;
  return static_cast<benchmark::Counter::Flags>(g);
}

// Accepts a definition that takes k arguments per run (first use fixes the count).
bool args_ok(mc_bench_def *b, int k) {
  if (b->nargs != -1 && b->nargs != k) return false;
  b->nargs = k;
  return true;
}

} // namespace

// ---- registration ---------------------------------------------------------------------------

extern "C" mc_bench_def *mc_bench_register(const char *name, mc_bench_fn fn, void *arg) {
  if (!name || !fn) return nullptr;
  try {
    defs().push_back(mc_bench_def{name, fn, arg, nullptr, -1, 8, false, false});
    mc_bench_def *d = &defs().back();
    d->b = benchmark::RegisterBenchmark(d->name.c_str(), [d](benchmark::State &s) {
      mc_bench_state st{&s, d};
      d->fn(&st, d->arg);
      if (g_tr.on) { // the memory run: remember how far a batched loop overshot
        g_tr.planned = s.max_iterations;
        g_tr.done = s.iterations();
        g_tr.def = d;
      }
    });
    return d;
  } catch (...) { // std::bad_alloc: no registration, no abort
    return nullptr;
  }
}

extern "C" mc_bench_def *mc_bench_arg(mc_bench_def *b, int64_t x) {
  if (b && args_ok(b, 1)) b->b->Arg(x);
  return b;
}

extern "C" mc_bench_def *mc_bench_args2(mc_bench_def *b, int64_t x, int64_t y) {
  if (b && args_ok(b, 2)) b->b->Args({x, y});
  return b;
}

extern "C" mc_bench_def *mc_bench_range(mc_bench_def *b, int64_t lo, int64_t hi) {
  if (b && lo >= 0 && hi >= lo && args_ok(b, 1)) b->b->RangeMultiplier(b->mult)->Range(lo, hi);
  return b;
}

extern "C" mc_bench_def *mc_bench_dense_range(mc_bench_def *b, int64_t lo, int64_t hi,
                                              int64_t step) {
  if (b && lo <= hi && step > 0 && step <= INT32_MAX && args_ok(b, 1))
    b->b->DenseRange(lo, hi, static_cast<int>(step));
  return b;
}

extern "C" mc_bench_def *mc_bench_range_multiplier(mc_bench_def *b, int mult) {
  if (b && mult >= 2) b->mult = mult;
  return b;
}

extern "C" mc_bench_def *mc_bench_arg_name(mc_bench_def *b, const char *name) {
  if (b && name && args_ok(b, 1)) b->b->ArgName(name);
  return b;
}

extern "C" mc_bench_def *mc_bench_min_time(mc_bench_def *b, double seconds) {
  if (b && seconds > 0 && !b->iterations_set) {
    b->b->MinTime(seconds);
    b->min_time_set = true;
  }
  return b;
}

extern "C" mc_bench_def *mc_bench_iterations(mc_bench_def *b, int64_t n) {
  if (b && n > 0 && !b->min_time_set) {
    b->b->Iterations(n);
    b->iterations_set = true;
  }
  return b;
}

extern "C" mc_bench_def *mc_bench_repetitions(mc_bench_def *b, int n) {
  if (b && n > 0) b->b->Repetitions(n);
  return b;
}

extern "C" mc_bench_def *mc_bench_unit(mc_bench_def *b, mc_bench_time_unit u) {
  if (b) b->b->Unit(to_unit(u));
  return b;
}

extern "C" mc_bench_def *mc_bench_use_real_time(mc_bench_def *b) {
  if (b) b->b->UseRealTime();
  return b;
}

// ---- inside the body --------------------------------------------------------------------------

extern "C" int mc_bench_keep_running(mc_bench_state *st) { return st->s->KeepRunning(); }

extern "C" int mc_bench_keep_running_batch(mc_bench_state *st, int64_t n) {
  return st->s->KeepRunningBatch(n > 0 ? n : 1);
}

extern "C" int64_t mc_bench_range_arg(const mc_bench_state *st, int i) {
  if (i < 0 || i >= st->d->nargs) return 0;
  return st->s->range(static_cast<size_t>(i));
}

extern "C" int64_t mc_bench_iterations_done(const mc_bench_state *st) {
  return st->s->iterations();
}

extern "C" void mc_bench_pause(mc_bench_state *st) { st->s->PauseTiming(); }
extern "C" void mc_bench_resume(mc_bench_state *st) { st->s->ResumeTiming(); }

extern "C" void mc_bench_set_items_processed(mc_bench_state *st, int64_t n) {
  st->s->SetItemsProcessed(n);
}

extern "C" void mc_bench_set_bytes_processed(mc_bench_state *st, int64_t n) {
  st->s->SetBytesProcessed(n);
}

extern "C" void mc_bench_counter(mc_bench_state *st, const char *name, double value,
                                 unsigned flags) {
  if (!name) return;
  try {
    st->s->counters[name] = benchmark::Counter(value, to_flags(flags));
  } catch (...) { // std::bad_alloc: the counter is missing from the report
  }
}

extern "C" void mc_bench_set_label(mc_bench_state *st, const char *label) {
  st->s->SetLabel(label ? label : "");
}

extern "C" void mc_bench_skip_with_error(mc_bench_state *st, const char *msg) {
  st->s->SkipWithError(msg ? msg : "error");
}

extern "C" int mc_bench_in_memory_run(void) { return g_tr.on; }

// ---- optimiser barriers ---------------------------------------------------------------------

extern "C" void mc_bench_do_not_optimize(const void *p) { benchmark::DoNotOptimize(p); }
extern "C" void mc_bench_clobber_memory(void) { benchmark::ClobberMemory(); }

// ---- memory tracking ----------------------------------------------------------------------------

extern "C" mc_alloc mc_bench_track(mc_alloc al) {
  if (!g_tr.on || g_tr.used == kSlots) return al;
  Slot *s = &g_tr.slot[g_tr.used++];
  mc_counting_init(&s->c, al);
  s->inner = mc_counting_allocator(&s->c);
  s->live = 0;
  const mc_alloc_vtbl *in = s->inner.vt;
  s->vt = mc_alloc_vtbl{in->name, // reports as the counting decorator
                        fw_alloc,
                        fw_resize,
                        fw_free,
                        in->reset ? fw_reset : nullptr,
                        fw_stats,
                        in->root ? fw_root : nullptr,
                        in->barrier ? fw_barrier : nullptr};
  return mc_alloc{&s->vt, s};
}

// ---- running ------------------------------------------------------------------------------------

extern "C" int mc_bench_main(int argc, char **argv) {
  static CountingMemoryManager mm;
  // --version: the wrapper's own flag, answered before Google Benchmark sees the command line
  // (its Initialize would refuse it); Google Benchmark's own flags are untouched
  // (--help: a line naming it above Google Benchmark's usage, which only lists its own)
  const char *slash = std::strrchr(argv[0], '/');
  const char *self = slash ? slash + 1 : argv[0];
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("%s (memcurve %s, Google Benchmark)\n", self, MC_VERSION);
      return 0;
    }
    if (std::strcmp(argv[i], "--help") == 0)
      std::printf("%s: memcurve %s's Google Benchmark binary\n  [--version]  print memcurve's "
                  "version\nGoogle Benchmark's flags:\n",
                  self, MC_VERSION);
  }
  std::string out = flag_value(argc, argv, "benchmark_out", "");
  std::string out_format = flag_value(argc, argv, "benchmark_out_format", "json");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RegisterMemoryManager(&mm);
  // The reporters RunSpecifiedBenchmarks() would make, behind the repair (see the top). The
  // default display reporter is a static of Google Benchmark's: not ours to delete.
  RepairingReporter display(benchmark::CreateDefaultDisplayReporter());
  std::unique_ptr<benchmark::BenchmarkReporter> file_inner;
  std::unique_ptr<RepairingReporter> file;
  if (!out.empty()) { // else RunSpecifiedBenchmarks must get no file reporter
    file_inner.reset(file_reporter_for(out_format));
    if (file_inner) file.reset(new (std::nothrow) RepairingReporter(file_inner.get()));
  } // (out of memory here: file stays NULL and Google Benchmark makes its own, unrepaired)
  size_t ran = benchmark::RunSpecifiedBenchmarks(&display, file.get());
  benchmark::RegisterMemoryManager(nullptr);
  benchmark::Shutdown();
  return ran == 0 ? 1 : 0;
}
