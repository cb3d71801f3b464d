"""The four parity objectives, shared by flaml_parity.py; bench/swift/search/Objectives.swift mirrors them and
checks itself against the `checks` table flaml_parity.py writes. Every objective is minimised and returns
(objective, cost)."""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def double_descent(cfg):
    """(a) 1-D, log-integer k in [16, 4096]: a local minimum near k = 64 and a deeper one near k = 1450; cost = k."""
    k = cfg["k"]
    t = math.log2(k)
    f = 2.0 - 0.6 * math.exp(-((t - 6.0) ** 2) / 0.8) - 0.8 * math.exp(-((t - 10.5) ** 2) / 1.5) + 0.02 * (t - 4.0)
    return f, float(k)


def branin(cfg):
    """(b) 2-D Branin on x1 in [-5, 10], x2 in [0, 15] (uniform reals), minimum 0.397887 at three points; cost = 1."""
    x1, x2 = cfg["x1"], cfg["x2"]
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s, 1.0


def costly(cfg):
    """(c) n in log-integer [1, 1024] (cost = n, like epochs x examples) and lr in log-uniform [1e-4, 1]:
    more n lowers the loss with diminishing returns and a slow penalty, optimum near n = 133 and a lr that
    shifts with n."""
    n, lr = cfg["n"], cfg["lr"]
    f = 1.0 / math.sqrt(n) + 0.25 * (math.log10(lr) + 2.5 - 0.25 * math.log10(n)) ** 2 + 0.03 * math.log2(n)
    return f, float(n)


def load_curve():
    with open(os.path.join(HERE, "fixtures", "loss_vs_k.json")) as fh:
        return json.load(fh)


CURVE = load_curve()


def loss_vs_k(cfg):
    """(d) The tabulated loss-against-k curve in fixtures/loss_vs_k.json, interpolated linearly in ln k; cost = k."""
    return _loss_vs_k(cfg)


# --- The stall benchmark (issue #19): 1-D objectives over k with cost = k, where a search that starts at k_min
# and only walks locally can stay there. flaml_stall.py runs FLAML on them; bench-search --stall mirrors them.

T_WELL1, T_WELL2 = math.log10(900), math.log10(9000)


def _double_well_shape(k):
    t = math.log10(k)
    return (0.01 * (t - 2) - 0.30 * math.exp(-((t - T_WELL1) ** 2) / (2 * 0.12 ** 2))
            - 0.25 * math.exp(-((t - T_WELL2) ** 2) / (2 * 0.15 ** 2)))


def double_well(cfg):
    """k in [100, 20000]: a gentle rise from k = 100 (+0.01 per decade), a deep narrow well near k = 900 and a
    shallower one near k = 9000 (Gaussians in log10 k, widths 0.12 and 0.15 decades), shifted so that the minimum
    over the integers is exactly 0.7083 at k = 899 (the second well bottoms at 0.7683 at k = 8981); cost = k."""
    k = cfg["k"]
    return 0.7083 + _double_well_shape(k) - _double_well_shape(899), float(k)


T_MID = (2 + math.log10(20000)) / 2


def mid_bowl(cfg):
    """k in [100, 20000]: a parabola in log10 k with its minimum 0.9 in the middle of the log range (k = 1414.2,
    0.9000000017 at k = 1414); cost = k."""
    k = cfg["k"]
    return 0.9 + 0.4 * (math.log10(k) - T_MID) ** 2, float(k)


def monotone(cfg):
    """k in [100, 20000]: a power law falling all the way, 2 + 3 (k/100)^-0.3, best at k_max (2.612086); cost = k."""
    k = cfg["k"]
    return 2.0 + 3.0 * (k / 100.0) ** -0.3, float(k)


def curve_objective(curve):
    """A tabulated loss-against-k curve, interpolated linearly in ln k; cost = k."""
    ks, ls = curve["k"], curve["loss"]

    def objective(cfg):
        k = cfg["k"]
        if k <= ks[0]:
            return ls[0], float(k)
        for i in range(1, len(ks)):
            if k <= ks[i]:
                w = (math.log(k) - math.log(ks[i - 1])) / (math.log(ks[i]) - math.log(ks[i - 1]))
                return ls[i - 1] + w * (ls[i] - ls[i - 1]), float(k)
        return ls[-1], float(k)
    return objective


_loss_vs_k = curve_objective(CURVE)


def load_fixture(name):
    with open(os.path.join(HERE, "fixtures", name)) as fh:
        return json.load(fh)
