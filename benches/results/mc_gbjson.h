/* mc_gbjson.h — reads Google Benchmark's JSON output (--benchmark_out_format=json) into
 * /throughput rows, filing each benchmark by the naming convention of mc_bench.h:
 * <structure>/<workload>/<allocator>[/<N>][/...]. */
#ifndef MC_GBJSON_H
#define MC_GBJSON_H

#include <stddef.h>

#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The user counter by which a benchmark says its rows measure one allocation (its value 1):
 * such rows get kind MC_RESULT_TPUT_ALLOCATION, the others MC_RESULT_TPUT_OPS. The benchmarks
 * set it through mc_bench.h's MC_BENCH_PER_ALLOCATION (the same name). */
#define MC_GBJSON_PER_ALLOCATION "per_allocation"

/* Files the comparison a row's name declares (mc_bench.h's convention): workload
 * "<base>_vs_<other>" of structure s is measured against structure <other>'s workload <base>,
 * so vs_structure = other, vs_workload = base; "" for both when the workload declares none (or
 * names its own structure). */
void mc_gbjson_file_vs(mc_result_tput *t);

/* Parses json (NUL-terminated) and returns in *rows (malloc'd, *nrows entries) one row per
 * iteration run (aggregates such as _mean are skipped). Returns MC_OK, MC_EFORMAT (not JSON,
 * or no "benchmarks" array; a reason in err) or MC_ENOMEM. */
int mc_gbjson_parse(const char *json, mc_result_tput **rows, size_t *nrows, char *err,
                    size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* MC_GBJSON_H */
