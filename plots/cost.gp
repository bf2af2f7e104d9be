# cost.gp — what one operation costs under each allocator, for Google Benchmark rows that have
# no N to plot against (alloc/pair16/arena, or a single N for every allocator): one horizontal
# bar per allocator at its median over the repetitions, the min–max range as an error bar,
# fastest at the top; the median is written past the end of its whisker.
# Inputs: gpdir, out, fmt, data (blocks: rank median min max, ns per item or iteration; series
# i is at rank i), ns, t<i>, s<i> (each bar its own style), ttl, what ('item' or 'iteration'),
# range (0: one repetition each, no whisker drawn, so no key entry for one).
load gpdir.'/common.gp'
set title ttl
set xlabel sprintf('ns per %s (lower is better)', what)
stats data using 4 nooutput
set xrange [0:STATS_max * 1.18]
set yrange [ns + 0.7:0.3]
set ytics scale 0
set ytics ()
do for [i=1:ns] { set ytics add (tt(i) i) }
set grid noytics
# styles 9..16 repeat the colours of 1..8: their bars are lighter
set key inside right top vertical Left reverse noenhanced samplen 2 spacing 1.2 box lc rgb "#cccccc"
# the key holds only the whisker's entry: none (and no empty box) when no bar has a range
if (exists('range') && !range) { unset key }
plot for [i=1:ns] data index (i-1) using (0):1:(0):2:($1 - 0.36):($1 + 0.36) \
       with boxxyerror ls st(i) dt solid fs solid (st(i) > 8 && st(i) <= 16 ? 0.3 : 0.8) border lc rgb "#333333" notitle, \
     for [i=1:ns] data index (i-1) using 2:1:3:4 with xerrorbars lc rgb '#333333' pt 0 lw 1 notitle, \
     for [i=1:ns] data index (i-1) using 4:1:(sprintf(' %.3g', $2)) with labels left offset 0.4,0 notitle, \
     for [i=1:((!exists('range') || range) ? 1 : 0)] keyentry with xerrorbars lc rgb '#333333' pt 0 title 'min–max over repetitions'
if (exists('out2')) { load gpdir.'/second.gp' }
