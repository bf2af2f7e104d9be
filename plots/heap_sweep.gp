# heap_sweep.gp — the Hertz–Berger heap sweep: the collector's time against the heap it may
# use, as multiples of the smallest heap in which the workload completes. Left: its time as a
# ratio to each explicit allocator's (same workload, same run; 1 = a match), with the paper's
# three points for a generational collector (Hertz & Berger, OOPSLA 2005: 1.70 at 2x, 1.17 at
# 3x, 1.00 at 5x) in grey. Right: collections (solid, left axis) and their total pause (dashed,
# right axis, ms) of the same runs.
# Inputs: gpdir, out, fmt, data (blocks: multiple value), ns, t<i>, s<i>, k<i> (1 time ratio,
# 2 collections, 3 total pause in ns), ttl, out2 (optional: the SVG, drawn here: a multiplot
# cannot be replotted by second.gp).
load gpdir.'/common.gp'
knd(i) = value(sprintf('k%d', i))
$HB << EOD
2 1.70
3 1.17
5 1.00
EOD
set xrange [1:*]
set xtics (1, 1.25, 1.5, 2, 3, 4, 5, 6)
set logscale x 2
set format x '%g'
do for [pass = 1:(exists('out2') ? 2 : 1)] {
  if (pass == 2 || fmt eq 'svg') {
    set terminal svg size 1200,720 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
  } else {
    set terminal pngcairo size 1200,720 noenhanced font 'DejaVu Sans,11' background rgb 'white'
  }
  set output (pass == 2 ? out2 : out)
  set multiplot layout 1,2 title ttl font ',13'
  set xlabel 'heap limit ÷ minimum heap'
  set ylabel 'time ÷ explicit allocator''s (1 = a match)'
  set yrange [0:*]
  unset y2tics
  unset y2label
  set key below vertical Left reverse noenhanced samplen 3 spacing 1.1 maxcols 1
  set title 'time relative to explicit memory management' font ',11'
  set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb '#888888' dt 2 lw 1
  plot for [i=1:ns] data index (i-1) using 1:(knd(i) == 1 ? $2 : NaN) with linespoints ls st(i) lw 2 notitle, \
       for [i=1:ns] NaN with linespoints ls st(i) lw 2 title (knd(i) == 1 ? tt(i) : ''), \
       $HB using 1:2 with linespoints lc rgb '#777777' dt 3 lw 2 pt 6 ps 1.4 title 'Hertz & Berger 2005 (GenMS vs. explicit)'
  unset arrow 1
  set title 'collections and their total pause' font ',11'
  set ylabel 'collections'
  set y2label 'total pause (ms)'
  set y2tics
  set y2range [0:*]
  plot for [i=1:ns] data index (i-1) using 1:(knd(i) == 2 ? $2 : NaN) with linespoints ls st(i) lw 2 notitle, \
       for [i=1:ns] data index (i-1) using 1:(knd(i) == 3 ? $2/1e6 : NaN) axes x1y2 with linespoints ls st(i) dt 2 lw 1.5 notitle, \
       for [i=1:ns] NaN with linespoints ls st(i) lw 2 title (knd(i) == 2 ? tt(i) : ''), \
       NaN with lines lc rgb '#666666' lw 2 title 'collections', \
       NaN with lines lc rgb '#666666' dt 2 lw 1.5 title 'total pause'
  unset multiplot
  unset output
}
