# peak_vs_n.gp — peak held against N on log-log axes, one line per allocator, peak resident
# beside it (thin, hollow points), each with its least-squares exponent k (peak ∝ N^k, fitted
# on the logs by memcurve, only with three sizes or more) in the key and the fitted power law
# drawn thin dotted over the range of N that has data (lo<i>..hi<i>), never beyond.
# xtl (optional): explicit x tics, '"2k" 2000, ...'.
# Inputs: gpdir, out, fmt, data (blocks: n peak_held peak_resident), ns, lo<i>/hi<i>, t<i>, s<i>, a<i>/b<i> (fit:
# ln(peak bytes) = b + a ln N; a<i> = 'nan' when there are too few points), mscale, munit, ttl,
# depth (1: N is a tree depth, x linear and the fit ln(peak bytes) = b + a depth).
load gpdir.'/common.gp'
set title ttl
set ylabel sprintf('peak held (%s, log scale)', munit)
if (depth) {
  set xlabel 'tree depth'
  set logscale y 10
  set format x '%g'
} else {
  set xlabel 'N (elements, log scale)'
  set logscale xy 10
  set format x '%.0s%c'
}
set format y '%g'
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0
fa(i) = value(sprintf('a%d', i))
fb(i) = value(sprintf('b%d', i))
flo(i) = value(sprintf('lo%d', i))
fhi(i) = value(sprintf('hi%d', i))
inr(i, x) = x >= flo(i) * 0.999 && x <= fhi(i) * 1.001
if (exists('xtl')) { eval('set xtics ('.xtl.')') }
set samples 400
plot for [i=1:ns] data index (i-1) using 1:($2/mscale) with linespoints ls st(i) lw 1.5 title tt(i), \
     for [i=1:ns] data index (i-1) using 1:($3/mscale) with linespoints ls st(i) lw 0.7 pt 6 ps 0.8 notitle, \
     for [i=1:ns] (fa(i) == fa(i) && inr(i, x) ? exp(fb(i) + fa(i) * (depth ? x : log(x))) / mscale : NaN) with lines ls st(i) lw 1 dt 3 notitle, \
     NaN with linespoints lc rgb '#666666' lw 1.5 pt 7 title 'peak held', \
     NaN with linespoints lc rgb '#666666' lw 0.7 pt 6 ps 0.8 title 'peak resident (thin)'
if (exists('out2')) { load gpdir.'/second.gp' }
