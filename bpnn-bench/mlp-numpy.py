#!/usr/bin/env python3
"""The numpy/OpenBLAS reference for the main job's training loop, on the machine at hand.

What this shows: the hand-written numpy MLP that the issue's speed targets are measured against
(Fashion-MNIST, 784-256-128-10, ReLU/ReLU/softmax with cross-entropy, batch 128, plain SGD), timed
the way `./bpnn fashion-mnist` times its loop: from the start of an epoch (its shuffle included) to
the end of its last batch, with the data already in memory and standardised. Compare it with the JSON line's
`median_epoch_seconds` of a launch taken in the same session: the machine is noisy, and a different
machine (another CPU) moves both figures.

How to run (from the repository root; needs the Debian package dataset-fashion-mnist):
    python3 bpnn-bench/mlp-numpy.py                # 1 and 2 threads, 4 epochs each
    python3 bpnn-bench/mlp-numpy.py --threads 1 --epochs 6

Like gemm-vs-numpy.py, the children run without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so that
OpenBLAS picks its kernels for the CPU at hand (a CORETYPE of Haswell, set in some sandboxes, means
AVX2 kernels: 0.59 against 0.38 s an epoch on AMD Zen 5); --keep-coretype keeps them.

numpy's thread count is fixed when OpenBLAS loads, so each count runs in a child process with
OPENBLAS_NUM_THREADS set. It prints the epochs' times, their median, the test accuracy (a check that
the loop trains, not a figure to compare: the job's default optimiser is Adam) and the single-sample
predict latency of the trained network (compare PredictBenchmark.predictInto).
"""
import argparse
import os
import subprocess
import sys

CHILD = r"""
import gzip, json, sys, time
import numpy as np

data, epochs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def idx(name):
    with gzip.open(f"{data}/{name}.gz", "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

x = idx("train-images-idx3-ubyte").reshape(60000, 784).astype(np.float32)
y = idx("train-labels-idx1-ubyte").astype(np.int64)
tx = idx("t10k-images-idx3-ubyte").reshape(10000, 784).astype(np.float32)
ty = idx("t10k-labels-idx1-ubyte").astype(np.int64)
mean, std = x.mean(axis=0), x.std(axis=0) + 1e-7
x = ((x - mean) / std).astype(np.float32)
tx = ((tx - mean) / std).astype(np.float32)

rng = np.random.default_rng(seed)
sizes = [784, 256, 128, 10]
W = [(rng.standard_normal((o, i)) * np.sqrt(2.0 / i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
b = [np.zeros(o, np.float32) for o in sizes[1:]]
lr, batch, n = np.float32(0.05), 128, x.shape[0]

def forward(a):
    acts = [a]
    for l in range(3):
        z = acts[-1] @ W[l].T + b[l]
        if l < 2:
            acts.append(np.maximum(z, 0, out=z))
        else:
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True)
            acts.append(z)
    return acts

times = []
for epoch in range(epochs):
    # the shuffle inside the timed epoch: bpnn's Trainer reshuffles after onEpochStart, where the job's
    # epoch clock starts, so its figure includes the shuffle; this one left it out
    start = time.perf_counter()
    order = rng.permutation(n)
    for s in range(0, n, batch):
        rows = order[s:s + batch]
        xb, yb = x[rows], y[rows]
        acts = forward(xb)
        m = xb.shape[0]
        delta = acts[3]                               # BP1 for softmax + cross-entropy: a - y
        delta[np.arange(m), yb] -= 1
        delta /= m
        for l in (2, 1, 0):
            gW = delta.T @ acts[l]                    # BP4
            gb = delta.sum(axis=0)                    # BP3
            if l > 0:
                delta = (delta @ W[l]) * (acts[l] > 0)  # BP2
            W[l] -= lr * gW
            b[l] -= lr * gb
    times.append(time.perf_counter() - start)
pred = forward(tx)[3].argmax(axis=1)
# single-sample predict of the trained network: one 1 x 784 row through the three layers, the way
# PredictBenchmark.predictInto times bpnn's (a warm loop, the median of 15 repeats of 2,000 calls)
one = tx[:1].copy()
reps = []
for r in range(15):
    t0 = time.perf_counter()
    for i in range(2000):
        forward(one)
    reps.append((time.perf_counter() - t0) / 2000)
reps.sort()
print(json.dumps({"epochs": times, "test_accuracy": float((pred == ty).mean()), "predict_us": reps[7] * 1e6}))
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                epilog="Prints each thread count's epoch times and median, the test accuracy and "
                                       "the single-sample predict latency. Compare with ./bpnn fashion-mnist's "
                                       "median_epoch_seconds, taken in the same session.")
    # every option with its help and default: --help listed four of the five bare, so neither the
    # thread counts' form nor where the data is read from could be learnt without reading the source
    p.add_argument("--threads", type=int, nargs="*", default=[1, 2], metavar="N",
                   help="numpy's thread counts, one child process each (default: 1 2)")
    p.add_argument("--epochs", type=int, default=4, help="epochs timed per thread count (default: 4)")
    p.add_argument("--seed", type=int, default=42, help="seed of the weights and the batch order (default: 42)")
    p.add_argument("--data", default=os.environ.get("BPNN_DATA", "/usr/share/datasets/fashion-mnist"), metavar="DIR",
                   help="the Fashion-MNIST directory, the four gzipped IDX files of the Debian package "
                        "dataset-fashion-mnist (default: $BPNN_DATA, else /usr/share/datasets/fashion-mnist)")
    p.add_argument("--keep-coretype", action="store_true",
                   help="keep OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from the environment")
    args = p.parse_args()
    if args.epochs < 1 or not args.threads or min(args.threads) < 1:
        p.error(f"--epochs and every --threads value must be at least 1, got --epochs {args.epochs} "
                f"--threads {' '.join(map(str, args.threads))}")
    if not os.path.exists(os.path.join(args.data, "train-images-idx3-ubyte.gz")):
        sys.exit(f"mlp-numpy.py: no train-images-idx3-ubyte.gz in {args.data}; "
                 "install the package dataset-fashion-mnist or pass --data DIR")
    import json
    if args.keep_coretype and os.environ.get("OPENBLAS_CORETYPE"):
        print(f"note: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is kept, so OpenBLAS uses that core's "
              "kernels, not the ones it picks for this CPU")
    for t in args.threads:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t))
        if not args.keep_coretype:
            env.pop("OPENBLAS_CORETYPE", None)
            env.pop("OPENBLAS_L2_SIZE", None)
        out = subprocess.run([sys.executable, "-c", CHILD, args.data, str(args.epochs), str(args.seed)],
                             env=env, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        e = sorted(r["epochs"])
        k = len(e)
        median = e[k // 2] if k % 2 else (e[k // 2 - 1] + e[k // 2]) / 2
        print(f"numpy {t} thread(s): epochs " + " / ".join(f"{s:.3f}" for s in r["epochs"])
              + f" s, median {median:.3f} s, test accuracy {r['test_accuracy']:.4f}, "
              + f"single-sample predict {r['predict_us']:.1f} us")


if __name__ == "__main__":
    main()
