# tradeoff.gp — time against peak memory, one point per allocator at one N: lower left is better.
# The Pareto front (allocators that no other beats on both time and memory) is joined by a line.
# Inputs: gpdir, out, fmt, data (blocks: peak_bytes time_ns, one per allocator), ns, t<i>, s<i>,
# front (rows: peak_bytes time_ns, sorted by memory), mscale, munit, ttl, logx, logy (0/1).
load gpdir.'/common.gp'
set title ttl
set xlabel sprintf('peak footprint (%s)%s', munit, logx ? ', log scale' : '')
set ylabel sprintf('time per run (ms)%s', logy ? ', log scale' : '')
if (logx) { set logscale x 10; set format x '%g' } else { set xrange [0:*] }
if (logy) { set logscale y 10; set format y '%g' } else { set yrange [0:*] }
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot front using ($1/mscale):($2/1e6) with lines lc rgb '#888888' dt 2 lw 1.5 title 'Pareto front', \
     for [i=1:ns] data index (i-1) using ($1/mscale):($2/1e6) with points ls st(i) ps 2 title tt(i), \
     for [i=1:ns] data index (i-1) using ($1/mscale):($2/1e6):(tt(i)) with labels offset char 1.2,0.8 left font ',9' notitle
if (exists('out2')) { load gpdir.'/second.gp' }
