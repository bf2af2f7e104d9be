# throughput.gp — throughput against N: the median over repetitions as a line, the min–max
# range as a translucent band when there are at most a few series (bands=1), else as error
# bars (bands of many series overlap into one grey smear); no range and no key entry for it
# when no series has one (range=0: one repetition).
# xtl (optional): explicit x tics, '"2k" 2000, ...'.
# Inputs: gpdir, out, fmt, data (blocks: n median min max, per second), ns, t<i>, s<i>, ttl,
# what ('operations', 'items' or 'iterations'), logx (0/1), xlab (optional x label).
load gpdir.'/common.gp'
set title ttl
set xlabel (exists('xlab') ? xlab : (logx ? 'N (elements, log scale)' : 'N (elements)'))
# per second in thousands or millions, so tics read 0.5, 1, 1.5 rather than 500.0k, 1.0M
stats data using 4 nooutput
ys = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e3 ? 1e3 : 1)
set ylabel sprintf('throughput (%s%s per second)', ys == 1e6 ? 'millions of ' : (ys == 1e3 ? 'thousands of ' : ''), what)
if (logx) { set logscale x 10 }
set autoscale xfix
set offsets graph 0.04, graph 0.04, graph 0.05, 0
set format x '%.0s%c'
set format y '%g'
set yrange [0:*]
set style fill transparent solid 0.13 noborder
if (exists('xtl')) { eval('set xtics ('.xtl.')') }
if (!exists('range')) { range = 1 }
if (!exists('bands')) { bands = 1 }
plot for [i=1:(range && bands ? ns : 0)] data index (i-1) using 1:($3/ys):($4/ys) with filledcurves ls st(i) notitle, \
     for [i=1:(range && !bands ? ns : 0)] data index (i-1) using 1:($2/ys):($3/ys):($4/ys) with yerrorbars ls st(i) dt solid pt 0 lw 1 notitle, \
     for [i=1:ns] data index (i-1) using 1:($2/ys) with linespoints ls st(i) title tt(i), \
     for [i=1:(range && bands ? 1 : 0)] NaN with filledcurves lc rgb '#999999' title 'min–max over repetitions', \
     for [i=1:(range && !bands ? 1 : 0)] keyentry with yerrorbars lc rgb '#333333' pt 0 title 'min–max over repetitions (error bars)'
if (exists('out2')) { load gpdir.'/second.gp' }
