# balance-point.gp: made by imine from cell 'balance' of notebook '06-balance-point', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot balance-point.gp
# Preview in a terminal: gnuplot -e "preview=1" balance-point.gp
set title "Rule-selected and random data converge (band: ±1 sd over 3 seeds)" noenhanced
set xlabel "examples (log scale)" noenhanced
set ylabel "eval loss" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
set logscale x
set arrow from first 6400, graph 0 to first 6400, graph 1 nohead dt 2 lc rgb '#555555'
set label "balance point" at first 6400, graph 0.95 left offset 0.5,0 noenhanced
data = 'balance-point.dat'
plot_it = "plot data index 0 using 1:4:5 with filledcurves fs transparent solid 0.2 noborder lc 1 notitle, data index 0 using 1:2 with linespoints lw 2 pt 7 lc 1 title \"rule top k\", data index 1 using 1:4:5 with filledcurves fs transparent solid 0.2 noborder lc 2 notitle, data index 1 using 1:2 with linespoints lw 2 pt 7 lc 2 title \"random k\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'balance-point.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'balance-point.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'balance-point.pdf'
eval(plot_it)
unset output
