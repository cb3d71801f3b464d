# rule-fit.gp: made by imine from cell 'fit' of notebook '02-rule-fit', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot rule-fit.gp
# Preview in a terminal: gnuplot -e "preview=1" rule-fit.gp
set title "Rule prediction against measured log loss" noenhanced
set xlabel "predicted log loss" noenhanced
set ylabel "measured log loss (self-instruct)" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
data = 'rule-fit.dat'
plot_it = "plot data index 0 using 1:2 with points pt 7 lc 1 title \"subsets\", data index 1 using 1:2 with lines lw 2 lc 2 title \"y = x\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'rule-fit.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'rule-fit.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'rule-fit.pdf'
eval(plot_it)
unset output
