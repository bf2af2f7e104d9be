# bytes_per_elem.gp — ndarray against boxed array: peak footprint ÷ N, the memory each element
# really costs, against N; one line per structure and allocator.
# xtl (optional): explicit x tics, '"2k" 2000, ...'.
# Inputs: gpdir, out, fmt, data (blocks: n bytes_per_element), ns, t<i>, s<i> (the allocator's
# style), k<i> (1: boxed array, drawn dashed with open circles; 0: ndarray, solid), ttl, logx.
load gpdir.'/common.gp'
set title ttl
set xlabel (logx ? 'N (elements, log scale)' : 'N (elements)')
set ylabel 'bytes per element (peak footprint ÷ N)'
if (logx) { set logscale x 10 }
set autoscale xfix
set offsets graph 0.04, graph 0.04, graph 0.05, 0
set format x '%.0s%c'
set yrange [0:*]
if (exists('xtl')) { eval('set xtics ('.xtl.')') }
bx(i) = value(sprintf('k%d', i))
dts(i) = bx(i) ? 2 : 1
pts(i) = bx(i) ? 6 : 7
plot for [i=1:ns] data index (i-1) using 1:2 with linespoints ls st(i) dt dts(i) pt pts(i) title tt(i)
if (exists('out2')) { load gpdir.'/second.gp' }
