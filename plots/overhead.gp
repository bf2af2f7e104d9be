# overhead.gp — footprint ÷ requested over the run: how many bytes the allocator holds for
# every byte the structure asked for (1 = no overhead).
# Inputs: gpdir, out, fmt, data (blocks: ops ratio), ns, t<i>, s<i>, ttl, logy (0/1).
load gpdir.'/common.gp'
set title ttl
set xlabel 'operations done'
set ylabel 'footprint ÷ requested (ratio, 1 = no overhead)'
set format x '%.0s%c'
if (logy) { set logscale y 2; set format y '%g' } else { set yrange [0:*] }
plot for [i=1:ns] data index (i-1) using 1:2 with lines ls st(i) title tt(i), \
     1 with lines lc rgb '#888888' dt 3 lw 1 title 'no overhead'
if (exists('out2')) { load gpdir.'/second.gp' }
