"""Side-by-side timing: scikit-learn HistGradientBoostingRegressor on the same-shaped data.

Run with the Debian interpreter (python3-sklearn): /usr/bin/python3 bench/sklearn_hgbr.py [rows]
Prints one JSON object: training seconds and holdout WAPE. Synthetic data only; nothing saved.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor


def synthetic(rows, features=12, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(rows, features))
    price = 0.5 + 1.5 * x[:, 0]
    log_mu = (
        0.8
        - 1.2 * np.log(price)
        + 0.6 * np.sin(6.0 * x[:, 1])
        + 0.5 * (x[:, 2] > 0.5)
        + 0.4 * x[:, 3] * x[:, 4]
        - 0.3 * (x[:, 5] - 0.5) ** 2
        + 0.2 * x[:, 6]
        - 0.2 * x[:, 7]
        + 0.1 * np.sin(4.0 * x[:, 8])
        + 0.1 * x[:, 9] * x[:, 10]
        + 0.05 * x[:, 11]
    )
    y = rng.poisson(np.exp(log_mu)).astype(np.float64)
    return x, y


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    x, y = synthetic(rows)
    xt, yt = synthetic(max(rows // 10, 1000), seed=1)
    model = HistGradientBoostingRegressor(
        max_iter=100, max_depth=6, early_stopping=False, loss="poisson"
    )
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    wape = float(np.abs(yt - model.predict(xt)).sum() / yt.sum())
    start = time.perf_counter()
    model.predict(x)
    predict_seconds = time.perf_counter() - start
    print(json.dumps({
        "rows": rows,
        "trainSeconds": round(seconds, 3),
        "holdoutWape": round(wape, 4),
        "predictRowsPerSecond": round(rows / predict_seconds),
    }))


if __name__ == "__main__":
    main()
