# curve.gp — the memory curve of one structure and workload, one colour per allocator: held
# (solid: bytes the allocator holds from the layer below, by its own accounting), resident
# (thin: the child's RSS above its baseline) and requested (dotted: bytes the structure asked
# for; one black line when every allocator's is the same) against operations; collections and
# resets marked where they happened; a failed run's line ends in a large cross, its reason in
# the key.
# Inputs: gpdir, out, fmt, data (blocks: ops requested held resident, one per series, in
# order), ns, t<i>, s<i>, mscale/munit (binary unit), ttl, marks (blocks: ops bytes_after
# kind, one per marked series), nm, m<i> (style of marked series i), hascoll, hasreset,
# reqshared (1: one requested line, drawn from series reqi + 1, the longest), nf, fx<i>/fy<i>/fs<i> (failure marks: ops, held, style),
# phases (optional: the ops where workload phases start, space-separated).
load gpdir.'/common.gp'
# the title over the whole width (the key is wide): a label from the left edge
set label 100 ttl at screen 0.01, screen 0.965 left font ',13'
set tmargin 3
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
# held is solid, except for styles 9..16, which reuse the first eight colours: dash-dot there
hd(i) = st(i) > 8 && st(i) <= 16 ? 4 : 1
fx(i) = value(sprintf('fx%d', i))
fy(i) = value(sprintf('fy%d', i))
fs(i) = value(sprintf('fs%d', i))
set samples 2
plot for [i=1:ns] data index (i-1) using ($1/xs):($3/mscale) with lines ls st(i) dt hd(i) lw 2.2 title tt(i), \
     for [i=1:ns] data index (i-1) using ($1/xs):($4/mscale) with lines ls st(i) dt 1 lw 0.8 notitle, \
     for [i=1:(reqshared ? 0 : ns)] data index (i-1) using ($1/xs):($2/mscale) with lines ls st(i) dt 3 lw 1.4 notitle, \
     for [i=1:reqshared] data index reqi using ($1/xs):($2/mscale) with lines lc rgb '#222222' dt 3 lw 1.4 notitle, \
     for [i=1:nm] marks index (i-1) using ($1/xs):(column(3) == 1 ? $2/mscale : NaN) \
        with points ls value(sprintf('m%d', i)) pt 9 ps 1.0 notitle, \
     for [i=1:nm] marks index (i-1) using ($1/xs):(column(3) == 2 || column(3) == 3 ? $2/mscale : NaN) \
        with points ls value(sprintf('m%d', i)) pt 6 ps 1.3 lw 1.5 notitle, \
     for [i=1:nf] '+' every ::0::0 using (fx(i)/xs):(fy(i)/mscale) with points ls fs(i) pt 2 ps 3.5 lw 3 notitle, \
     NaN with lines lc rgb '#666666' dt 1 lw 2.2 title 'held (solid)', \
     NaN with lines lc rgb '#666666' dt 1 lw 0.8 title 'resident (thin)', \
     for [i=1:reqshared] NaN with lines lc rgb '#222222' dt 3 lw 1.4 title 'requested (all allocators)', \
     for [i=1:(reqshared ? 0 : 1)] NaN with lines lc rgb '#666666' dt 3 lw 1.4 title 'requested (dotted)', \
     for [i=1:hascoll] NaN with points lc rgb '#666666' pt 9 title 'collection', \
     for [i=1:hasreset] NaN with points lc rgb '#666666' pt 6 title 'reset / unwind', \
     for [i=1:(nf > 0 ? 1 : 0)] NaN with points lc rgb '#666666' pt 2 ps 2 lw 3 title 'run failed here', \
     for [i=1:(exists('phases') ? 1 : 0)] NaN with lines lc rgb '#c8c8c8' dt 2 lw 1 title 'phase starts'
if (exists('out2')) { load gpdir.'/second.gp' }
