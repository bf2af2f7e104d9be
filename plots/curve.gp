# curve.gp — the memory curve of one structure and workload: footprint (bytes the allocator
# holds) and requested (bytes the structure asked for) against operations, one line per
# allocator; collections and resets marked where they happened.
# Inputs: gpdir, out, fmt, data (blocks: ops requested footprint, one per series, in order),
# ns, t<i>, s<i>, mscale/munit (binary unit), ttl, marks (blocks: ops bytes_after kind, one per
# marked series), nm, m<i> (style of marked series i), hascoll, hasreset, phases (optional:
# the ops where workload phases start, space-separated).
load gpdir.'/common.gp'
set title ttl
# operations in thousands or millions, so tics read 200, 400 rather than 200k, 400k, 1M, 1M
stats data using 1 nooutput
xs = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e4 ? 1e3 : 1)
set xlabel 'operations done'.(xs == 1e6 ? ' (millions)' : (xs == 1e3 ? ' (thousands)' : ''))
set ylabel sprintf('memory (%s)', munit)
set format x '%g'
set yrange [0:*]
# where the workload's phases start (waves: grow, shrink): thin vertical lines
if (exists('phases')) {
  do for [p in phases] {
    set arrow from (p + 0) / xs, graph 0 to (p + 0) / xs, graph 1 nohead back lc rgb '#c8c8c8' dt 2 lw 1
  }
}
plot for [i=1:ns] data index (i-1) using ($1/xs):($3/mscale) with lines ls st(i) title tt(i), \
     for [i=1:ns] data index (i-1) using ($1/xs):($2/mscale) with lines lc rgb '#222222' dt 3 lw 1.2 notitle, \
     NaN with lines lc rgb '#666666' dt 1 lw 2 title 'footprint (held)', \
     NaN with lines lc rgb '#222222' dt 3 lw 1.2 title 'requested (dotted)', \
     for [i=1:nm] marks index (i-1) using ($1/xs):(column(3) == 1 ? $2/mscale : NaN) \
        with points ls value(sprintf('m%d', i)) pt 9 ps 1.0 notitle, \
     for [i=1:nm] marks index (i-1) using ($1/xs):(column(3) == 2 || column(3) == 3 ? $2/mscale : NaN) \
        with points ls value(sprintf('m%d', i)) pt 6 ps 1.3 lw 1.5 notitle, \
     for [i=1:hascoll] NaN with points lc rgb '#666666' pt 9 title 'collection', \
     for [i=1:hasreset] NaN with points lc rgb '#666666' pt 6 title 'reset / unwind', \
     for [i=1:(exists('phases') ? 1 : 0)] NaN with lines lc rgb '#c8c8c8' dt 2 lw 1 title 'phase starts'
if (exists('out2')) { load gpdir.'/second.gp' }
