# second.gp — draws the chart just plotted once more, as SVG into out2: one gnuplot run gives
# both formats. Loaded by each figure script after its plot command when out2 is set.
set terminal svg size 1000,600 dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'
set output out2
replot
unset output
