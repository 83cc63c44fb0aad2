#!/usr/bin/env python3
"""Reads bpnn model and checkpoint files (format version 1) with numpy, and predicts with them.

Written from the format's specification (the package documentation of org.bpnn.io.model), not
from the Java reader. Usage:

    import bpnn_model
    m = bpnn_model.load("model.bpnn")      # checks the magic, version, CRC-32C and SHA-256; refuses unknown fields
    y = m.predict(x)                       # x: (n, input_size) or (input_size,); float32 like Java
    p = m.predict_probabilities(x)         # a classifier's: a logits model's outputs through its link
    m.header, m.tensors                    # the JSON header; tensor name -> float32 array

A checkpoint file loads too (its optimiser state and best weights are in m.tensors).
or from a shell: python3 bpnn_model.py model.bpnn input.csv  (a CSV of numbers, no header) prints
one line of outputs per row.
"""
import hashlib
import json
import struct
import sys
import warnings

import numpy as np

MAGIC = b"\x89BPN\r\n\x1a\n"
_CRC32C = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC32C.append(_c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC32C[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


class FormatError(ValueError):
    pass


# The fields this reader knows. Fields are added within version 1 (target_normaliser, threshold, ...) on
# the rule that a reader from before refuses an unknown one: a new field may change what the file
# predicts, so an unknown one is refused here too, rather than predicted from without it.
_ROOT = {"format", "version", "architecture", "normaliser", "target_normaliser", "feature_names", "class_names",
         "target_names", "threshold", "csv_dialect", "metadata", "checkpoint", "tensors", "data"}
_FIELDS = {"architecture": {"input_size", "layers", "loss"}, "dense": {"type", "units", "activation", "initializer"},
           "dropout": {"type", "rate"}, "activation": {"name", "parameter"}, "normaliser": {"kind", "features"}}


def _only(obj, kind, where):
    unknown = sorted(set(obj) - _FIELDS[kind])
    if unknown:
        raise FormatError("unknown field %r in %s: written by a newer bpnn than this reader knows" % (unknown[0], where))


def _activation(a, z):
    name, p = a["name"], np.float32(a["parameter"])
    if name == "identity":
        return z
    if name == "sigmoid":
        with np.errstate(over="ignore"):  # e^-z overflows to inf for z < -88: the sigmoid is then 0
            return (1 / (1 + np.exp(-z))).astype(np.float32)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, np.float32(0))
    if name == "leaky_relu":
        return np.where(z > 0, z, p * z).astype(np.float32)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    raise FormatError("unknown activation %r" % name)


class Model:
    """A loaded model: header (the parsed JSON), tensors (name -> float32 array) and predict."""

    def __init__(self, header, tensors):
        self.header = header
        self.tensors = tensors
        unknown = sorted(set(header) - _ROOT)
        if unknown:
            raise FormatError("unknown field %r in the header: written by a newer bpnn than this reader knows" % unknown[0])
        arch = header["architecture"]
        _only(arch, "architecture", "architecture")
        self.input_size = arch["input_size"]
        self.loss = arch["loss"]["name"]
        self.layers = []  # (W, b, activation) per dense layer; dropout is the identity when predicting
        for i, layer in enumerate(arch["layers"]):
            if layer["type"] in ("dense", "dropout"):
                _only(layer, layer["type"], "layers[%d]" % i)
            if layer["type"] == "dense":
                _only(layer["activation"], "activation", "layers[%d].activation" % i)
                w, b = tensors["layers[%d].weight" % i], tensors["layers[%d].bias" % i]
                self.layers.append((w, b[0], layer["activation"]))
            elif layer["type"] != "dropout":
                raise FormatError("unknown layer type %r" % layer["type"])
        self.normaliser = self._normaliser("normaliser")
        self.target_normaliser = self._normaliser("target_normaliser")
        self.class_names = header.get("class_names")
        self.target_names = header.get("target_names")
        self.feature_names = header.get("feature_names")
        self.threshold = header.get("threshold")
        self.checkpoint = header.get("checkpoint")

    def _normaliser(self, key):
        if key not in self.header:
            return None
        _only(self.header[key], "normaliser", key)
        if self.header[key]["kind"] not in ("standardise", "min_max"):  # both map x' = (x - center) / scale
            raise FormatError("unknown %s kind %r" % (key, self.header[key]["kind"]))
        return self.tensors[key + ".center"][0], self.tensors[key + ".scale"][0]

    def predict(self, x):
        """The network's outputs for x (one sample or a batch), in the targets' units for a regression."""
        x = np.asarray(x, dtype=np.float32)
        one = x.ndim == 1
        x = x.reshape(1, -1) if one else x
        if x.shape[1] != self.input_size:
            raise ValueError("expected %d inputs per sample, got %d" % (self.input_size, x.shape[1]))
        if self.normaliser is not None:
            x = (x - self.normaliser[0]) / self.normaliser[1]
        for w, b, act in self.layers:
            x = _activation(act, x @ w.T + b)
        if self.target_normaliser is not None:
            x = x * self.target_normaliser[1] + self.target_normaliser[0]
        return x[0] if one else x

    def predict_probabilities(self, x):
        """A classifier's class probabilities: a logits loss's outputs through its sigmoid or softmax."""
        y = self.predict(x)
        if self.loss == "binary_cross_entropy_logits":
            return _activation({"name": "sigmoid", "parameter": 0}, y)
        if self.loss == "categorical_cross_entropy_logits":
            return _activation({"name": "softmax", "parameter": 0}, y.reshape(-1, y.shape[-1])).reshape(y.shape)
        return y


def load(path):
    """Reads and verifies the model (or checkpoint) file at path; returns a Model."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 20 or raw[:8] != MAGIC:
        gz = "; it is gzip-compressed: gunzip it first" if raw[:2] == b"\x1f\x8b" else ""
        raise FormatError("%s: not a bpnn model file (first bytes %r)%s" % (path, raw[:8], gz))
    version, hlen, crc = struct.unpack_from("<III", raw, 8)
    if version != 1:
        raise FormatError("%s: format version %d; this reader reads version 1" % (path, version))
    if 20 + hlen > len(raw):
        raise FormatError("%s: header of %d bytes runs past the end of the file" % (path, hlen))
    hbytes = raw[20:20 + hlen]
    if crc32c(hbytes) != crc:
        raise FormatError("%s: header CRC-32C mismatch" % path)
    header = json.loads(hbytes.decode("utf-8"))
    try:
        return _read(path, header, raw[20 + hlen:])
    except (KeyError, TypeError, IndexError) as e:  # a field or tensor missing or of another type: a traceback said no more
        raise FormatError("%s: not a valid version 1 header (%s: %s)" % (path, type(e).__name__, e))


def _read(path, header, data):
    if header.get("format") != "bpnn-model" or header.get("version") != 1:
        raise FormatError("%s: header says format %r version %r" % (path, header.get("format"), header.get("version")))
    d = header["data"]
    if d["dtype"] != "float32" or d["byte_order"] != "little_endian" or d["bytes"] != len(data):
        raise FormatError("%s: data section is %d bytes, header says %r" % (path, len(data), d))
    if hashlib.sha256(data).hexdigest() != d["sha256"]:
        raise FormatError("%s: data SHA-256 mismatch" % path)
    tensors, off = {}, 0
    for t in header["tensors"]:
        n = int(np.prod(t["shape"]))
        a = np.frombuffer(data, dtype="<f4", count=n, offset=off).reshape(t["shape"]).astype(np.float32)
        if not np.all(np.isfinite(a)):
            raise FormatError("%s: tensor %s holds NaN or infinite values" % (path, t["name"]))
        tensors[t["name"]] = a
        off += 4 * n
    if off != len(data):
        raise FormatError("%s: tensors hold %d bytes, data section %d" % (path, off, len(data)))
    try:
        return Model(header, tensors)
    except FormatError as e:
        raise FormatError("%s: %s" % (path, e))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 bpnn_model.py MODEL.bpnn INPUT.csv  (numbers only, no header)")
    try:
        model = load(sys.argv[1])
    except (OSError, ValueError) as e:
        sys.exit("bpnn_model: %s" % e)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an empty file's UserWarning: refused below in one line
            x = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
        if x.size == 0:
            raise ValueError("it holds no rows")
        outputs = model.predict(x)
    except (OSError, ValueError) as e:
        # numpy's message alone named neither the file nor what it should hold (after a header line, a wrong width)
        sys.exit("bpnn_model: %s: %s; expected rows of %d numbers separated by ',', no header line"
                 % (sys.argv[2], str(e).rstrip("."), model.input_size))
    for row in outputs:
        print(",".join(str(v) for v in row))  # each float32's shortest decimal, as Java's Float.toString
