# search-loss.gp: made by imine from cell 'search' of notebook '03-blendsearch', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot search-loss.gp
# Preview in a terminal: gnuplot -e "preview=1" search-loss.gp
set title "Loss against k at the trials" noenhanced
set xlabel "k (rule's top k)" noenhanced
set ylabel "eval loss" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
set logscale x
set arrow from first 5930, graph 0 to first 5930, graph 1 nohead dt 2 lc rgb '#555555'
set label "best k = 5930" at first 5930, graph 0.95 left offset 0.5,0 noenhanced
data = 'search-loss.dat'
plot_it = "plot data index 0 using 1:2 with points pt 7 lc 1 title \"self-instruct (objective)\", data index 1 using 1:2 with points pt 7 lc 2 title \"MT-Bench + Vicuna (held out)\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'search-loss.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'search-loss.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'search-loss.pdf'
eval(plot_it)
unset output
