"""Golden values for the Stats module's distributions, hypothesis tests and audits, from scipy and statsmodels.

Writes Tests/StatsTests/Fixtures/distributions.json and hypothesis.json.
Run:  .venv-stats/bin/python bench/stats/make_test_fixtures.py     (from the repository root)
"""
import json
import pathlib

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import ttost_ind

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "StatsTests" / "Fixtures"
PEERS = f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}"


def f(v):
    return float(v)


def distributions():
    t_cases = []
    for df in [1, 2.5, 5, 10, 30, 95, 120.7, 1000]:
        for t in [-40, -5, -2.1, -0.3, 0, 0.7, 1.96, 3.5, 12, 60]:
            t_cases.append({"df": df, "t": t, "cdf": f(stats.t.cdf(t, df)), "sf": f(stats.t.sf(t, df)),
                            "twoSided": f(2 * stats.t.sf(abs(t), df)), "pdf": f(stats.t.pdf(t, df))})
    t_quantiles = []
    for df in [1, 2.5, 5, 10, 30, 95, 120.7, 1000]:
        for p in [1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999]:
            t_quantiles.append({"df": df, "p": p, "q": f(stats.t.ppf(p, df))})
    f_cases = []
    for d1, d2 in [(1, 10), (3, 125), (8, 120), (0.5, 3.3), (20, 7)]:
        for x in [0.01, 0.5, 1, 2.5, 10, 50, 500]:
            f_cases.append({"d1": d1, "d2": d2, "f": x, "cdf": f(stats.f.cdf(x, d1, d2)), "sf": f(stats.f.sf(x, d1, d2))})
    chi2_cases = []
    for k in [1, 2, 5.5, 30, 200]:
        for x in [0.001, 0.5, 3, 10, 50, 250, 400]:
            chi2_cases.append({"k": k, "x": x, "cdf": f(stats.chi2.cdf(x, k)), "sf": f(stats.chi2.sf(x, k))})
    normal_cases = [{"z": z, "cdf": f(stats.norm.cdf(z)), "sf": f(stats.norm.sf(z))}
                    for z in [-38, -10, -3, -1, 0, 0.5, 2, 8]]
    normal_quantiles = [{"p": p, "q": f(stats.norm.ppf(p))}
                        for p in [1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.5, 0.7, 0.975, 1 - 1e-10]]
    beta_cases = []
    for a, b in [(0.5, 0.5), (1, 3), (2.5, 0.5), (10, 20), (50, 0.5), (200, 300)]:
        for x in [1e-6, 0.01, 0.2, 0.5, 0.6, 0.9, 0.999]:
            beta_cases.append({"a": a, "b": b, "x": x, "lower": f(special.betainc(a, b, x)),
                               "upper": f(special.betaincc(a, b, x))})
    gamma_cases = []
    for a in [0.5, 1, 3.3, 20, 150]:
        for x in [1e-4, 0.5, 2, 10, 30, 200]:
            gamma_cases.append({"a": a, "x": x, "lower": f(special.gammainc(a, x)), "upper": f(special.gammaincc(a, x))})
    return {"peers": PEERS, "t": t_cases, "tQuantile": t_quantiles, "f": f_cases, "chi2": chi2_cases,
            "normal": normal_cases, "normalQuantile": normal_quantiles, "beta": beta_cases, "gamma": gamma_cases}


def hypothesis():
    rng = np.random.default_rng(42)
    samples = {
        "a": list(rng.normal(1.00, 0.02, 5)), "b": list(rng.normal(0.97, 0.05, 7)),
        "c": list(rng.normal(0.98, 0.01, 12)), "d": list(rng.normal(1.00, 0.03, 15)),
        "tiesX": [0.91, 0.93, 0.93, 0.95, 0.97, 0.97, 0.97], "tiesY": [0.93, 0.96, 0.97, 0.99, 0.99],
        "e": list(rng.normal(5, 1, 3)), "g": list(rng.normal(5.5, 3, 4)),
    }
    samples = {k: [round(float(v), 12) for v in vals] for k, vals in samples.items()}
    pairs = [("a", "b"), ("c", "d"), ("tiesX", "tiesY"), ("e", "g"), ("b", "c"), ("a", "d")]
    welch, tost = [], []
    for x, y in pairs:
        for alt in ["two-sided", "less", "greater"]:
            r = stats.ttest_ind(samples[x], samples[y], equal_var=False, alternative=alt)
            welch.append({"x": x, "y": y, "alternative": alt, "t": f(r.statistic), "p": f(r.pvalue), "df": f(r.df)})
        for margin in [0.01, 0.05, 0.5]:
            p, lo, up = ttost_ind(np.array(samples[x]), np.array(samples[y]), -margin, margin, usevar="unequal")
            tost.append({"x": x, "y": y, "margin": margin, "p": f(p), "lowerT": f(lo[0]), "lowerP": f(lo[1]),
                         "upperT": f(up[0]), "upperP": f(up[1]), "df": f(lo[2])})
    corr_x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    corr_y = [2.7, 1.8, 2.8, 1.8, 2.8, 4.5, 9.0, 4.5, 2.3, 5.3, 6.0]
    correlation = {"x": corr_x, "y": corr_y, "pearson": f(stats.pearsonr(corr_x, corr_y)[0]),
                   "spearman": f(stats.spearmanr(corr_x, corr_y)[0]),
                   "ranksX": [f(v) for v in stats.rankdata(corr_x)]}
    holm_p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9]
    holm = {"p": holm_p, "adjusted": [f(v) for v in multipletests(holm_p, method="holm")[1]]}
    groups = [list(rng.normal(m, 0.02, n)) for m, n in [(0.95, 3), (1.0, 4), (0.97, 2), (0.99, 3)]]
    anova = stats.f_oneway(*groups)
    seeds = {"groups": groups, "f": f(anova.statistic), "p": f(anova.pvalue)}
    return {"peers": PEERS, "samples": samples, "welch": welch, "tost": tost,
            "correlation": correlation, "holm": holm, "seedVariance": seeds, "crossValidation": cross_validation(rng)}


def cross_validation(rng):
    """LOO and k-fold predictive R² by brute-force refits (independent of the Swift closed form)."""
    n = 30
    a, b = rng.normal(0, 1, n), rng.uniform(0, 5, n)
    y = 0.5 + 0.8 * a - 0.3 * b + rng.normal(0, 0.7, n)
    X = sm.add_constant(np.column_stack([a, b]))
    tss = np.sum((y - y.mean()) ** 2)
    loo = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        loo[i] = X[i] @ np.linalg.lstsq(X[keep], y[keep], rcond=None)[0]
    fold = [i % 4 for i in range(n)]
    rng.shuffle(fold)
    kf = np.empty(n)
    for k in range(4):
        test = np.array(fold) == k
        kf[test] = X[test] @ np.linalg.lstsq(X[~test], y[~test], rcond=None)[0]
    return {"y": list(y), "a": list(a), "b": list(b), "fold": [int(v) for v in fold],
            "looR2": f(1 - np.sum((y - loo) ** 2) / tss), "kFoldR2": f(1 - np.sum((y - kf) ** 2) / tss)}


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "distributions.json").write_text(json.dumps(distributions(), indent=1) + "\n")
    (OUT / "hypothesis.json").write_text(json.dumps(hypothesis(), indent=1) + "\n")
    print("wrote", OUT / "distributions.json", OUT / "hypothesis.json")
