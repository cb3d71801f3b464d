"""Write a loss-against-k fixture from a size-sweep figure's data file, when the store that ran the sweep is gone
but its committed figure is not (figures/05-double-descent/*.dat hold the plotted means, full precision).

    python3 bench/search/export_figure_curve.py figures/05-double-descent/double-descent-self-instruct.dat \
        fixtures/loss_vs_k_paper.json [--series "rule top k"]

The figure's .gp file names the profile and commit that drew it; the fixture's `source` records that line.
"""
import json, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
args = [a for a in sys.argv[1:] if not a.startswith("--")]
series = sys.argv[sys.argv.index("--series") + 1] if "--series" in sys.argv else "rule top k"
if len(args) < 2:
    sys.exit(__doc__)
dat, out_name = args[0], args[1]
ks, losses, current = [], [], None
with open(dat) as fh:
    for number, line in enumerate(fh, 1):
        line = line.strip()
        if line.startswith("# ["):
            current = line.split("] ", 1)[1]
        elif line and not line.startswith("#") and current == series:
            fields = line.split()
            k, loss = float(fields[0]), float(fields[1])
            if not (k.is_integer() and math.isfinite(loss)):
                sys.exit(f"{dat}:{number}: expected an integer size and a finite loss, got {line!r}")
            ks.append(int(k)); losses.append(loss)
if len(ks) < 2:
    sys.exit(f"{dat}: no series named {series!r} with at least two points")
gp = os.path.splitext(dat)[0] + ".gp"
with open(gp) as fh:
    provenance = fh.readline().lstrip("# ").strip()
out = {
    "description": f"Loss against k recorded by the workbench: the '{series}' series of {os.path.basename(dat)} "
                   f"(mean self-instruct eval loss over the sweep's seeds).",
    "source": provenance,
    "k_min": ks[0], "k_max": ks[-1], "k": ks, "loss": [round(x, 6) for x in losses],
}
with open(os.path.join(HERE, "fixtures", out_name) if not os.path.isabs(out_name) else out_name, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(json.dumps(out))
