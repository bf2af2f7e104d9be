# refcount_vs_tracing.gp — the lesson of the two collector models: one panel per workload
# (cycles and its acyclic twin, chains), side by side, with the live bytes (the heap's own
# count) of reference counting and tracing, collector on and off, against operations:
#   reference counting frees acyclic garbage the moment it is dropped, detector on or off
#     (a flat line); only cycles wait for the detector, and with it off (gc.disable()) they stay;
#   tracing frees nothing until a collection (the sawtooth), and with it off keeps everything.
# Inputs: gpdir, out, fmt, data (blocks: ops requested footprint), ns, t<i>, s<i>, p<i> (the
# panel of series i), np, pt<k> (panel titles), mscale, munit, ttl, out2 (optional: the SVG,
# drawn here: a multiplot cannot be replotted by second.gp).
load gpdir.'/common.gp'
stats data using 1 nooutput
xs = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e4 ? 1e3 : 1)
xlab = 'operations done (allocations)'.(xs == 1e6 ? ', millions' : (xs == 1e3 ? ', thousands' : ''))
pnl(i) = value(sprintf('p%d', i))
ptt(k) = value(sprintf('pt%d', k))
set format x '%g'
set yrange [0:*]
set xrange [0:*]
w = np > 1 ? 500 * np : 900
do for [pass = 1:(exists('out2') ? 2 : 1)] {
  if (pass == 2 || fmt eq 'svg') {
    set terminal svg size w,520 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
  } else {
    set terminal pngcairo size w,520 noenhanced font 'DejaVu Sans,11' background rgb 'white'
  }
  set output (pass == 2 ? out2 : out)
  set multiplot layout 1,np title ttl font ',13'
  set xlabel xlab
  set ylabel sprintf('live bytes (%s)', munit)
  set key inside left top vertical Left reverse noenhanced samplen 4 spacing 1.1 box opaque
  do for [k = 1:np] {
    set title ptt(k) font ',11'
    plot for [i=1:ns] data index (i-1) using ($1/xs):(pnl(i) == k ? $2/mscale : NaN) with lines ls st(i) lw 2.5 notitle, \
         for [i=1:ns] NaN with lines ls st(i) lw 2.5 title (pnl(i) == k ? tt(i) : '')
  }
  unset multiplot
  unset output
}
