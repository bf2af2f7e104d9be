# throughput.gp — throughput against N: the median over repetitions as a line, the min–max
# range as a translucent band, one per allocator.
# xtl (optional): explicit x tics, '"2k" 2000, ...'.
# Inputs: gpdir, out, fmt, data (blocks: n median min max, operations/s), ns, t<i>, s<i>, ttl,
# ylab, logx (0/1).
load gpdir.'/common.gp'
set title ttl
set xlabel (logx ? 'N (elements, log scale)' : 'N (elements)')
set ylabel ylab
if (logx) { set logscale x 10 }
set autoscale xfix
set offsets graph 0.04, graph 0.04, graph 0.05, 0
set format x '%.0s%c'
set format y '%.1s%c'
set yrange [0:*]
set style fill transparent solid 0.18 noborder
if (exists('xtl')) { eval('set xtics ('.xtl.')') }
plot for [i=1:ns] data index (i-1) using 1:3:4 with filledcurves ls st(i) notitle, \
     for [i=1:ns] data index (i-1) using 1:2 with linespoints ls st(i) title tt(i), \
     NaN with filledcurves lc rgb '#999999' title 'min–max over repetitions'
if (exists('out2')) { load gpdir.'/second.gp' }
