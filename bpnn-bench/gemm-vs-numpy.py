#!/usr/bin/env python3
"""numpy (OpenBLAS) sgemm on GemmBenchmark's shapes, 1 and 2 threads, beside JMH's GFLOP/s.

What this shows: the reference figure the simd backend is judged against, measured in the same
session (the machine is noisy; compare runs taken together).

How to run (from the repository root):
    java --add-modules jdk.incubator.vector -jar bpnn-bench/target/benchmarks.jar GemmBenchmark \
        -p backend=simd -p threads=1,2 -f 3 -wi 3 -w 1s -i 5 -r 1s -rf json -rff gemm.json
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bpnn-bench/gemm-vs-numpy.py gemm.json

Without a JSON file it prints numpy's figures only. numpy's thread count is fixed when OpenBLAS
loads, so each count runs in a child process with OPENBLAS_NUM_THREADS set. Figures are medians of
repeated timings (each repeat at least 0.2 s of calls).
"""
import argparse
import json
import os
import subprocess
import sys

SHAPES = ["NT_128x256x784", "NT_128x128x256", "NT_128x10x128", "NN_128x256x128", "NN_128x128x10",
          "TN_256x784x128", "TN_128x256x128", "TN_10x128x128", "NN_128x128x128", "NN_256x256x256",
          "NN_512x512x512", "NN_1024x1024x1024", "NT_1x256x784"]

CHILD = r"""
import json, sys, time
import numpy as np
out = {}
rng = np.random.default_rng(42)
for shape in sys.argv[1:]:
    tt, dims = shape.split("_")
    m, n, k = (int(x) for x in dims.split("x"))
    a = rng.standard_normal((k, m) if tt[0] == "T" else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if tt[1] == "T" else (k, n), dtype=np.float32)
    A = a.T if tt[0] == "T" else a
    B = b.T if tt[1] == "T" else b
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(A, B, out=c)
    flop = 2.0 * m * n * k
    rates = []
    for rep in range(9):
        calls, t0 = 0, time.perf_counter()
        while True:
            np.matmul(A, B, out=c)
            calls += 1
            t = time.perf_counter() - t0
            if t >= 0.2:
                break
        rates.append(flop * calls / t / 1e9)
    rates.sort()
    out[shape] = rates[len(rates) // 2]
print(json.dumps(out))
"""


def numpy_rates(threads):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    res = subprocess.run([sys.executable, "-c", CHILD] + SHAPES, env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def jmh_rates(path):
    """{(backend, threads, shape): GFLOP/s} from a JMH JSON result file (the gflop secondary)."""
    rates = {}
    with open(path) as f:
        for r in json.load(f):
            if not r["benchmark"].endswith("GemmBenchmark.gemm"):
                continue
            p = r["params"]
            sec = r.get("secondaryMetrics", {}).get("gflop")
            if sec:
                rates[(p["backend"], int(p["threads"]), p["shape"])] = sec["score"]
    return rates


def main():
    # argparse, not sys.argv[1]: "--help" was opened as a JMH result file and crashed
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog="Without a JSON file it prints numpy's figures only.")
    ap.add_argument("jmh_json", nargs="?", help="a JMH result file (-rf json) of GemmBenchmark")
    args = ap.parse_args()
    if args.jmh_json is not None and not os.path.isfile(args.jmh_json):
        ap.error(f"no such file: {args.jmh_json} (run GemmBenchmark with -rf json -rff FILE first)")
    jmh = jmh_rates(args.jmh_json) if args.jmh_json else {}
    np1, np2 = numpy_rates(1), numpy_rates(2)
    backends = sorted({b for b, _, _ in jmh})
    cols = [(b, t) for b in backends for t in (1, 2) if any(k[:2] == (b, t) for k in jmh)]
    head = f"{'shape':<20}" + "".join(f"{b + ' ' + str(t) + 't':>12}" for b, t in cols)
    head += f"{'numpy 1t':>12}{'numpy 2t':>12}"
    if ("simd", 1) in cols:
        head += f"{'simd/np 1t':>12}"
    if ("simd", 2) in cols:
        head += f"{'simd/np 2t':>12}{'simd 2t/1t':>12}"
    print("GFLOP/s (JMH gflop secondary, numpy medians)")
    print(head)
    for s in SHAPES:
        line = f"{s:<20}"
        for b, t in cols:
            v = jmh.get((b, t, s))
            line += f"{v:12.1f}" if v is not None else f"{'-':>12}"
        line += f"{np1[s]:12.1f}{np2[s]:12.1f}"
        s1, s2 = jmh.get(("simd", 1, s)), jmh.get(("simd", 2, s))
        if ("simd", 1) in cols:
            line += f"{s1 / np1[s]:12.2f}" if s1 else f"{'-':>12}"
        if ("simd", 2) in cols:
            line += f"{s2 / np2[s]:12.2f}" if s2 else f"{'-':>12}"
            line += f"{s2 / s1:12.2f}" if s1 and s2 else f"{'-':>12}"
        print(line)


if __name__ == "__main__":
    main()
