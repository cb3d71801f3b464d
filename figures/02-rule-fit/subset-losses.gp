# subset-losses.gp: made by imine from cell 'finetunes' of notebook '02-rule-fit', profile paper, commit d674ebec2091b926cd8d7953d4207b1200d13dd1 (clean). Re-render here with: gnuplot subset-losses.gp
# Preview in a terminal: gnuplot -e "preview=1" subset-losses.gp
set title "Eval loss of each rule-fitting finetune" noenhanced
set xlabel "self-instruct loss (main target)" noenhanced
set ylabel "MT-Bench + Vicuna loss (held out)" noenhanced
set key outside right top noenhanced
set grid lc rgb '#dddddd'
set style fill solid 0.6 border -1
set boxwidth 0.8 relative
data = 'subset-losses.dat'
plot_it = "plot data index 0 using 1:2 with points pt 7 lc 1 title \"subsets\""
if (exists("preview")) {
    if (!exists("preview_size")) { preview_size = '100,32' }
    eval('set terminal dumb size '.preview_size)
    set output
    eval(plot_it)
    exit
}
set terminal pngcairo size 960,600 font 'DejaVu Sans,11'
set output 'subset-losses.png'
eval(plot_it)
set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'
set output 'subset-losses.svg'
eval(plot_it)
set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'
set output 'subset-losses.pdf'
eval(plot_it)
unset output
