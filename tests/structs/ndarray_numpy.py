#!/usr/bin/python3
"""ndarray_numpy.py -- memcurve's ndarray against NumPy, case by random case (issue 20).

    ndarray_numpy.py --driver PATH [--seed N] [--cases N] [--keep DIR]

Generates random cases (seeded; the seed is printed, MC_NUMPY_SEED or --seed replays one),
writes them to a binary file that ndarray_numpy_driver (tests/structs/ndarray_numpy_driver.c,
where the protocol is described) applies with memcurve, reads back what memcurve produced and
compares it with what NumPy computes for the same operands. Exit status 0 when every case
agrees, 1 otherwise (the first mismatches are printed with their case).

What a case covers: dtypes f64, f32, i64, i32, u8; shapes of 0 to 5 dims (zero-length dims
too); operands that are views of a contiguous base reached by integer indexing, slices with
steps (negative too, bounds written from the end or omitted) and transposes in any order;
broadcasting; binop, binop_into (a separate destination, or out aliasing x or y or both),
scalar and reversed-scalar forms (new and into, in place), reductions over everything and per
axis, copy / ascontiguous / reshape (and whether the result owns its buffer), fill; errors
(broadcast, shape and dtype mismatches, bad axes, empty reductions, unrepresentable scalars,
reshape to another size) with every operand left unchanged and *out untouched.

How results are compared:
  - elementwise results, copies, fills and every base buffer after the call (so a write
    outside a view shows): bit for bit, except that any NaN equals any NaN. Integer arithmetic
    follows mc_ndarray.h: wrapping modulo 2^bits, division truncating toward zero, x / 0 == 0,
    MIN / -1 == MIN (computed here from NumPy's floor_divide with explicit corrections).
  - integer reductions, and min / max of any dtype: exactly (min / max with ==, so -0.0 and 0.0
    are equal, and NaN when any element is NaN). Integer sums wrap modulo 2^64 and read as int64
    (u8: uint64), then convert to double, as the header says.
  - float sums and means (memcurve accumulates in double in its own order; NumPy sums pairwise
    and f32 in f32, so NumPy's own sum is not the reference): against math.fsum, the correctly
    rounded exact sum of the elements as doubles, within
        |got - S| <= 1.01 * (n - 1) * u * sum|x_i| + 2 * u * |S|,  u = 2^-53
    the classic bound for ANY order of n - 1 floating additions (Higham, Accuracy and Stability
    of Numerical Algorithms, 2nd ed., eq. 4.4: gamma_{n-1} * sum|x_i|; 1.01 covers the 1 / (1 -
    (n-1)u) of gamma for n <= 10^12) plus fsum's own final rounding. The mean: that bound / n
    plus 2u|S / n| (one division). Rows holding inf or NaN: NaN if a NaN or both infinities,
    else that infinity, exactly.
"""

import argparse
import math
import os
import random
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

MAGIC = 0x3159504E444E434D
NONE = -(2**63)  # MC_SLICE_NONE in the file
MC_OK, MC_EINVAL, MC_EEMPTY, MC_ERANGE = 0, -2, -3, -4

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8]  # mc_dtype order
F64, F32, I64, I32, U8 = range(5)
ADD, SUB, MUL, DIV = range(4)
RSUM, RMIN, RMAX, RMEAN = range(4)
(K_BINOP, K_BINOP_INTO, K_SCALAR, K_RSCALAR, K_SCALAR_INTO, K_RSCALAR_INTO, K_REDUCE,
 K_REDUCE_AXIS, K_COPY, K_ASCONTIGUOUS, K_RESHAPE, K_FILL) = range(1, 13)
KIND_NAMES = {K_BINOP: "binop", K_BINOP_INTO: "binop_into", K_SCALAR: "binop_scalar",
              K_RSCALAR: "binop_rscalar", K_SCALAR_INTO: "binop_scalar_into",
              K_RSCALAR_INTO: "binop_rscalar_into", K_REDUCE: "reduce",
              K_REDUCE_AXIS: "reduce_axis", K_COPY: "copy", K_ASCONTIGUOUS: "ascontiguous",
              K_RESHAPE: "reshape", K_FILL: "fill"}
U = 2.0 ** -53
MAX_BASE = 6000  # elements of one base array, at most


# ---- random operands -------------------------------------------------------------------------

class Rng:
    """NumPy's Generator interface, as used here: single draws come from Python's random (a
    NumPy call costs microseconds, choice with p hundreds), arrays from NumPy. Both are seeded
    from the one seed, so a seed replays a run exactly."""

    def __init__(self, seed):
        self.py = random.Random(seed)
        self.np = np.random.default_rng(seed)

    def random(self):
        return self.py.random()

    def integers(self, lo, hi=None, size=None, dtype=np.int64, endpoint=False):
        if hi is None:
            lo, hi = 0, lo
        if size is None:
            return self.py.randrange(int(lo), int(hi) + (1 if endpoint else 0))
        return self.np.integers(lo, hi, size, dtype=dtype, endpoint=endpoint)

    def choice(self, a, size=None, p=None):
        if size is not None:
            return self.np.choice(a, size, p=p)
        if p is None:
            return a[self.py.randrange(len(a))]
        return self.py.choices(list(a) if not isinstance(a, int) else range(a), weights=p)[0]

    def uniform(self, lo, hi, size=None):
        return self.py.uniform(lo, hi) if size is None else self.np.uniform(lo, hi, size)

    def standard_normal(self, size):
        return self.np.standard_normal(size)

    def permutation(self, n):
        perm = list(range(n))
        self.py.shuffle(perm)
        return perm

    def shuffle(self, x):
        self.py.shuffle(x)


def rand_dim(rng):
    return int(rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 7], p=[.03, .17, .1, .15, .1, .15, .1, .1,
                                                             .05, .05]))


def rand_shape(rng, ndim=None):
    """0 to 5 dims (ndim if given), at most 600 elements."""
    if ndim is None:
        ndim = int(rng.choice(6, p=[.06, .22, .26, .2, .14, .12]))
    while True:
        s = [rand_dim(rng) for _ in range(ndim)]
        if math.prod(s) <= 600:
            return s


def rand_values(rng, dt, n):
    """n values of dtype index dt in one of several regimes (small, full range, edges)."""
    mode = rng.integers(4)
    if dt == U8:
        return rng.integers(0, 256, n, dtype=np.uint8) if mode else \
            rng.choice(np.array([0, 1, 2, 127, 128, 255], np.uint8), n)
    if dt in (I64, I32):
        t = DTYPES[dt]
        info = np.iinfo(t)
        if mode == 0:
            return rng.integers(-100, 101, n).astype(t)
        if mode == 1:
            return rng.integers(info.min, info.max, n, dtype=t, endpoint=True)
        if mode == 2:
            edges = np.array([info.min, info.min + 1, -2, -1, 0, 1, 2, info.max], dtype=t)
            return rng.choice(edges, n)
        return rng.integers(-4, 5, n).astype(t)  # divisors: zeros and -1 often
    t = DTYPES[dt]
    if mode == 0:
        v = rng.integers(-100, 101, n).astype(np.float64)
    elif mode == 1:
        v = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-3, 7, n)
    elif mode == 2:
        v = rng.standard_normal(n) * 1e3
    else:
        v = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-30, 30, n)
    if n and rng.random() < 0.15:  # a few specials
        specials = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 5e-324, 1e-40])
        k = rng.integers(1, 3)
        v[rng.integers(0, n, k)] = rng.choice(specials, k)
    with np.errstate(all="ignore"):
        return v.astype(t)


def slice_for(rng, t, longer):
    """A slice selecting exactly t elements of an axis, and the axis length L it needs.

    The axis is `longer` elements longer than the span; bounds are spelled in the equivalent
    ways Python allows (from the end, omitted, past the end)."""
    step = int(rng.choice([1, 1, 2, 3, -1, -1, -2, -3]))
    span = (t - 1) * abs(step) + 1 if t else 0
    L = span + longer
    off = int(rng.integers(0, L - span + 1)) if t else int(rng.integers(0, L + 1))
    if step > 0:
        start = off
        stop = off + span
    else:
        start = L - 1 - off if t else min(off, L - 1) if L else 0
        stop = start - span
    def spell(v, is_start):
        r = rng.random()
        if v < 0:  # a negative step's stop before the first element: only None says that
            return NONE
        if is_start and r < 0.3 and ((step > 0 and v == 0) or (step < 0 and v == L - 1)):
            return NONE
        if not is_start and step > 0 and v == L and r < 0.3:
            return NONE if r < 0.15 else L + int(rng.integers(0, 5))
        if r < 0.3 and v < L:
            return v - L
        return v
    sl = (spell(start, True), spell(stop, False), step)
    got = len(range(L)[slice(None if sl[0] == NONE else sl[0], None if sl[1] == NONE else sl[1],
                             step)])
    assert got == t, (t, L, sl)
    return sl, L


def make_view(rng, shape, tries=10):
    """A base shape, its values later, and view steps (applied in order) whose result has shape.

    Built backwards from the wanted shape: each step's input shape is derived from its output.
    A base above MAX_BASE elements is drawn again; after `tries` the view is the base itself."""
    if tries == 0:
        return list(shape), []
    steps = []
    cur = list(shape)
    nsteps = int(rng.choice(4, p=[.25, .3, .3, .15]))
    for _ in range(nsteps):
        kind = rng.choice(["slice", "transpose", "index"], p=[.5, .3, .2])
        if kind == "slice":
            n = int(rng.integers(0, len(cur) + 1))
            sl, before = [], list(cur)
            for k in range(n):
                extra = int(rng.integers(0, 3 if math.prod(cur) < 300 else 1))
                sk, before[k] = slice_for(rng, cur[k], extra)
                sl.append(sk)
            steps.append(("slice", sl))
            cur = before
        elif kind == "transpose":
            perm = [int(p) for p in rng.permutation(len(cur))]
            before = [0] * len(cur)
            for k, p in enumerate(perm):
                before[p] = cur[k]
            steps.append(("transpose", perm))
            cur = before
        else:
            if len(cur) >= 7:
                continue
            axis = int(rng.integers(0, len(cur) + 1))
            L = int(rng.integers(1, 4))
            i = int(rng.integers(-L, L))
            steps.append(("index", (axis, i)))
            cur = cur[:axis] + [L] + cur[axis:]
        if math.prod(cur) > MAX_BASE:
            return make_view(rng, shape, tries - 1)
    steps.reverse()
    return cur, steps


def np_view(base, steps):
    v = base
    for kind, arg in steps:
        if kind == "slice":
            v = v[tuple(slice(None if a == NONE else a, None if b == NONE else b, c)
                        for a, b, c in arg) + (Ellipsis,)]
        elif kind == "transpose":
            v = v.transpose(arg)
        else:
            axis, i = arg
            v = v[(slice(None),) * axis + (i, Ellipsis)]  # ...: a 0-d view, not a scalar
    return v


class Operand:
    """how 0: a new base with steps; 1: alias of operand k; 2: a view of operand k's base."""

    def __init__(self, how, k=None, base=None, steps=()):
        self.how, self.k, self.base, self.steps = how, k, base, list(steps)


def new_operand(rng, dt, shape):
    bshape, steps = make_view(rng, shape)
    base = rand_values(rng, dt, math.prod(bshape)).reshape(bshape)
    return Operand(0, base=base, steps=steps)


# ---- expected results -------------------------------------------------------------------------

def int_div(x, y, dt):
    """memcurve's integer division: truncation, x / 0 == 0, MIN / -1 == MIN (wrapping)."""
    t = DTYPES[dt]
    with np.errstate(all="ignore"):
        if dt == U8:
            ys = np.where(y == 0, 1, y).astype(t)
            return np.where(y == 0, 0, x // ys).astype(t)
        ys = np.where((y == 0) | (y == -1), 1, y).astype(t)
        q = x // ys
        r = x - q * ys
        q = q + ((r != 0) & ((x < 0) != (ys < 0))).astype(t)
        q = np.where(y == -1, np.negative(x), q)  # wraps MIN to MIN
        return np.where(y == 0, 0, q).astype(t)


def binop(op, x, y, dt):
    x, y = np.broadcast_arrays(np.asarray(x), np.asarray(y))
    with np.errstate(all="ignore"):
        if op == ADD:
            r = x + y
        elif op == SUB:
            r = x - y
        elif op == MUL:
            r = x * y
        elif dt in (F64, F32):
            r = x / y
        else:
            r = int_div(x, y, dt)
    return np.asarray(r, dtype=DTYPES[dt])


def to_dtype(dt, v):
    """mc__to_dtype: the value stored for double v, or None (MC_ERANGE)."""
    if dt == F64:
        return np.float64(v)
    if dt == F32:
        return np.float32(v)
    if v != v:
        return None
    t = math.trunc(v) if math.isfinite(v) else None
    lo, hi = {I64: (-2**63, 2**63 - 1), I32: (-2**31, 2**31 - 1), U8: (0, 255)}[dt]
    if t is None or not lo <= t <= hi:
        return None
    return DTYPES[dt](t)


def rand_scalar(rng, dt):
    r = rng.random()
    if dt in (F64, F32):
        if r < 0.1:
            return float(rng.choice([0.0, -0.0, np.inf, -np.inf, np.nan]))
        return float(rng.uniform(-1, 1) * 10.0 ** rng.integers(-5, 8))
    if r < 0.06:  # not representable: MC_ERANGE
        return float(rng.choice([np.nan, np.inf, 1e20, -1e20, {I64: 9.3e18, I32: 3e9, U8: 256.0}[dt],
                                 {I64: -9.3e18, I32: -3e9, U8: -1.0}[dt]]))
    if r < 0.2:
        return float(rng.uniform(-1, 1) * 300)  # fractional: truncated
    return float(rng.integers(-5, 6) if dt != U8 else rng.integers(0, 256))


def float_sum_check(vals, got, mean):
    """Is got the sum (or mean) of vals (float64 array) within the stated bound?"""
    n = vals.size
    if not np.all(np.isfinite(vals)):
        nan = np.isnan(vals).any() or (np.isposinf(vals).any() and np.isneginf(vals).any())
        want = math.nan if nan else (math.inf if np.isposinf(vals).any() else -math.inf)
        return (math.isnan(got) and math.isnan(want)) or got == want
    s = math.fsum(vals.tolist())
    a = math.fsum(np.abs(vals).tolist())
    bound = 1.01 * max(n - 1, 0) * U * a + 2 * U * abs(s)
    if mean:
        s /= n
        bound = bound / n + 2 * U * abs(s)
    return abs(got - s) <= bound


def reduce_exact(op, v, dt):
    """Integer reductions and min/max of anything: the double memcurve reports."""
    if op in (RMIN, RMAX):
        if dt in (F64, F32) and np.isnan(v).any():
            return math.nan
        return float(v.min() if op == RMIN else v.max())
    s = int(np.sum(v, dtype=np.uint64 if dt == U8 else np.int64))
    return float(s) if op == RSUM else float(s) / v.size


def same_bits(a, b):
    """Arrays equal bit for bit, any NaN equal to any NaN."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        u = np.uint64 if a.dtype == np.float64 else np.uint32
        return bool(np.all((a.view(u) == b.view(u)) | (np.isnan(a) & np.isnan(b))))
    return bool(np.array_equal(a, b))


# ---- cases -----------------------------------------------------------------------------------

def broadcast_parts(rng, shape):
    """A shape that broadcasts to shape: a suffix of it with some dims set to 1."""
    k = int(rng.integers(0, len(shape) + 1)) if rng.random() < 0.4 else 0
    part = list(shape[k:])
    for i in range(len(part)):
        if rng.random() < 0.25:
            part[i] = 1
    return part


def spoil(rng, shape):
    """A shape that does not broadcast with shape (None if shape has no dim >= 2)."""
    ks = [i for i, d in enumerate(shape) if d >= 2]
    if not ks:
        return None
    s = list(shape)
    s[int(rng.choice(ks))] += 1
    return s


class Case:
    def __init__(self, kind, op=0, axis=0, scalar=0.0, rshape=None, operands=()):
        self.kind, self.op, self.axis, self.scalar = kind, op, axis, scalar
        self.rshape = rshape
        self.ops = list(operands)


def gen_case(rng):
    kind = int(rng.choice(list(range(1, 13)),
                          p=[.14, .18, .05, .05, .05, .05, .13, .13, .05, .05, .07, .05]))
    dt = int(rng.integers(5))
    op = int(rng.integers(4))
    if kind in (K_BINOP, K_BINOP_INTO):
        full = rand_shape(rng)
        xs, ys = broadcast_parts(rng, full), broadcast_parts(rng, full)
        ydt = dt
        if rng.random() < 0.05:
            bad = spoil(rng, ys)
            ys = bad if bad is not None else ys
        if rng.random() < 0.02:
            ydt = (dt + 1 + int(rng.integers(4))) % 5
        if kind == K_BINOP:
            x = new_operand(rng, dt, xs)
            r = rng.random()
            if r < 0.08 and ys == xs and ydt == dt:
                y = Operand(1, 0)  # x op x, one header
            elif r < 0.16 and ys == xs and ydt == dt:
                y = Operand(2, 0, steps=x.steps)  # the same elements through another header
            else:
                y = new_operand(rng, ydt, ys)
            return Case(kind, op, operands=[x, y])
        # into: out is separate, or x, or y, or both
        r = rng.random()
        odt = dt if rng.random() > 0.02 else (dt + 1) % 5
        oshape = full if rng.random() > 0.04 else (spoil(rng, full) or full + [2])
        if r < 0.3:
            # out aliases x: x must have the full shape
            o = new_operand(rng, dt, full)
            y = new_operand(rng, ydt, ys)
            return Case(kind, op, operands=[o, Operand(1, 0), y])
        if r < 0.5:
            o = new_operand(rng, dt, full)
            x = new_operand(rng, ydt, xs)
            return Case(kind, op, operands=[o, x, Operand(1, 0)])
        if r < 0.55:
            o = new_operand(rng, dt, full)
            return Case(kind, op, operands=[o, Operand(1, 0), Operand(1, 0)])
        o = new_operand(rng, odt, oshape)
        x = new_operand(rng, dt, xs)
        y = new_operand(rng, ydt, ys)
        return Case(kind, op, operands=[o, x, y])
    s = rand_scalar(rng, dt)
    if kind in (K_SCALAR, K_RSCALAR):
        return Case(kind, op, scalar=s, operands=[new_operand(rng, dt, rand_shape(rng))])
    if kind in (K_SCALAR_INTO, K_RSCALAR_INTO):
        shape = rand_shape(rng)
        o = new_operand(rng, dt, shape)
        if rng.random() < 0.5:
            return Case(kind, op, scalar=s, operands=[o, Operand(1, 0)])
        xs = broadcast_parts(rng, shape) if rng.random() < 0.3 else shape
        return Case(kind, op, scalar=s, operands=[o, new_operand(rng, dt, xs)])
    if kind in (K_REDUCE, K_REDUCE_AXIS):
        shape = rand_shape(rng)
        a = new_operand(rng, dt, shape)
        axis = int(rng.integers(-1, len(shape) + 1)) if rng.random() < 0.05 else \
            int(rng.integers(0, max(len(shape), 1)))
        return Case(kind, op, axis=axis, operands=[a])
    if kind == K_RESHAPE:
        shape = rand_shape(rng)
        a = new_operand(rng, dt, shape)
        n = math.prod(shape)
        rshape = factor_shape(rng, n)
        if rng.random() < 0.05 and n:
            rshape = rshape + [2]
        return Case(kind, rshape=rshape, operands=[a])
    shape = rand_shape(rng)
    return Case(kind, scalar=s, operands=[new_operand(rng, dt, shape)])


def factor_shape(rng, n):
    """A random shape of 0..5 dims holding exactly n elements."""
    if n == 0:
        s = rand_shape(rng, int(rng.integers(1, 5)))
        s[int(rng.integers(len(s)))] = 0
        return s
    dims = []
    m = n
    for p in range(2, n + 1):
        while m % p == 0:
            dims.append(p)
            m //= p
        if m == 1:
            break
    rng.shuffle(dims)
    groups = [1] * int(rng.integers(1, 6))
    for d in dims:
        groups[int(rng.integers(len(groups)))] *= d
    return groups


# ---- the file format (see ndarray_numpy_driver.c) ------------------------------------------

def words(*vs):
    return struct.pack("<%dq" % len(vs), *vs)


def encode_steps(steps):
    out = [words(len(steps))]
    for kind, arg in steps:
        if kind == "transpose":
            out.append(words(1, len(arg), *arg))
        elif kind == "slice":
            out.append(words(2, len(arg), *[w for t in arg for w in t]))
        else:
            out.append(words(3, *arg))
    return b"".join(out)


def pad(b):
    return b + b"\0" * (-len(b) % 8)


def encode(case):
    rs = case.rshape or []
    out = [words(case.kind, case.op, case.axis), struct.pack("<d", case.scalar),
           words(len(rs), *(list(rs) + [0] * (8 - len(rs)))), words(len(case.ops))]
    for o in case.ops:
        if o.how == 0:
            b = o.base  # C-contiguous (ascontiguousarray would make a 0-d base 1-d)
            out.append(words(0, DTYPES.index(b.dtype.type), b.ndim, *b.shape, b.nbytes))
            out.append(pad(b.tobytes()))
            out.append(encode_steps(o.steps))
        elif o.how == 1:
            out.append(words(1, o.k))
        else:
            out.append(words(2, o.k))
            out.append(encode_steps(o.steps))
    return b"".join(out)


class Reader:
    def __init__(self, data):
        self.d, self.p = data, 0

    def i64(self):
        v = struct.unpack_from("<q", self.d, self.p)[0]
        self.p += 8
        return v

    def f64(self):
        v = struct.unpack_from("<d", self.d, self.p)[0]
        self.p += 8
        return v

    def bytes(self, n):
        b = self.d[self.p:self.p + n]
        self.p += n + (-n % 8)
        return b


def read_result(r):
    res = {"rc": r.i64(), "array": None, "scalar": None, "bases": []}
    if r.i64():
        dt, nd = r.i64(), r.i64()
        shape = tuple(r.i64() for _ in range(nd))
        owns = r.i64()
        nbytes = r.i64()
        a = np.frombuffer(r.bytes(nbytes), dtype=DTYPES[dt]).reshape(shape)
        res["array"], res["owns"] = a, owns
    has = r.i64()
    v = r.f64()
    res["scalar"] = v if has else None
    for _ in range(r.i64()):
        res["bases"].append(r.bytes(r.i64()))
    return res


# ---- applying a case to NumPy and comparing ------------------------------------------------

def expect(case):
    """(rc, array or None, owns or None, scalar check or None, base arrays after the call)."""
    bases, views = [], []
    for o in case.ops:  # working copies: expected effects are applied to them
        if o.how == 0:
            b = o.base.copy()
            bases.append(b)
            views.append((np_view(b, o.steps), len(bases) - 1))
        elif o.how == 1:
            views.append(views[o.k])
        else:
            bi = views[o.k][1]
            views.append((np_view(bases[bi], o.steps), bi))
    v = [w for w, _ in views]
    dts = [DTYPES.index(w.dtype.type) for w in v]
    k = case.kind
    none = (None, None, None)
    if k in (K_BINOP, K_BINOP_INTO):
        x, y = (v[0], v[1]) if k == K_BINOP else (v[1], v[2])
        dx, dy = (dts[0], dts[1]) if k == K_BINOP else (dts[1], dts[2])
        try:
            shape = np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            return (MC_EINVAL,) + none + (bases,)
        if dx != dy:
            return (MC_EINVAL,) + none + (bases,)
        r = binop(case.op, x, y, dx)
        if k == K_BINOP:
            return (MC_OK, r, 1, None, bases)
        if dts[0] != dx or v[0].shape != shape:
            return (MC_EINVAL,) + none + (bases,)
        v[0][...] = r
        return (MC_OK,) + none + (bases,)
    if k in (K_SCALAR, K_RSCALAR, K_SCALAR_INTO, K_RSCALAR_INTO):
        x = v[0] if k in (K_SCALAR, K_RSCALAR) else v[1]
        dt = dts[0] if k in (K_SCALAR, K_RSCALAR) else dts[1]
        s = to_dtype(dt, case.scalar)
        if s is None:
            return (MC_ERANGE,) + none + (bases,)
        sa = np.array(s, dtype=DTYPES[dt])
        r = binop(case.op, x, sa, dt) if k in (K_SCALAR, K_SCALAR_INTO) else \
            binop(case.op, sa, x, dt)
        if k in (K_SCALAR, K_RSCALAR):
            return (MC_OK, r, 1, None, bases)
        if dts[0] != dt or v[0].shape != r.shape:
            return (MC_EINVAL,) + none + (bases,)
        v[0][...] = r
        return (MC_OK,) + none + (bases,)
    a, dt = v[0], dts[0]
    if k == K_REDUCE:
        if a.size == 0 and case.op != RSUM:
            return (MC_EEMPTY,) + none + (bases,)
        vals = a.reshape(-1)
        return (MC_OK, None, None, ("row", case.op, vals, dt), bases)
    if k == K_REDUCE_AXIS:
        if not 0 <= case.axis < a.ndim:
            return (MC_EINVAL,) + none + (bases,)
        n = a.shape[case.axis]
        if n == 0 and case.op != RSUM:
            return (MC_EEMPTY,) + none + (bases,)
        rows = np.moveaxis(a, case.axis, -1)
        return (MC_OK, None, None, ("rows", case.op, rows, dt), bases)
    if k == K_COPY:
        return (MC_OK, np.array(a, order="C"), 1, None, bases)
    if k == K_ASCONTIGUOUS:
        return (MC_OK, np.array(a, order="C"), 0 if a.flags.c_contiguous else 1, None,
                bases)
    if k == K_RESHAPE:
        if math.prod(case.rshape) != a.size:
            return (MC_EINVAL,) + none + (bases,)
        return (MC_OK, a.reshape(case.rshape).copy(), 0 if a.flags.c_contiguous else 1, None,
                bases)
    s = to_dtype(dt, case.scalar)  # fill
    if s is None:
        return (MC_ERANGE,) + none + (bases,)
    a[...] = s
    return (MC_OK,) + none + (bases,)


def check_reduce(spec, got):
    """None if got matches the reduction spec, else a message."""
    form, op, vals, dt = spec
    if form == "row":
        rows, gots = [vals], [got]
    else:
        if got is None:
            return "no array"
        if got.shape != vals.shape[:-1] or got.dtype != np.float64:
            return "shape/dtype %s %s, want %s f64" % (got.shape, got.dtype, vals.shape[:-1])
        rows = [vals[i] for i in np.ndindex(vals.shape[:-1])]
        gots = [float(g) for g in got.reshape(-1)]
    for row, g in zip(rows, gots):
        if dt in (F64, F32) and op in (RSUM, RMEAN):
            if row.size == 0:
                ok = g == 0.0
            else:
                ok = float_sum_check(row.astype(np.float64), g, op == RMEAN)
        else:
            w = 0.0 if row.size == 0 else reduce_exact(op, row, dt)
            ok = (g == w) or (math.isnan(g) and math.isnan(w))
        if not ok:
            return "row %s: got %r" % (row[:8], g)
    return None


def compare(case, res):
    """None when memcurve's result matches NumPy's, else a description."""
    rc, arr, owns, spec, bases = expect(case)
    if res["rc"] != rc:
        return "rc %d, want %d" % (res["rc"], rc)
    if len(res["bases"]) != len(bases):
        return "bases"
    for i, (got, want) in enumerate(zip(res["bases"], bases)):
        g = np.frombuffer(got, dtype=want.dtype).reshape(want.shape)
        if not same_bits(g, want):
            bad = np.argwhere(~((g == want) | (np.isnan(g) & np.isnan(want))
                               if want.dtype.kind == "f" else g == want))
            return "base %d differs at %s" % (i, bad[:5].tolist())
    if rc != MC_OK:
        return None
    if spec is not None:
        return check_reduce(spec, res["scalar"] if spec[0] == "row" else res["array"])
    if arr is not None:
        got = res["array"]
        if got is None:
            return "no array"
        if not same_bits(got, arr):
            return "array differs: got %s %s, want %s %s" % (got.shape, got.reshape(-1)[:6],
                                                              arr.shape, arr.reshape(-1)[:6])
        if res["owns"] != owns:
            return "owns %d, want %d" % (res["owns"], owns)
    return None


def describe(case):
    parts = ["kind=%s op=%d axis=%d scalar=%r rshape=%s" % (KIND_NAMES[case.kind], case.op,
                                                            case.axis, case.scalar, case.rshape)]
    for i, o in enumerate(case.ops):
        if o.how == 0:
            parts.append("  op%d: base %s %s, steps %s" % (i, o.base.dtype, o.base.shape, o.steps))
        elif o.how == 1:
            parts.append("  op%d: alias of op%d" % (i, o.k))
        else:
            parts.append("  op%d: view of op%d's base, steps %s" % (i, o.k, o.steps))
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--driver", required=True, help="ndarray_numpy_driver executable")
    ap.add_argument("--seed", type=int, default=None,
                    help="random seed (default: MC_NUMPY_SEED, else drawn and printed)")
    ap.add_argument("--cases", type=int, default=8000)
    ap.add_argument("--keep", help="directory to keep the cases and results files in")
    args = ap.parse_args()
    seed = args.seed
    if seed is None:
        seed = int(os.environ.get("MC_NUMPY_SEED") or
                   int.from_bytes(os.urandom(4), "little"))
    print("ndarray vs NumPy %s: seed %d (replay: MC_NUMPY_SEED=%d or --seed %d), %d cases"
          % (np.__version__, seed, seed, seed, args.cases), flush=True)
    t0 = time.monotonic()
    rng = Rng(seed)
    cases = [gen_case(rng) for _ in range(args.cases)]
    blob = words(MAGIC, len(cases)) + b"".join(encode(c) for c in cases)
    with tempfile.TemporaryDirectory() as tmp:
        d = args.keep or tmp
        cpath, rpath = os.path.join(d, "cases.bin"), os.path.join(d, "results.bin")
        with open(cpath, "wb") as f:
            f.write(blob)
        t1 = time.monotonic()
        p = subprocess.run([args.driver, cpath, rpath], capture_output=True, text=True)
        t2 = time.monotonic()
        with open(rpath, "rb") as f:
            r = Reader(f.read())
        if p.returncode != 0:
            print("driver exit status %d\n%s%s" % (p.returncode, p.stdout, p.stderr[-3000:]))
            done = 0
            try:  # results are flushed per case: the first one missing is the culprit
                while r.p < len(r.d):
                    read_result(r)
                    done += 1
            except (struct.error, ValueError):
                pass
            if done < len(cases):
                print("after %d complete results; case %d:\n%s"
                      % (done, done, describe(cases[done])))
            return 1
    bad = 0
    kinds, rcs = {}, {}
    for i, c in enumerate(cases):
        res = read_result(r)
        err = compare(c, res)
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
        rcs[res["rc"]] = rcs.get(res["rc"], 0) + 1
        if err:
            bad += 1
            if bad <= 5:
                print("MISMATCH case %d: %s\n%s" % (i, err, describe(c)))
    if r.p != len(r.d):
        print("results file: %d bytes left over" % (len(r.d) - r.p))
        bad += 1
    t3 = time.monotonic()
    print("per kind: " + ", ".join("%s %d" % (KIND_NAMES[k], kinds[k]) for k in sorted(kinds)))
    names = {MC_OK: "MC_OK", MC_EINVAL: "MC_EINVAL", MC_EEMPTY: "MC_EEMPTY", MC_ERANGE: "MC_ERANGE"}
    print("returned: " + ", ".join("%s %d" % (names.get(k, str(k)), rcs[k]) for k in sorted(rcs)))
    print("%d cases, %d mismatches; %.2f s (generate %.2f, memcurve %.2f, compare %.2f)"
          % (len(cases), bad, t3 - t0, t1 - t0, t2 - t1, t3 - t2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
