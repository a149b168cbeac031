"""Write R's own numbers from R HonestDiD's README knitr cache to the CSV files beside
this script (run once, by hand; needs the Python package ``rdata`` and a checkout of
github.com/asheshrambachan/HonestDiD).

    python extract_knitr_cache.py /path/to/HonestDiD/README_cache/gfm

The cache holds the R objects of the README's cached chunks as R saved them (a lazy-load
database: ``.rdx`` index, ``.rdb`` zlib-compressed serialised objects). Objects that
refer to environments are stored as "persistent" references (type 247), which ``rdata``
1.1 does not know; the parser is told to read them like namespace references.
"""

import csv
import glob
import gzip
import os
import sys
import warnings
import zlib

import numpy as np
import rdata
from rdata.parser import _parser as P

warnings.filterwarnings("ignore")
if not hasattr(P.RObjectType, "PERSIST"):
    raise SystemExit("patch rdata: add PERSIST = 247 to RObjectType, parsed like NAMESPACE")

CACHE = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))


def database(chunk):
    base = glob.glob(os.path.join(CACHE, f"unnamed-chunk-{chunk}_*.rdx"))[0][:-4]
    index = rdata.conversion.convert(
        rdata.parser.parse_data(gzip.decompress(open(base + ".rdx", "rb").read()))
    )
    blob = open(base + ".rdb", "rb").read()

    def read(name):
        offset, length = map(int, index["variables"][name])
        return rdata.parser.parse_data(zlib.decompress(blob[offset + 4 : offset + length])).object

    return read


def attribute(obj, key):
    node = obj.attributes
    while node is not None and node.info.type == P.RObjectType.LIST:
        tag = node.tag
        while tag is not None and tag.info.type == P.RObjectType.REF:
            tag = tag.referenced_object
        if tag.value.value.decode() == key:
            return node.value[0]
        node = node.value[1]
    return None


def names(obj):
    return [x.value.decode() for x in attribute(obj, "names").value]


def field(obj, key):
    return obj.value[names(obj).index(key)]


def array(obj):
    values = np.asarray(obj.value)
    dim = attribute(obj, "dim")
    return values.reshape(tuple(np.asarray(dim.value)), order="F") if dim is not None else values


def strings(obj):
    return [x.value.decode() for x in obj.value]


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for row in rows:
            out.writerow(
                [repr(float(x)) if isinstance(x, (float, np.floating)) else x for x in row]
            )


# sensitivity tables: chunk 4 (relative magnitudes, first post period), 5 (the same
# call with M̄ from 0, cached in September 2022 by the package vignette), 6 (smoothness),
# 7 (relative magnitudes, average of the two post periods), 10 (Sun-Abraham, relative
# magnitudes), 12 and 9 (Callaway-Sant'Anna via honest_did, 2024 and 2023 runs)
rows = []
for chunk, obj, inner in [
    (4, "delta_rm_results", None),
    (5, "delta_rm_results", None),
    (6, "delta_sd_results", None),
    (7, "delta_rm_results_avg", None),
    (10, "sensitivity_results", None),
    (12, "sensitivity_results", "robust_ci"),
    (9, "sensitivity_results", "robust_ci"),
]:
    table = database(chunk)(obj)
    if inner:
        table = field(table, inner)
    grid = "Mbar" if "Mbar" in names(table) else "M"
    for lb, ub, method, delta, m in zip(
        array(field(table, "lb")),
        array(field(table, "ub")),
        strings(field(table, "method")),
        strings(field(table, "Delta")),
        array(field(table, grid)),
        strict=True,
    ):
        rows.append([chunk, obj, grid, m, lb, ub, method, delta])
write(
    "r_sensitivity_tables.csv",
    ["chunk", "object", "grid", "m", "lb", "ub", "method", "Delta"],
    rows,
)

# chunk 8: fixest betahat and sigma (event-study coefficients only) with the fake control
read = database(8)
betahat, sigma = array(read("betahat")), array(read("sigma"))
write(
    "r_twfe_with_control.csv",
    ["betahat", *[f"sigma_{j + 1}" for j in range(7)]],
    [[b, *s] for b, s in zip(betahat, sigma, strict=True)],
)

# chunk 10: Sun-Abraham event study (sunab_beta_vcv)
vcv = database(10)("beta_vcv")
beta, sig = array(field(vcv, "beta")).ravel(), array(field(vcv, "sigma"))
cohorts = array(field(vcv, "cohorts"))
write(
    "r_sunab_beta_sigma.csv",
    ["event_time", "beta", *[f"sigma_{j + 1}" for j in range(len(beta))]],
    [[e, b, *s] for e, b, s in zip(cohorts, beta, sig, strict=True)],
)

# chunk 12: R did's universal-base event study on ehec (aggte dynamic, -5..5)
es = database(12)("es")
egt, att, se = (array(field(es, k)) for k in ("egt", "att.egt", "se.egt"))
write("r_did_universal_ehec.csv", ["event_time", "att", "se"], zip(egt, att, se, strict=True))
influence = array(field(field(es, "inf.function"), "dynamic.inf.func.e"))
write("r_did_universal_ehec_influence.csv", [f"e{int(e)}" for e in egt], influence)
params = field(es, "DIDparams")
print("overall.att", array(field(es, "overall.att")), "overall.se", array(field(es, "overall.se")))
print(
    "base_period",
    strings(field(params, "base_period")),
    "control",
    strings(field(params, "control_group")),
)
print(
    "orig_ci",
    array(field(field(database(12)("sensitivity_results"), "orig_ci"), "lb")),
    array(field(field(database(12)("sensitivity_results"), "orig_ci"), "ub")),
)
