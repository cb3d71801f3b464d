# selection.gp: made by imine from cell 'compare' of notebook '04-selection', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot selection.gp
# Preview in a terminal: gnuplot -e "preview=1" selection.gp
set title "Eval loss by selection (mean ± sd over 3 seeds)" noenhanced
set xlabel "" noenhanced
set ylabel "self-instruct loss" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
set xtics ("rule top 1000" 0, "random 1000" 1, "random 1600 (20%%)" 2, "random 7200 (90%%)" 3, "BlendSearch k = 5930" 4, "paper v1 rule top 1000" 5, "longest 1000 (length only)" 6, "top 1000 by reward only" 7, "AlpaGasus-filtered random 1000" 8, "Cherry-filtered random 1000" 9) rotate by -30 noenhanced
data = 'selection.dat'
plot_it = "plot data index 0 using 1:2 with boxes lc 1 title \"self-instruct\", data index 0 using 1:2:3 with yerrorbars pt -1 lc rgb 'black' notitle"
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'selection.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'selection.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'selection.pdf'
eval(plot_it)
unset output
