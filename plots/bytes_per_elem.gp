# bytes_per_elem.gp — ndarray against boxed array: peak footprint ÷ N, the memory each element
# really costs, against N; two panels on one y scale, ndarray (one buffer of doubles) on the
# left, boxed array (a pointer plus a box per element) on the right, one line per allocator in
# its own style.
# xtl (optional): explicit x tics, '"2k" 2000, ...'.
# Inputs: gpdir, out, fmt, data (blocks: n bytes_per_element), ns, t<i> (the allocator), s<i>
# (its style), k<i> (1: boxed array, 0: ndarray), f<i> (1: the allocator's first series: its key
# entry), ttl, logx, out2 (optional: the SVG, drawn here: a multiplot cannot be replotted).
load gpdir.'/common.gp'
stats data using 1:2 nooutput
xlo = STATS_min_x
xhi = STATS_max_x
ytop = STATS_max_y * 1.08
bx(i) = value(sprintf('k%d', i))
first(i) = value(sprintf('f%d', i))
if (logx) { set logscale x 10 }
set format x '%.0s%c'
if (exists('xtl')) { eval('set xtics ('.xtl.')') }
set yrange [0:ytop]
set xrange [xlo / (logx ? 1.25 : 1) - (logx ? 0 : (xhi - xlo) * 0.05) : xhi * (logx ? 1.25 : 1) + (logx ? 0 : (xhi - xlo) * 0.05)]
set xlabel (logx ? 'N (elements, log scale)' : 'N (elements)')
do for [pass = 1:(exists('out2') ? 2 : 1)] {
  if (pass == 2 || fmt eq 'svg') {
    set terminal svg size 1000,600 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
  } else {
    set terminal pngcairo size 1000,600 noenhanced font 'DejaVu Sans,11' background rgb 'white'
  }
  set output (pass == 2 ? out2 : out)
  set multiplot title ttl font ',13'
  set tmargin at screen 0.86
  set bmargin at screen 0.12
  set lmargin at screen 0.08
  set rmargin at screen 0.44
  set title 'ndarray (one buffer of doubles)' font ',11'
  set ylabel 'bytes per element (peak footprint ÷ N)'
  unset key
  plot for [i=1:ns] data index (i-1) using 1:(bx(i) ? NaN : $2) with linespoints ls st(i) notitle
  set lmargin at screen 0.50
  set rmargin at screen 0.86
  set title 'boxed array (a pointer and a box per element)' font ',11'
  set ylabel ''
  set key outside right top vertical Left reverse noenhanced samplen 3 spacing 1.2
  plot for [i=1:ns] data index (i-1) using 1:(bx(i) ? $2 : NaN) with linespoints ls st(i) notitle, \
       for [i=1:ns] (first(i) ? NaN : 1/0) with linespoints ls st(i) title (first(i) ? tt(i) : '')
  unset multiplot
  unset output
}
