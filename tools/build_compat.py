#!/usr/bin/env python3
"""Builds data/compat.json, deepdock's compatibility knowledge base, from the research facts.

Usage: tools/build_compat.py [--check] [REFERENCE_JSON] [OUTPUT_JSON]
  defaults: ../shared/reference/compat.json (next to the repository) and data/compat.json
  --check: write nothing; exit 1 when OUTPUT_JSON differs from what the reference gives

The reference is a research notebook: free text, mixed units, one source string per row. This
script turns it into typed, machine-friendly entries (versions as "12.2", compute capabilities
as "8.6", driver versions as "525.60.13"), keeps each entry's source as keys into a `sources`
table, and keeps every unverified flag. Where deepdock needs a value the reference lacks, the
value is written here, marked `unverified`, and cited to the key "deepdock" or to the key that
names where it came from. Python 3 standard library only; the output is deterministic.
"""

import json
import re
import sys
from pathlib import Path

SCHEMA_VERSION = 1
SNAPSHOT = "2026-09"  # the reference's corpora reach about Aug/Sep 2026

# Citations that the reference uses without a key in its `sources` table.
EXTRA_SOURCES = {
    "tf_docs_gpu_md_2018_2020": "tensorflow/docs gpu.md 2018-2020",
    "tf_pip_md_history": "tensorflow/docs site/en/install/pip.md history "
    "(commits 513d92d69, 7e6d619bd, fbcc36c75)",
    "tf_gpu_md_history": "tensorflow/docs site/en/install/gpu.md history "
    "(commits e1727fdc6, 3b6317d03, 8192df177)",
    "cuda_133_note": "single third-party note citing 'CUDA Toolkit 13.3 Release Notes' (public copies)",
    "gcp_docs_nav": "GCP docs nav (public copies)",
    "pt_issue_53164": "pytorch/pytorch#53164",
    "pt_issue_24205": "pytorch/pytorch#24205",
    "pt_issue_190385": "pytorch/pytorch#190385",
    "tf_docs_commit_9b5b8b055": "tensorflow/docs commit 9b5b8b055 (2023-03-02)",
    "none_found": "no source found in stored corpora",
    "nv_dc_drivers_2021": "docs.nvidia.com/datacenter/tesla/pdf/NVIDIA_CUDA_Drivers_Support.pdf (2021)",
    "nv_470_announcement": "NVIDIA announcement quoted by hyper.ai (2021)",
    # Values deepdock adds; each entry using them is marked unverified unless checked locally.
    "deepdock": "deepdock default or inference (tools/build_compat.py), not a fact from the "
    "reference",
    "nv_cuda8_rn": "NVIDIA CUDA Toolkit Release Notes, Table 3, CUDA 8.0 GA2 row (8.0.61, >= 375.26); "
    "not in the stored reference",
    "debian_archive": "Debian archive (deb.debian.org): packages python3 and python3-torch per suite",
    "jax_install": "JAX installation docs: pip extras jax[cuda12] / jax[cuda13] bring their own CUDA "
    "libraries (not in the stored reference)",
}


class SourceIndex:
    """Maps the reference's free-text citations onto source keys."""

    def __init__(self, sources):
        self.sources = dict(sources)
        self.sources.update(EXTRA_SOURCES)
        # Longest first, so that a citation that contains another is matched whole.
        self.by_length = sorted(self.sources.items(), key=lambda kv: -len(kv[1]))

    def keys(self, citation):
        """The keys a citation string is made of, in order of appearance."""
        if not citation:
            return ["none_found"]
        rest = citation
        found = []
        for key, text in self.by_length:
            at = rest.find(text)
            if at >= 0:
                found.append((citation.find(text), key))
                rest = rest.replace(text, "\x00")
        # What is left are labels and notes ("memory:", "CC 3.7 for K80 also stated in"); a
        # citation left over (a path, an issue, a URL) is an error to fix above.
        leftover = rest.replace("\x00", "")
        while re.search(r"\([^()]*\)", leftover):
            leftover = re.sub(r"\([^()]*\)", "", leftover)
        leftover = [w for w in leftover.split() if re.search(r"[/#@]|http|\.md\b", w)]
        if leftover:
            raise SystemExit(f"build_compat: citation has no source key: {citation!r} "
                             f"(left over: {leftover!r})")
        return [key for _, key in sorted(found)]


def mm(text):
    """'8' -> '8.0', '12.2' -> '12.2', '12.6.3' -> '12.6'."""
    parts = str(text).strip().split(".")
    if len(parts) == 1:
        parts.append("0")
    return f"{int(parts[0])}.{int(parts[1])}"


def vkey(text):
    return tuple(int(p) for p in str(text).split("."))


def provenance(entry, keys, unverified=None, extra=None):
    out = dict(entry)
    out["source"] = keys
    flag = unverified
    if flag is None:
        flag = False
    if flag:
        out["unverified"] = True
    if extra:
        out["unverified_detail"] = extra
    return out


# ---------------------------------------------------------------------------------- TensorFlow

def tf_pip_gpu(version):
    v = vkey(version)
    if v < (2, 1):
        return "tensorflow-gpu"
    if v < (2, 14):
        return "tensorflow"
    return "tensorflow[and-cuda]"


def tensorflow_builds(ref, src):
    out = []
    for b in ref["tensorflow_builds"]:
        version = b["tf"]
        entry = {
            "version": version,
            "python_min": b["python_min"],
            "python_max": b["python_max"],
            "python27": bool(b.get("also_python27", False)),
            "cuda": mm(b["cuda"]),
            "cudnn": mm(b["cudnn"]),
            "pip_gpu": tf_pip_gpu(version),
            "pip_cpu": "tensorflow" if vkey(version) < (2, 1) else "tensorflow-cpu",
        }
        keys = src.keys(b["source"])
        v = vkey(version)
        if v < (2, 1):
            keys += ["tf_gpu_md_2020"]
        elif v < (2, 14):
            keys += ["tf_relnotes_115_21", "pypi_tf_gpu_notice"]
        else:
            keys += ["tf_andcuda_commit"]
        keys += ["tf_pip_md"]  # tensorflow-cpu
        detail = None
        if version == "1.15.0":
            # The 1.15 release notes and the install docs disagree; tensorflow-gpu works either way.
            entry["pip_gpu_also"] = "tensorflow"
            entry["unverified_fields"] = ["pip_gpu_also"]
            keys += ["tf_relnotes_115_21"]
        if b.get("unverified"):
            detail = "pip_gpu: GPU package for 2.0 inferred from the 2.1 release notes"
        out.append(provenance(entry, list(dict.fromkeys(keys)), b.get("unverified", False), detail))
    return sorted(out, key=lambda e: vkey(e["version"]))


def cc_list(items):
    out = []
    for item in items:
        m = re.fullmatch(r"(?:sm_|compute_)(\d+)(\d)", item.strip())
        if not m:
            raise SystemExit(f"build_compat: not an architecture: {item!r}")
        out.append(f"{int(m.group(1))}.{m.group(2)}")
    return out


TF_KERNEL_RANGES = {
    "1.x (pip)": ("1.0", "1.15"),
    "2.0-2.2": ("2.0", "2.2"),
    "2.3": ("2.3", "2.3"),
    "2.4-2.14": ("2.4", "2.14"),
    "2.15-2.17": ("2.15", "2.17"),
    ">=2.18 (through 2.21)": ("2.18", None),
}


def tensorflow_kernels(ref, src):
    out = []
    for k in ref["tf_compute_capabilities"]:
        if k["tf_range"] not in TF_KERNEL_RANGES:
            continue  # the SASS/PTX rule and the stale-docs caveat are rules, not ranges
        lo, hi = TF_KERNEL_RANGES[k["tf_range"]]
        caps = k.get("capabilities")
        ptx = k.get("ptx")
        entry = {
            "from": lo,
            "through": hi,
            "sass": cc_list(caps) if isinstance(caps, list) else None,
            "ptx": cc_list(ptx) if isinstance(ptx, list) else None,
            "min_cc": k["min_cc"],
        }
        out.append(provenance(entry, src.keys(k["source"]), k.get("unverified", False)))
    return out


def tensorflow_tag_eras(ref, src):
    conventions = {c["tf_range"]: c for c in ref["tensorflow_image_tags"]["tag_conventions"]}
    docker = src.keys(conventions[">=2.2.0 (after 2.1.0)"]["source"])
    py2 = {"py2_gpu": "{v}-gpu", "py2_cpu": "{v}"}
    none_latest = {"latest_gpu": None, "latest_gpu_jupyter": None, "latest_cpu": None,
                   "latest_cpu_jupyter": None}
    return [
        # Before 1.12 the documented tags had -py3 variants but no -jupyter ones.
        provenance({"from": "1.0", "through": "1.11", "gpu": "{v}-gpu-py3", "gpu_jupyter": None,
                    "cpu": "{v}-py3", "cpu_jupyter": None, **py2, **none_latest}, docker),
        provenance({"from": "1.12", "through": "2.1", "gpu": "{v}-gpu-py3",
                    "gpu_jupyter": "{v}-gpu-py3-jupyter", "cpu": "{v}-py3",
                    "cpu_jupyter": "{v}-py3-jupyter", **py2, **none_latest}, docker),
        provenance({"from": "2.2", "through": None, "gpu": "{v}-gpu",
                    "gpu_jupyter": "{v}-gpu-jupyter", "cpu": "{v}", "cpu_jupyter": "{v}-jupyter",
                    "py2_gpu": None, "py2_cpu": None, "latest_gpu": "latest-gpu",
                    "latest_gpu_jupyter": "latest-gpu-jupyter", "latest_cpu": "latest",
                    "latest_cpu_jupyter": "latest-jupyter"}, docker),
    ]


def tensorflow_image_python(ref, src):
    bases = ref["tensorflow_image_tags"]["image_bases"]
    hub = src.keys(bases[0]["source"])
    docker = src.keys(ref["tensorflow_image_tags"]["tag_conventions"][1]["source"])
    return [
        provenance({"from": "1.0", "through": "1.13", "ubuntu": "16.04", "python": "3.5"},
                   docker + hub),
        provenance({"from": "1.14", "through": "2.1", "ubuntu": "18.04", "python": "3.6"},
                   docker + hub),
        # The Ubuntu bases are facts; the Python each base brings is deepdock's inference.
        provenance({"from": "2.2", "through": "2.6", "ubuntu": "18.04", "python": "3.6"},
                   hub + ["deepdock"], True, "python: the Ubuntu 18.04 python3, inferred"),
        provenance({"from": "2.7", "through": "2.13", "ubuntu": "20.04", "python": "3.8"},
                   hub + ["deepdock"], True,
                   "ubuntu: first TF on 20.04 inferred from dates; python: the Ubuntu 20.04 "
                   "python3, inferred"),
        provenance({"from": "2.14", "through": None, "ubuntu": None, "python": None},
                   ["none_found"], True, "the base of these images is not in the sources"),
    ]


# ------------------------------------------------------------------------------------- PyTorch

# Architecture lists the reference lacks for a release, taken from the neighbouring releases
# and the builder history (section 3 of compat.md); all marked unverified.
TORCH_ARCH_FILL = {
    "1.0": {"all": "3.5;5.0+PTX;6.0;6.1;7.0", "10.0": "3.5;5.0+PTX;6.0;6.1;7.0;7.5"},
    "1.1": {"all": "3.5;5.0+PTX;6.0;6.1;7.0", "10.0": "3.5;5.0+PTX;6.0;6.1;7.0;7.5"},
    "1.3": {"all": "3.5;5.0+PTX;6.0;6.1;7.0;7.5"},
    "1.5": {"all": "3.7;5.0;6.0;6.1;7.0;7.5"},
    "1.8": {"10.1": "3.7;5.0;6.0;7.0"},
    "2.6": {"11.8": "3.7;5.0;6.0;7.0;7.5;8.0;8.6;9.0", "12.4": "5.0;6.0;7.0;7.5;8.0;8.6;9.0",
            "12.6": "5.0;6.0;7.0;7.5;8.0;8.6;9.0"},
    "2.7": {"11.8": "3.7;5.0;6.0;7.0;7.5;8.0;8.6;9.0"},
    "2.14": {"12.6": "5.0;6.0;7.0;7.5;8.0;8.6;9.0", "13.0": "7.5;8.0;8.6;9.0;10.0;12.0+PTX",
             "13.2": "7.5;8.0;8.6;9.0;10.0;12.0+PTX"},
}
# 3.15 is in RELEASE.md for 2.13/2.14 but only in nightly builds at the snapshot (pt_testinfra).
TORCH_PYTHON_DEFAULT = {"2.13": "3.14", "2.14": "3.14"}


def parse_arch(text):
    """'3.7;5.0+PTX;6.0 (note)' -> (sass, ptx, unverified)."""
    unverified = "unverified" in text
    body = re.sub(r"\(.*?\)", "", text).strip()
    body = body.split(" per ")[0].strip()
    sass, ptx = [], []
    for item in filter(None, (i.strip() for i in body.split(";"))):
        m = re.fullmatch(r"(\d+\.\d)(\+PTX)?", item)
        if not m:
            raise SystemExit(f"build_compat: not an arch list item: {item!r} in {text!r}")
        sass.append(m.group(1))
        if m.group(2):
            ptx.append(m.group(1))
    return sass, ptx, unverified


def arch_for(arch, cuda):
    major = cuda.split(".")[0]
    for key, value in arch.items():
        for part in key.split("/"):
            if part == cuda or part.startswith(cuda + ".") or part == f"{major}.x":
                return value
    return arch.get("all")


def cudnn_for(cudnn, cuda):
    if not isinstance(cudnn, dict):
        return None
    value = cudnn.get(cuda) or cudnn.get("all")
    return mm(value) if value else None


def torch_builds(ref, src):
    out = []
    for b in ref["torch_builds"]:
        version = b["torch"]
        arch = dict(b.get("arch") or {})
        fill = TORCH_ARCH_FILL.get(version, {})
        variants = []
        for raw in b["cuda_variants"]:
            cuda = mm(raw.split(" ")[0])
            note = raw[len(raw.split(" ")[0]):].strip(" ()")
            text = arch_for(arch, cuda)
            filled = False
            if text is None or cuda in fill:
                text = fill.get(cuda) or fill.get("all")
                filled = True
            if text is None:
                raise SystemExit(f"build_compat: torch {version} cu{cuda}: no architecture list")
            sass, ptx, arch_unverified = parse_arch(text)
            variant = {"cuda": cuda, "cudnn": cudnn_for(b.get("cudnn"), cuda), "sass": sass,
                       "ptx": ptx}
            if filled or arch_unverified or "arch" in b.get("unverified_fields", []):
                variant["arch_unverified"] = True
            if "unverified" in note:
                variant["unverified"] = True
            out_note = note.replace("unverified", "").strip(" ;")
            if out_note:
                variant["note"] = out_note
            variants.append(variant)
        entry = {
            "version": version,
            "status": "rc" if b.get("status") else "release",
            "python_min": b["python_min"],
            "python_max": b["python_max"],
            "python_default": TORCH_PYTHON_DEFAULT.get(version, b["python_max"]),
            "python27": bool(b.get("also_python27", False)),
            "pypi_default_cuda": mm(b["pypi_default_cuda"]) if b.get("pypi_default_cuda") else None,
            "variants": variants,
        }
        if b.get("pypi_default_unverified"):
            entry["pypi_default_unverified"] = True
        keys = src.keys(b.get("source", ""))
        if version in TORCH_ARCH_FILL:
            keys += ["pt_builder", "deepdock"]
        if version in TORCH_PYTHON_DEFAULT:
            keys += ["pt_testinfra"]
        out.append(provenance(entry, list(dict.fromkeys(keys)), b.get("unverified", False)))
    return sorted(out, key=lambda e: vkey(e["version"]))


# ---------------------------------------------------------------------------------------- CUDA

def cuda_releases(ref, src):
    updates = {}
    for r in ref["cuda_min_driver"]:
        minor = mm(r["cuda"])
        updates.setdefault(minor, []).append(
            provenance({"version": r["cuda"], "min_driver": r["min_driver_linux"]},
                       src.keys(r.get("source", "")) if r.get("source") else [],
                       r.get("unverified", False)))
    compat_keys = ["cuda_rn_table", "cuda_compat_doc"]
    out = [provenance({"version": "8.0", "first_release": "8.0.61", "min_driver": "375.26",
                       "minor_compat_min_driver": None, "updates": []},
                      ["nv_cuda8_rn"], True, "the CUDA 8.0 row is not in the stored reference")]
    for r in ref["cuda_min_driver_by_minor"]:
        minor = r["cuda"]
        ups = sorted(updates.get(minor, []), key=lambda u: vkey(u["version"]))
        for u in ups:
            if not u["source"]:
                u["source"] = compat_keys
        keys = ["cuda_133_note"] if r.get("unverified") else compat_keys
        out.append(provenance({"version": minor, "first_release": r["first_release"],
                               "min_driver": r["min_driver_linux"],
                               "minor_compat_min_driver": r["minor_compat_min_driver"],
                               "updates": ups}, keys, r.get("unverified", False)))
    return sorted(out, key=lambda e: vkey(e["version"]))


def cuda_architectures(ref, src):
    out = []
    for a in ref["cuda_arch_support"]:
        span = a["cuda"]
        if span.endswith(".x"):
            lo, hi = span[:-2] + ".0", None
        elif "-" in span:
            lo, hi = span.split("-")
        else:
            lo, hi = span, span
        entry = {"from": lo, "through": hi, "min_cc": a["min_cc"],
                 "max_cc": a["max_cc"].split(" ")[0]}
        out.append(provenance(entry, src.keys(a["source"])))
    return out


# ---------------------------------------------------------------------------------------- GPUs

def gpus(ref, src):
    out = []
    for g in ref["gpus"]:
        entry = {
            "name": g["name"],
            "aliases": g["aliases"],
            "compute_capability": g["compute_capability"],
            "memory_gb": g["memory_gb"],
            "architecture": g["architecture"],
            "last_driver_branch": g["last_driver_branch"],
            "min_cuda": g["min_cuda"],
        }
        fields = [f.split(" ")[0] for f in g.get("unverified_fields", [])]
        if fields:
            entry["unverified_fields"] = fields
        out.append(provenance(entry, src.keys(g["source"]), g.get("unverified", False)))
    return out


def architectures(ref, src):
    kepler = src.keys(ref["driver_branch_facts"][0]["source"])
    r580 = src.keys(ref["driver_branch_facts"][1]["source"])
    gpus_src = ["nv_cuda_gpus"]
    rows = [
        ("Kepler", "3.0", "3.7", "R470", kepler),
        ("Maxwell", "5.0", "5.3", "R580", r580),
        ("Pascal", "6.0", "6.2", "R580", r580),
        ("Volta", "7.0", "7.2", "R580", r580),
        ("Turing", "7.5", "7.5", None, gpus_src),
        ("Ampere", "8.0", "8.7", None, gpus_src),
        ("Ada Lovelace", "8.9", "8.9", None, gpus_src),
        ("Hopper", "9.0", "9.0", None, gpus_src),
        ("Blackwell", "10.0", "12.1", None, gpus_src),
    ]
    return [provenance({"name": n, "cc_min": lo, "cc_max": hi, "last_driver_branch": last},
                       list(dict.fromkeys(keys + gpus_src))) for n, lo, hi, last, keys in rows]


def driver_branches(ref, src, cuda):
    facts = ref["driver_branch_facts"]
    kepler, r580, _, dc = (src.keys(f["source"]) for f in facts)

    def max_cuda(number):
        best = None
        for c in cuda:
            if c.get("unverified"):
                continue
            if int(c["min_driver"].split(".")[0]) <= number:
                best = c["version"]
        return best

    rows = [
        ("R418", "LTSB", "2022-03", [], dc, False),
        ("R450", "LTSB", "2023-07", [], dc, False),
        ("R460", "PB", "2022-01", [], dc, False),
        ("R470", "legacy", None, ["Kepler"], kepler, False),
        ("R535", "LTSB", "2026-06", [], dc, False),
        ("R570", "PB", "2026-02", [], dc, False),
        ("R580", "LTSB", "2028-06", ["Maxwell", "Pascal", "Volta"], r580 + dc, True),
        ("R595", "PB", "2027-03", [], dc, False),
        ("R620", "LTSB", "2029-09", [], dc, False),
    ]
    out = []
    for name, kind, eol, last_for, keys, eol_unverified in rows:
        number = int(name[1:])
        entry = {"name": name, "number": number, "kind": kind, "eol": eol,
                 "max_cuda": max_cuda(number), "last_for": last_for}
        detail = "eol: June 2028 in one revision of the NVIDIA page, August 2028 in another" \
            if eol_unverified else None
        out.append(provenance(entry, list(dict.fromkeys(keys + ["cuda_rn_table"])),
                              eol_unverified, detail))
    return out


# ---------------------------------------------------------------------------------- Google Cloud

def gcp(ref, src, gpu_entries):
    by_alias = {}
    for g in gpu_entries:
        for alias in g["aliases"]:
            by_alias[alias.lower()] = g["name"]
    accelerators = []
    for a in ref["gcp_accelerators"]:
        gpu = by_alias.get(a["type"])
        if gpu is None:
            raise SystemExit(f"build_compat: accelerator {a['type']} names no GPU in gpus[]")
        entry = {
            "type": a["type"],
            "gpu": gpu,
            "label": a["gpu"],
            "machine_families": a["machine_families"],
            "quota_metric": a["quota_metric"],
            "preemptible_quota_metric": a["preemptible_quota_metric"],
            "vws_quota_metric": a.get("vws_quota_metric"),
            "max_gpus_per_vm": a.get("max_gpus_per_vm"),
            "example_zones": a.get("example_zones", []),
            "retired": a["retired"],
        }
        # The retirement notes, as structured fields.
        if a["type"] == "nvidia-tesla-k80":
            entry["retired_on"] = "2024-05-01"
            entry["notice"] = "cloud.google.com/compute/docs/eol/k80-eol"
        if a["type"] == "nvidia-tesla-p100":
            entry["end_of_support_announced"] = True
        fields = [name for flag, name in (("example_zones_unverified", "example_zones"),
                                          ("quota_unverified", "quota_metric")) if a.get(flag)]
        if a.get("retired_unverified"):
            fields.append("end_of_support_announced")
        if fields:
            entry["unverified_fields"] = fields
        accelerators.append(provenance(entry, src.keys(a["source"])))
    notes = ref["gcp_notes"]
    return {
        "accelerators": accelerators,
        "global_quota_metric": provenance({"metric": "GPUS_ALL_REGIONS"},
                                          src.keys(notes[0]["source"]), True),
    }


# ------------------------------------------------------------------------- JAX, Debian, defaults

def jax():
    # The reference has no JAX facts: the pip extras are from JAX's install docs, the driver
    # floors are the CUDA families' minor-version minimums and the cc floors the toolkits'.
    return {
        "variants": [
            provenance({"extra": "cuda12", "cuda": "12.0", "min_driver": "525.60.13",
                        "min_cc": "5.0"}, ["jax_install", "cuda_compat_doc", "cuda_arch_support"],
                       True),
            provenance({"extra": "cuda13", "cuda": "13.0", "min_driver": "580",
                        "min_cc": "7.5"}, ["jax_install", "cuda_compat_doc", "cuda_arch_support"],
                       True),
        ],
        "python_min": "3.10",
        "python_default": "3.12",
    }


def debian():
    return {
        "suites": [
            provenance({"name": "bookworm", "version": "12", "python": "3.11",
                        "torch": "1.13.1"}, ["debian_archive"]),
            provenance({"name": "trixie", "version": "13", "python": "3.13", "torch": "2.6.0"},
                       ["debian_archive"], True, "not checked against the archive here"),
        ],
        "packages": {"pytorch": "python3-torch"},
        "missing": ["tensorflow", "jax"],
    }


def main(argv):
    check = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    here = Path(__file__).resolve().parent.parent
    reference = Path(argv[1]) if len(argv) > 1 else here.parent / "shared/reference/compat.json"
    output = Path(argv[2]) if len(argv) > 2 else here / "data/compat.json"
    ref = json.loads(reference.read_text(encoding="utf-8"))
    src = SourceIndex(ref["meta"]["sources"])

    cuda = cuda_releases(ref, src)
    gpu_entries = gpus(ref, src)
    kb = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": "tools/build_compat.py from shared/reference/compat.json",
        "snapshot": SNAPSHOT,
        "tensorflow": {
            "image": "tensorflow/tensorflow",
            "builds": tensorflow_builds(ref, src),
            "kernels": tensorflow_kernels(ref, src),
            "tag_eras": tensorflow_tag_eras(ref, src),
            "image_python": tensorflow_image_python(ref, src),
        },
        "pytorch": {
            "index_url": "https://download.pytorch.org/whl/cu{cuda_nodot}",
            "index_url_source": src.keys(ref["torch_rules"][0]["source"]),
            "builds": torch_builds(ref, src),
        },
        "jax": jax(),
        "cuda": {"releases": cuda, "architectures": cuda_architectures(ref, src)},
        "gpus": gpu_entries,
        "architectures": architectures(ref, src),
        "driver_branches": driver_branches(ref, src, cuda),
        "gcp": gcp(ref, src, gpu_entries),
        "debian": debian(),
        "defaults": {"python": "3.12", "source": ["deepdock"]},
    }
    used = set()

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("source", "index_url_source") and isinstance(value, list):
                    used.update(value)
                else:
                    collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(kb)
    kb["sources"] = {k: v for k, v in src.sources.items() if k in used}
    text = json.dumps(kb, indent=1, ensure_ascii=True) + "\n"
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"build_compat: {output} is out of date; run tools/build_compat.py")
            sys.exit(1)
        print(f"build_compat: {output} is up to date")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"build_compat: wrote {output} ({len(text)} bytes)")


if __name__ == "__main__":
    main(sys.argv)
