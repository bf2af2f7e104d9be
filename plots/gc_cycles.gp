# gc_cycles.gp — the cycles workload (build cyclic lists, drop them) under the collector with
# collection on, off, and with SAVEALL (reclaimed cycles kept in the garbage list): footprint
# against operations. On: memory comes back; off: it only grows; SAVEALL: it grows too, but
# the cycles were found.
# Inputs: gpdir, out, fmt, data (blocks: ops requested footprint), ns, t<i>, s<i>, mscale,
# munit, ttl, marks (blocks: ops bytes_after), nm, m<i>. Curves that coincide (off and SAVEALL
# can hold the same bytes) stay apart by their dash patterns.
load gpdir.'/common.gp'
set title ttl
# operations in thousands or millions, so tics read 200, 400 rather than 200k, 400k, 1M, 1M
stats data using 1 nooutput
xs = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e4 ? 1e3 : 1)
set xlabel 'operations done'.(xs == 1e6 ? ' (millions)' : (xs == 1e3 ? ' (thousands)' : ''))
set ylabel sprintf('footprint (%s)', munit)
set format x '%g'
set yrange [0:*]
plot for [i=1:ns] data index (i-1) using ($1/xs):($3/mscale) with lines ls st(i) lw 2.5 title tt(i), \
     for [i=1:nm] marks index (i-1) using ($1/xs):($2/mscale) with points ls value(sprintf('m%d', i)) pt 9 ps 0.9 notitle, \
     for [i=1:(nm > 0 ? 1 : 0)] NaN with points lc rgb '#666666' pt 9 title 'collection'
if (exists('out2')) { load gpdir.'/second.gp' }
