# drag.gp — the drag of regions (Berger, Zorn & McKinley, OOPSLA 2002): bytes held minus bytes
# live (requested) over the run, for allocators that reset a region per phase and for those
# that free each object at its last use, on one workload. A region's drag grows through each
# phase (its dead objects stay held) and falls at the reset; freeing keeps only the allocator's
# own overhead.
# Inputs: gpdir, out, fmt, data (blocks: ops drag_bytes), ns, t<i>, s<i>, ttl, mscale, munit.
load gpdir.'/common.gp'
set title ttl
stats data using 1 nooutput
xs = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e4 ? 1e3 : 1)
set xlabel 'operations done'.(xs == 1e6 ? ' (millions)' : (xs == 1e3 ? ' (thousands)' : ''))
set ylabel sprintf('held − requested (%s)', munit)
set format x '%g'
set xrange [0:*]
plot for [i=1:ns] data index (i-1) using ($1/xs):($2/mscale) with lines ls st(i) lw 2 title tt(i)
if (exists('out2')) { load gpdir.'/second.gp' }
