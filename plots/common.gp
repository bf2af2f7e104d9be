# common.gp — the shared style of every memcurve chart, loaded first by each figure script.
# Inputs (gnuplot -e): out = output file, fmt = 'png' or 'svg'; out2 (optional) = an SVG
# drawn too (second.gp).
# Palette: Okabe & Ito (2008), "Color Universal Design", safe for the common colour-vision
# deficiencies; each style also has its own dash type and point type, so lines stay apart in
# greyscale too. Styles 1..24 (9..16 reuse colours with other dashes and symbols, 17..24 have
# colours of their own); the C side wraps larger indices.
set encoding utf8
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 1000,600 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
} else {
  set terminal pngcairo size 1000,600 noenhanced font 'DejaVu Sans,11' background rgb 'white'
}
set output out

set style line 1 lc rgb '#0072B2' dt 1 lw 2 pt 7 ps 1.1   # blue
set style line 2 lc rgb '#D55E00' dt 2 lw 2 pt 5 ps 1.1   # vermillion
set style line 3 lc rgb '#009E73' dt 4 lw 2 pt 9 ps 1.3   # bluish green
set style line 4 lc rgb '#E69F00' dt 5 lw 2 pt 11 ps 1.3  # orange
set style line 5 lc rgb '#CC79A7' dt 1 lw 2 pt 13 ps 1.3  # reddish purple
set style line 6 lc rgb '#56B4E9' dt 2 lw 2 pt 4 ps 1.1   # sky blue
set style line 7 lc rgb '#000000' dt 4 lw 2 pt 6 ps 1.1   # black
set style line 8 lc rgb '#B8A200' dt 5 lw 2 pt 8 ps 1.3   # yellow, darkened to read on white
# 9..12: the first colours again, with dash and symbol types of their own
set style line 9 lc rgb '#0072B2' dt 3 lw 2.5 pt 2 ps 1.3  # blue, dotted, ×
set style line 10 lc rgb '#D55E00' dt 1 lw 1 pt 3 ps 1.3  # vermillion, thin, ✳
set style line 11 lc rgb '#009E73' dt 3 lw 2.5 pt 1 ps 1.5 # bluish green, dotted, +
set style line 12 lc rgb '#CC79A7' dt 2 lw 1 pt 12 ps 1.3 # reddish purple, thin dashed, ◇
# 13..16: the other colours again, with dash and symbol types of their own
set style line 13 lc rgb '#E69F00' dt 3 lw 2.5 pt 4 ps 1.1 # orange, dotted, □
set style line 14 lc rgb '#56B4E9' dt 1 lw 1 pt 10 ps 1.3  # sky blue, thin, ▽
set style line 15 lc rgb '#000000' dt 2 lw 1 pt 14 ps 1.3  # black, thin dashed, pentagon
set style line 16 lc rgb '#B8A200' dt 3 lw 2.5 pt 15 ps 1.3 # yellow, dotted, filled pentagon
# 17..24: colours of their own (from Paul Tol's muted and dark schemes, also colour-blind safe),
# so that a full sweep's allocators (14 rows of the table, then a heap sweep's gc@<m>x) never
# share a colour in a curve chart, where held is always solid
set style line 17 lc rgb '#882255' dt 1 lw 2 pt 7 ps 0.8   # wine, small dot
set style line 18 lc rgb '#332288' dt 2 lw 2 pt 5 ps 0.8   # indigo, small square
set style line 19 lc rgb '#44AA99' dt 4 lw 2 pt 9 ps 0.9   # teal, small triangle
set style line 20 lc rgb '#999933' dt 5 lw 2 pt 11 ps 0.9  # olive, small inverted triangle
set style line 21 lc rgb '#AA4499' dt 1 lw 2 pt 13 ps 0.9  # purple, small diamond
set style line 22 lc rgb '#661100' dt 2 lw 2 pt 4 ps 0.8   # brown, small open square
set style line 23 lc rgb '#888888' dt 4 lw 2 pt 6 ps 0.8   # grey, small circle
set style line 24 lc rgb '#2F4F4F' dt 5 lw 2 pt 8 ps 0.9   # dark slate, small open triangle

set border 3 lw 1 lc rgb '#444444'
set tics nomirror out
set grid back lc rgb '#d4d4d4' lw 1 dt 3
set key outside right top vertical Left reverse noenhanced samplen 3 spacing 1.2
set title font ',13'
set datafile missing 'nan'
set datafile separator whitespace
set samples 200

# Series i's name and style, passed as t<i> and s<i> (strings and ints) by the C side.
st(i) = value(sprintf('s%d', i))
tt(i) = value(sprintf('t%d', i))
