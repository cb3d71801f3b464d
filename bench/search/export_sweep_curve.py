"""Replace fixtures/loss_vs_k.json with a loss-against-k curve recorded by the workbench's own size sweep.

    python3 bench/search/export_sweep_curve.py [STORE] [--kind rule|random]

Reads the newest `sweep.sizes` cell of the store (default .imine/store.sqlite), takes the mean self-instruct loss
over seeds at each size for the rule's top k (or random k), and writes it with its provenance (store cell, profile
digest of the payload). Rerun flaml_parity.py afterwards so FLAML's fixture is measured on the same curve.
"""
import json, os, sqlite3, statistics, sys

HERE = os.path.dirname(os.path.abspath(__file__))
args = [a for a in sys.argv[1:] if not a.startswith("--")]
kind = "random" if "--kind" in sys.argv and sys.argv[sys.argv.index("--kind") + 1] == "random" else "rule"
store = args[0] if args else ".imine/store.sqlite"
db = sqlite3.connect(store)
row = db.execute("SELECT c.output_digest, a.bytes FROM cell c JOIN artifact a ON a.digest = c.output_digest "
                 "WHERE c.step = 'sweep.sizes' ORDER BY c.finished_at DESC LIMIT 1").fetchone()
if row is None:
    sys.exit(f"{store}: no sweep.sizes cell; run notebooks/05-double-descent.md first")
digest, payload = row[0], json.loads(row[1])
sizes = payload["sizes"]
losses = [statistics.mean(o["losses"]["eval-self-instruct"] for o in group) for group in payload["outcomes"][kind]]
out = {
    "description": f"Loss against k recorded by the workbench: mean self-instruct eval loss over {payload['seeds']} finetune seeds "
                   f"of the {'rule top-k' if kind == 'rule' else 'random k'} subsets, sweep.sizes payload {digest}.",
    "source": f"sweep.sizes artifact {digest}",
    "k_min": sizes[0], "k_max": sizes[-1], "k": sizes, "loss": [round(x, 6) for x in losses],
}
with open(os.path.join(HERE, "fixtures", "loss_vs_k.json"), "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(json.dumps(out))
