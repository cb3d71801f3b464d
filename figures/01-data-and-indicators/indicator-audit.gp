# indicator-audit.gp: made by imine from cell 'audit' of notebook '01-data-and-indicators', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot indicator-audit.gp
# Preview in a terminal: gnuplot -e "preview=1" indicator-audit.gp
set title "Spearman correlation of each indicator with known quality" noenhanced
set xlabel "" noenhanced
set ylabel "Spearman ρ (group means vs quality tier)" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
set xtics ("input_length" 0, "output_length" 1, "mtld" 2, "knn6" 3, "ppl" 4, "ifd" 5, "reward" 6) rotate by -30 noenhanced
set arrow from graph 0, first 0 to graph 1, first 0 nohead dt 3 lc rgb '#555555'
set label "" at graph 0.02, first 0 offset 0,0.6 noenhanced
data = 'indicator-audit.dat'
plot_it = "plot data index 0 using 1:2 with boxes lc 1 title \"self-instruct models\", data index 1 using 1:2 with boxes lc 2 title \"filtered vs random Alpaca\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'indicator-audit.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'indicator-audit.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'indicator-audit.pdf'
eval(plot_it)
unset output
