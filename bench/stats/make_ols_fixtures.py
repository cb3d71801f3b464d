"""Golden values for the Stats module's OLS, computed with statsmodels (the peer the workbench must match).

Writes Tests/StatsTests/Fixtures/ols_<name>.json: the inputs (response, named regressors, intercept flag) and every
output the Swift OLS reports. For the ill-conditioned design it also stores the exact least-squares solution and VIFs of the
(float) inputs, computed in rational arithmetic, so a mismatch can be blamed on the right side.

Run:  .venv-stats/bin/python bench/stats/make_ols_fixtures.py     (from the repository root)
"""
import json
import pathlib
from fractions import Fraction

import numpy as np
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "StatsTests" / "Fixtures"


def exact_solution(X, y):
    """Least squares by exact rational normal equations: the true solution for these float inputs."""
    return [float(v) for v in exact_fractions(X, y)[0]]


def exact_vif(X, j):
    """VIF of column j of X (column 0 = constant) in exact arithmetic: TSS / SSR of x_j on the other columns."""
    others = np.delete(X, j, axis=1)
    _, residuals = exact_fractions(others, X[:, j])
    xj = [Fraction(float(v)) for v in X[:, j]]
    mean = sum(xj) / len(xj)
    return float(sum((v - mean) ** 2 for v in xj) / sum(r * r for r in residuals))


def exact_fractions(X, y):
    """(coefficients, residuals) of least squares, as exact Fractions of the float inputs."""
    A = [[Fraction(float(v)) for v in row] for row in X]
    b = [Fraction(float(v)) for v in y]
    p = len(A[0])
    G = [[sum(A[i][r] * A[i][c] for i in range(len(A))) for c in range(p)] for r in range(p)]
    h = [sum(A[i][r] * b[i] for i in range(len(A))) for r in range(p)]
    M = [G[r] + [h[r]] for r in range(p)]
    for c in range(p):  # Gauss-Jordan, exact
        piv = next(r for r in range(c, p) if M[r][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        for r in range(p):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [a - f * d for a, d in zip(M[r], M[c])]
    beta = [M[r][p] / M[r][r] for r in range(p)]
    return beta, [b[i] - sum(A[i][k] * beta[k] for k in range(p)) for i in range(len(A))]


def fixture(name, description, y, names, columns, intercept=True, exact=False):
    X = np.column_stack(columns)
    exog = sm.add_constant(X, has_constant="add") if intercept else X
    res = sm.OLS(y, exog).fit()
    conf = res.conf_int(0.05)
    terms = (["const"] if intercept else []) + names
    coefs = []
    for j, term in enumerate(terms):
        is_const = intercept and j == 0
        entry = {
            "name": term, "estimate": res.params[j], "standardError": res.bse[j], "t": res.tvalues[j],
            "p": res.pvalues[j], "lower": conf[j, 0], "upper": conf[j, 1],
        }
        if not is_const:
            col = X[:, j - (1 if intercept else 0)]
            entry["standardized"] = res.params[j] * np.std(col, ddof=1) / np.std(y, ddof=1)
            if intercept:
                entry["vif"] = variance_inflation_factor(exog, j)
        coefs.append(entry)
    out = {
        "name": name, "description": description, "peer": f"statsmodels {statsmodels.__version__}",
        "intercept": intercept, "y": list(y), "names": names, "columns": [list(c) for c in columns],
        "coefficients": coefs, "rSquared": res.rsquared, "adjustedRSquared": res.rsquared_adj,
        "fStatistic": res.fvalue, "fPValue": res.f_pvalue, "logLikelihood": res.llf, "aic": res.aic, "bic": res.bic,
        "residualStandardError": float(np.sqrt(res.scale)), "residualSumOfSquares": res.ssr,
        "conditionNumber": res.condition_number, "dfModel": res.df_model, "dfResidual": res.df_resid,
        "leverage": list(res.get_influence().hat_matrix_diag),
    }
    if exact:
        out["exactEstimates"] = exact_solution(exog, y)
        out["exactVIF"] = [exact_vif(exog, j) for j in range(1, exog.shape[1])]
    (OUT / f"ols_{name}.json").write_text(json.dumps(to_float(out), indent=1) + "\n")
    print(f"{name}: n={len(y)} p={exog.shape[1]} R2={res.rsquared:.4f} cond={res.condition_number:.3g}")


def to_float(v):
    if isinstance(v, dict):
        return {k: to_float(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_float(x) for x in v]
    if isinstance(v, (np.floating, np.integer)):
        return float(v)
    return v


def paper_like():
    """Like the paper's rule-fitting design: 129 subsets, 8 mean indicators, log eval loss as the response."""
    rng = np.random.default_rng(20230712)
    n = 129
    mix = rng.dirichlet(np.ones(4), size=n)  # mixture weights over 4 sources of different quality
    source_rew = np.array([-1.5, 0.5, 1.2, -0.2])
    rew = mix @ source_rew + rng.normal(0, 0.1, n)
    len_in = mix @ np.array([20., 35., 60., 15.]) + rng.normal(0, 2, n)
    len_out = mix @ np.array([60., 180., 240., 400.]) + rng.normal(0, 10, n)
    ppl = mix @ np.array([4.0, 3.2, 5.5, 2.9]) + rng.normal(0, 0.1, n)
    mtld = mix @ np.array([55., 70., 80., 65.]) + rng.normal(0, 2, n)
    knn6 = mix @ np.array([0.55, 0.62, 0.70, 0.58]) + rng.normal(0, 0.01, n)
    nat = 0.80 + 0.03 * rew + rng.normal(0, 0.02, n)
    und = 0.70 + 0.8 * (nat - 0.8) + rng.normal(0, 0.01, n)
    loss = 1.0 - 0.05 * rew + 0.4 * (und - 0.7) - 0.3 * (nat - 0.8) + rng.normal(0, 0.02, n)
    names = ["Rew", "Len_in", "Len_out", "PPL", "MTLD", "KNN_6", "Nat", "Und"]
    cols = [rew, len_in, len_out, ppl, mtld, knn6, nat, und]
    fixture("paper_like", "129 mixed subsets, 8 correlated mean indicators, log loss target", np.log(loss), names, cols)


def ill_conditioned():
    """Near-collinear and badly scaled: token counts in thousands beside a near-copy of themselves."""
    rng = np.random.default_rng(7)
    n = 60
    tokens = rng.normal(1500, 200, n)
    tokens_copy = tokens + rng.normal(0, 0.002, n)  # almost the same regressor: large VIF
    share = rng.uniform(0, 1, n)
    y = 0.3 + 2e-4 * tokens - 1e-4 * tokens_copy + 0.5 * share + rng.normal(0, 0.05, n)
    fixture("ill_conditioned", "near-collinear, badly scaled regressors (condition number > 1e6)", y,
            ["tokens", "tokens_copy", "share"], [tokens, tokens_copy, share], exact=True)


def small_weak():
    """Few rows, weak signal: p-values far from 0, F p-value moderate."""
    rng = np.random.default_rng(11)
    n = 25
    a, b, c = rng.normal(0, 1, n), rng.uniform(-2, 2, n), rng.normal(5, 3, n)
    y = 0.2 * a + rng.normal(0, 1, n)
    fixture("small_weak", "25 rows, 3 regressors, weak signal", y, ["a", "b", "c"], [a, b, c])


def no_intercept():
    rng = np.random.default_rng(13)
    n = 40
    a, b = rng.uniform(1, 3, n), rng.normal(0, 1, n)
    y = 1.5 * a - 0.7 * b + rng.normal(0, 0.3, n)
    fixture("no_intercept", "40 rows, 2 regressors, no intercept (uncentred R²)", y, ["a", "b"], [a, b], intercept=False)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    paper_like()
    ill_conditioned()
    small_weak()
    no_intercept()
