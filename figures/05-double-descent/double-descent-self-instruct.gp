# double-descent-self-instruct.gp: made by imine from cell 'sweep' of notebook '05-double-descent', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot double-descent-self-instruct.gp
# Preview in a terminal: gnuplot -e "preview=1" double-descent-self-instruct.gp
set title "Self-instruct loss against data size (band: ±1 sd over 3 seeds)" noenhanced
set xlabel "examples (log scale)" noenhanced
set ylabel "eval loss" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
set logscale x
data = 'double-descent-self-instruct.dat'
plot_it = "plot data index 0 using 1:4:5 with filledcurves fs transparent solid 0.2 noborder lc 1 notitle, data index 0 using 1:2 with linespoints lw 2 pt 7 lc 1 title \"rule top k\", data index 1 using 1:4:5 with filledcurves fs transparent solid 0.2 noborder lc 2 notitle, data index 1 using 1:2 with linespoints lw 2 pt 7 lc 2 title \"random k\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'double-descent-self-instruct.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'double-descent-self-instruct.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'double-descent-self-instruct.pdf'
eval(plot_it)
unset output
