# gc_heap.gp — the collected heap over time: held and requested (live bytes as the
# heap counts them) against wall time, one line pair per run; collections marked.
# Inputs: gpdir, out, fmt, data (blocks: t_ns requested held resident), ns, t<i>, s<i>, mscale,
# munit, ttl, marks (blocks: t_ns bytes_after), nm, m<i>.
load gpdir.'/common.gp'
set title ttl
set xlabel 'time since the run started (ms)'
set ylabel sprintf('heap (%s)', munit)
set yrange [0:*]
plot for [i=1:ns] data index (i-1) using ($1/1e6):($3/mscale) with lines ls st(i) title tt(i), \
     for [i=1:ns] data index (i-1) using ($1/1e6):($2/mscale) with lines lc rgb '#222222' dt 3 lw 1.2 notitle, \
     NaN with lines lc rgb '#666666' dt 1 lw 2 title 'held', \
     NaN with lines lc rgb '#222222' dt 3 lw 1.2 title 'requested (dotted)', \
     for [i=1:nm] marks index (i-1) using ($1/1e6):($2/mscale) with points ls value(sprintf('m%d', i)) pt 9 ps 0.9 notitle, \
     for [i=1:(nm > 0 ? 1 : 0)] NaN with points lc rgb '#666666' pt 9 title 'collection'
if (exists('out2')) { load gpdir.'/second.gp' }
