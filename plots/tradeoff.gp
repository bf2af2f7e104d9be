# tradeoff.gp — time against peak held memory, one point per allocator at one N: lower left is
# better; a thin line leads to the same run's peak resident (hollow circle). The Pareto front
# (allocators that no other beats on both time and held memory; a run with a failed repetition
# never is) is drawn over the points, each member ringed, so a one-member front shows too. No
# text labels on the points: they overprinted; the key names each marker.
# Inputs: gpdir, out, fmt, data (blocks: peak_held time_ns peak_resident, one per allocator), ns, t<i>, s<i>,
# front (rows: peak_bytes time_ns, sorted by memory), mscale, munit, ttl, logx, logy (0/1).
load gpdir.'/common.gp'
set title ttl
set xlabel sprintf('peak held (%s)%s; hollow: peak resident', munit, logx ? ', log scale' : '')
set ylabel sprintf('time per run (ms)%s', logy ? ', log scale' : '')
if (logx) { set logscale x 10; set format x '%g' } else { set xrange [0:*] }
if (logy) { set logscale y 10; set format y '%g' } else { set yrange [0:*] }
# markers shrink in drawing order, so one drawn over another at the same place (pool and stack
# on pq/churn) leaves the first one's rim visible
msize(i) = 2 + 0.18 * (ns - i)
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot for [i=1:ns] data index (i-1) using ($1/mscale):($2/1e6):(($3-$1)/mscale):(0) with vectors nohead ls st(i) lw 0.8 dt 1 notitle, \
     for [i=1:ns] data index (i-1) using ($3/mscale):($2/1e6) with points ls st(i) pt 6 ps 1.2 lw 1 notitle, \
     for [i=1:ns] data index (i-1) using ($1/mscale):($2/1e6) with points ls st(i) ps msize(i) lw 2 title tt(i), \
     front using ($1/mscale):($2/1e6) with linespoints lc rgb '#333333' dt 1 lw 2 pt 6 ps 4.2 title 'Pareto front (ringed)'
if (exists('out2')) { load gpdir.'/second.gp' }
