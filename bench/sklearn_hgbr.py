"""scikit-learn HistGradientBoostingRegressor on the data the Deno bench trained on.

Run with the Debian interpreter (python3-sklearn); `deno task bench` calls it:
  /usr/bin/python3 bench/sklearn_hgbr.py --data PATH --rows N --features F \
      --monotone -1,0,... [--trees 100] [--depth 6] [--leaves 31] [--min-leaf 20]
PATH holds the features row-major as little-endian float64 (rows x features), then the
target (rows float64). Prints one JSON object: training seconds of one fit, prediction
rows per second on the same rows, and the library version. Nothing is saved.

Without --data it draws its own synthetic rows of the same formula as
engine/demand/gbdt/synthetic.ts (same shape, not the same numbers).
"""
import argparse
import json
import time

import numpy as np
import sklearn
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
    p = argparse.ArgumentParser()
    p.add_argument("--data")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--features", type=int, default=12)
    p.add_argument("--monotone", default="")
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--depth", type=int, default=6)
    p.add_argument("--leaves", type=int, default=31)
    p.add_argument("--min-leaf", type=int, default=20)
    a = p.parse_args()
    if a.data:
        raw = np.fromfile(a.data, dtype="<f8")
        n, f = a.rows, a.features
        if raw.size != n * f + n:
            raise SystemExit(f"{a.data} holds {raw.size} numbers, expected {n * f + n}")
        x = raw[: n * f].reshape(n, f)
        y = raw[n * f:]
    else:
        x, y = synthetic(a.rows, a.features)
    mono = [int(v) for v in a.monotone.split(",")] if a.monotone else None
    model = HistGradientBoostingRegressor(
        loss="poisson",
        max_iter=a.trees,
        max_depth=a.depth,
        max_leaf_nodes=a.leaves,
        min_samples_leaf=a.min_leaf,
        learning_rate=0.1,
        max_bins=255,
        early_stopping=False,
        monotonic_cst=mono,
    )
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(x)
    predict_seconds = time.perf_counter() - start
    print(json.dumps({
        "train_s": round(seconds, 3),
        "predict_rows_per_s": round(len(y) / predict_seconds),
        "trees": model.n_iter_,
        "version": sklearn.__version__,
    }))


if __name__ == "__main__":
    main()
