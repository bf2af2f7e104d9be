/* mc_child_main.c — memcurve-child, the program the runner (mc_runner.c) starts for every run:
 * `memcurve-child __child --fd FD ...`, the same child side as `memcurve __child`, in a small
 * image. It links the harness's workloads, the library and libgc only (no HDF5 and none of what
 * HDF5 pulls in: curl, TLS, Kerberos...; the link drops unused libraries with --as-needed), so
 * exec and dynamic linking cost a few ms instead of ~50 ms for memcurve's 38 libraries, which
 * dominated the default suite's 4740 children of mostly < 10 ms runs. What is measured does not
 * change: the same mc_runner_child_main runs in a fresh process, and the RSS baseline of the
 * smaller image is taken and subtracted the same way.
 */
#include <stdio.h>
#include <string.h>

#include "mc_runner.h"

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "__child") == 0) return mc_runner_child_main(argc - 1, argv + 1);
  fputs("memcurve-child: the runner's child, started by `memcurve run`: memcurve-child __child "
        "--structure S --workload W --allocator A --n N --seed X [--sampling 0|1] [--fd FD]\n",
        stderr);
  return 2;
}
