# search-trajectory.gp: made by imine from cell 'search' of notebook '03-blendsearch', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot search-trajectory.gp
# Preview in a terminal: gnuplot -e "preview=1" search-trajectory.gp
set title "k proposed at each BlendSearch trial" noenhanced
set xlabel "trial" noenhanced
set ylabel "k" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
set logscale y
data = 'search-trajectory.dat'
plot_it = "plot data index 0 using 1:2 with linespoints lw 2 pt 7 lc 1 title \"k\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'search-trajectory.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'search-trajectory.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'search-trajectory.pdf'
eval(plot_it)
unset output
