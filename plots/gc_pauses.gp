# gc_pauses.gp — the collector's pauses over the run: one point per collection, at the time it
# started, height = the pause; filled symbols for young collections, open ones for full.
# Inputs: gpdir, out, fmt, data (blocks: t_ns pause_ns generation, one per run), ns, t<i>, s<i>,
# ttl, logy (0/1), oldgen (the oldest generation number).
load gpdir.'/common.gp'
set title ttl
set xlabel 'time since the run started (ms)'
set ylabel sprintf('pause (µs)%s', logy ? ', log scale' : '')
if (logy) { set logscale y 10; set format y '%g' } else { set yrange [0:*] }
set xrange [0:*]
plot for [i=1:ns] data index (i-1) using ($1/1e6):(column(3) < oldgen ? $2/1e3 : NaN) with points ls st(i) pt 7 ps 0.8 title tt(i), \
     for [i=1:ns] data index (i-1) using ($1/1e6):(column(3) >= oldgen ? $2/1e3 : NaN) with points ls st(i) pt 6 ps 1.4 lw 1.5 notitle, \
     NaN with points lc rgb '#666666' pt 7 ps 0.8 title 'young collection', \
     NaN with points lc rgb '#666666' pt 6 ps 1.4 title sprintf('full collection (generation %d)', oldgen)
if (exists('out2')) { load gpdir.'/second.gp' }
