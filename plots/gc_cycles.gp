# gc_cycles.gp — the cycles workload (build cyclic lists, drop them) under the collector with
# collection on, off, and with SAVEALL (found cycles kept in the garbage list), two panels
# against operations:
#   top, live bytes as the heap counts them (requested): off and SAVEALL both grow by exactly
#     the bytes of the dropped cycles (the same line: SAVEALL finds them and keeps them), on
#     drops back at every collection;
#   bottom, held (bytes the heap holds): on stays flat once the first collection ran, off grows
#     with the cycles, SAVEALL grows more (the garbage list itself holds a pointer per object).
# Inputs: gpdir, out, fmt, data (blocks: ops requested held resident), ns, t<i>, s<i>, mscale,
# munit, ttl, marks (blocks: ops bytes_after requested_after), nm, m<i>, out2 (optional: the
# SVG, drawn here: a multiplot cannot be replotted by second.gp).
load gpdir.'/common.gp'
# operations in thousands or millions, so tics read 200, 400 rather than 200k, 400k, 1M, 1M
stats data using 1 nooutput
xs = STATS_max >= 1e6 ? 1e6 : (STATS_max >= 1e4 ? 1e3 : 1)
xlab = 'operations done (allocations)'.(xs == 1e6 ? ', millions' : (xs == 1e3 ? ', thousands' : ''))
set format x '%g'
set yrange [0:*]
set xrange [0:*]
do for [pass = 1:(exists('out2') ? 2 : 1)] {
  if (pass == 2) {
    set terminal svg size 1000,700 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
    set output out2
  } else {
    if (fmt eq 'svg') {
      set terminal svg size 1000,700 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
    } else {
      set terminal pngcairo size 1000,700 noenhanced font 'DejaVu Sans,11' background rgb 'white'
    }
    set output out
  }
  set multiplot title ttl font ',13'
  set lmargin at screen 0.09
  set rmargin at screen 0.77
  # top: live bytes, with the key
  set key outside right top vertical Left reverse noenhanced samplen 4 spacing 1.2 width 2
  set tmargin at screen 0.88
  set bmargin at screen 0.53
  set title 'live bytes (the heap''s count): off and SAVEALL keep every dropped cycle, on reclaims them' font ',11'
  set xlabel ''
  set ylabel sprintf('live (%s)', munit)
  # the key entries stand alone: a series without live bytes (Boehm: not counted) keeps its entry
  plot for [i=1:ns] data index (i-1) using ($1/xs):($2/mscale) with lines ls st(i) lw 2.5 notitle, \
       for [i=1:ns] NaN with lines ls st(i) lw 2.5 title tt(i), \
       for [i=1:nm] marks index (i-1) using ($1/xs):($3/mscale) with points ls value(sprintf('m%d', i)) pt 9 ps 0.9 notitle, \
       for [i=1:(nm > 0 ? 1 : 0)] NaN with points lc rgb '#666666' pt 9 title 'collection'
  # bottom: footprint
  set tmargin at screen 0.43
  set bmargin at screen 0.09
  set title 'held (bytes the heap holds): the garbage list adds to SAVEALL' font ',11'
  set xlabel xlab
  set ylabel sprintf('held (%s)', munit)
  unset key
  plot for [i=1:ns] data index (i-1) using ($1/xs):($3/mscale) with lines ls st(i) lw 2.5 notitle, \
       for [i=1:nm] marks index (i-1) using ($1/xs):($2/mscale) with points ls value(sprintf('m%d', i)) pt 9 ps 0.9 notitle
  unset multiplot
  unset output
}
