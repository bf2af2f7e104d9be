# overhead.gp — held ÷ requested over the run: how many bytes the allocator holds for
# every byte the structure asked for (1 = no overhead).
# Each series is drawn as its geometric mean per slice of the run (line) and the range of the
# ratio within the slice (a light band: wide where the ratio swings between samples).
# Inputs: gpdir, out, fmt, data (blocks: ops ratio_gmean ratio_min ratio_max), ns, t<i>, s<i>, ttl, logy (0/1), ymax
# (the top of the y axis, above the largest ratio: nothing is clipped).
load gpdir.'/common.gp'
set title ttl
# operations in thousands or millions, so tics read 200, 400 rather than 200k, 400k, 1M, 1M
stats data using 1 nooutput
xs = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e4 ? 1e3 : 1)
set xlabel 'operations done'.(xs == 1e6 ? ' (millions)' : (xs == 1e3 ? ' (thousands)' : ''))
set ylabel 'held ÷ requested (ratio, 1 = no overhead)'
set format x '%g'
if (logy) { set logscale y 2; set format y '%g'; set yrange [0.9:ymax] } else { set yrange [0:ymax] }
set style fill transparent solid 0.18 noborder
plot for [i=1:ns] data index (i-1) using ($1/xs):3:4 with filledcurves ls st(i) notitle, \
     for [i=1:ns] data index (i-1) using ($1/xs):2 with lines ls st(i) title tt(i), \
     1 with lines lc rgb '#888888' dt 3 lw 1 title 'no overhead'
if (exists('out2')) { load gpdir.'/second.gp' }
