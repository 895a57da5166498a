"""Rendering speed against the peers: thidua, docxtpl, docxtemplater, Carbone and the zip floor.

Run ``python benchmarks/render_peers.py`` (sizes 10, 100, 1.000 rows; about 20 s) or with
``--big`` (adds 10.000 rows, about 1 min more). Every engine renders the same document, the
commendation list with the minutes' score table (:mod:`peer_templates`), from the same data, to a
complete .docx in memory:

* thidua: ``CompiledTemplate.compile`` once (timed apart), then ``render(context)``;
* docxtpl: ``DocxTemplate(path).render(context, jinja_env)`` + ``save(BytesIO())`` per document,
  with a plain autoescaping Jinja environment and a babel number filter (its usual setup);
* docxtemplater and Carbone (Node.js): in one long-lived ``node peers/worker.js --serve`` process,
  so Node's start-up and JIT warm-up are not timed (skipped with a note where Node or the npm
  packages are missing: ``cd benchmarks/peers && npm ci`` installs them);
* floor: the template's zip copied member by member, with one part (thidua's rendered
  ``word/document.xml`` of that size) deflated at level 1: what any engine must at least do.

Before timing, the printed text of every engine's output is compared with thidua's, size by
size; any difference stops the benchmark. After one warm-up round (not counted), *rounds* are
interleaved: each round runs every engine once per size (a batch of renders long enough to
time), in an order rotated from round to round, and the ratios are computed within each round,
so a machine that slows down for a while moves every engine of that round alike. CPU time
(``time.process_time`` in Python, ``process.cpuUsage`` in Node: the whole process, all threads)
and wall time are both reported, as medians with their spread (min–max over rounds).

``--babel-numbers`` adds ``thidua-babel``, thidua with its number filters formatting through
babel's ``format_decimal`` for every number (as before numbers were formatted with babel's pattern
parsed once), so the change is measured within the same rounds.
``--process`` adds the whole-process view: one document per fresh process (start-up, imports and
compile included), a few interleaved runs per engine. ``--profile N`` prints where thidua's render
time goes at N rows (cProfile, which inflates Python calls about fourfold); ``--phases N`` splits
it into stages timed without a profiler.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import pstats
import shutil
import statistics
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import peer_templates  # noqa: E402
from _stats import CACHE, num, run_process, spread, table  # noqa: E402

PEERS_DIR = HERE / "peers"
DEFAULT_SIZES = (10, 100, 1000)
BIG_SIZES = (10, 100, 1000, 10000)
PEERS = ("docxtpl", "docxtemplater", "carbone")


# ---------------------------------------------------------------------------------------------
# Engines


class Floor:
    """The template's members copied as raw compressed bytes, one part deflated at level 1."""

    def __init__(self, template: bytes, part: str = "word/document.xml") -> None:
        archive = zipfile.ZipFile(io.BytesIO(template))
        self.part = part
        self.before: list[tuple[bytes, bytes, bytes]] = []  # see _records
        self.after: list[tuple[bytes, bytes, bytes]] = []
        seen_part = False
        for info in archive.infolist():
            if info.filename == part:
                seen_part = True
                continue
            start = info.header_offset
            name_len, extra_len = struct.unpack_from("<2H", template, start + 26)
            data_start = start + 30 + name_len + extra_len
            raw = template[data_start : data_start + info.compress_size]
            entry = _records(info.filename, info.compress_type, info.CRC, info.file_size, raw)
            (self.after if seen_part else self.before).append(entry)

    def render(self, content: bytes) -> bytes:
        """The archive with ``content`` as the part (deflate level 1, CRC, headers)."""
        compressor = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
        data = compressor.compress(content) + compressor.flush()
        entries = [
            *self.before,
            _records(self.part, zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content), data),
            *self.after,
        ]
        chunks, central, offset = [], [], 0
        for local, header, encoded in entries:
            central.append(header + struct.pack("<L", offset) + encoded)
            chunks.append(local)
            offset += len(local)
        directory = b"".join(central)
        end = struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0
        )
        return b"".join(chunks) + directory + end


def _records(
    name: str, method: int, crc: int, size: int, data: bytes
) -> tuple[bytes, bytes, bytes]:
    """(local record, central header up to its offset field, name) of one zip member."""
    encoded = name.encode("utf-8")
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 33, crc, len(data), size, len(encoded), 0
    )
    central = struct.pack(
        "<4s6H3L5HL", b"PK\x01\x02", 20, 20, 0, method, 0, 33, crc, len(data), size,
        len(encoded), 0, 0, 0, 0, 0,
    )  # fmt: skip
    return local + encoded + data, central, encoded


class PythonEngines:
    """thidua, docxtpl and the floor, timed in this process."""

    def __init__(
        self,
        templates: dict[str, Path],
        contexts: dict[int, dict[str, object]],
        baseline: bool = False,
    ) -> None:
        from jinja2 import Environment

        from pipeline.documents.engine import CompiledTemplate

        self.contexts = contexts
        self.jinja_path = templates["jinja"]
        start = time.perf_counter()
        self.thidua = CompiledTemplate.compile(self.jinja_path)
        self.compile_seconds = time.perf_counter() - start
        self.baseline: CompiledTemplate | None = None
        if baseline:
            from number_format import babel_so

            from pipeline.vi import FILTERS

            filters = {**FILTERS, "so": babel_so}
            self.baseline = CompiledTemplate.compile(self.jinja_path, filters=filters)
        self.docxtpl_env = Environment(autoescape=True)
        self.docxtpl_env.filters["so"] = peer_templates.babel_so
        self.floor = Floor(self.jinja_path.read_bytes())
        self.floor_parts: dict[int, bytes] = {}

    def render(self, engine: str, size: int) -> bytes:
        context = self.contexts[size]
        if engine == "thidua":
            return self.thidua.render(context)
        if engine == BASELINE and self.baseline is not None:
            return self.baseline.render(context)
        if engine == "docxtpl":
            from docxtpl import DocxTemplate

            template = DocxTemplate(self.jinja_path)
            template.render(context, jinja_env=self.docxtpl_env)
            out = io.BytesIO()
            template.save(out)
            return out.getvalue()
        if engine == "floor":
            return self.floor.render(self.floor_parts[size])
        raise KeyError(engine)

    def timed(self, engine: str, size: int, reps: int) -> tuple[float, float]:
        """(CPU, wall) seconds per render over ``reps`` renders in a row."""
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            self.render(engine, size)
        return (time.process_time() - cpu0) / reps, (time.perf_counter() - wall0) / reps


class NodePeers:
    """docxtemplater and Carbone in one long-lived Node process (``peers/worker.js``)."""

    def __init__(self, templates: dict[str, Path]) -> None:
        self.process = subprocess.Popen(
            ["node", str(PEERS_DIR / "worker.js"), "--serve"],
            cwd=PEERS_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        paths = {engine: str(templates[engine]) for engine in ("docxtemplater", "carbone")}
        self.version = self._ask({"op": "init", "templates": paths})["node"]

    def _ask(self, command: dict[str, object]) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Node worker stopped")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"Node worker: {answer['error']}")
        return answer

    def load(self, size: int, data: Path) -> None:
        self._ask({"op": "load", "size": size, "data": str(data)})

    def timed(
        self, engine: str, size: int, reps: int, out: Path | None = None
    ) -> tuple[float, float]:
        answer = self._ask(
            {"op": "render", "engine": engine, "size": size, "reps": reps,
             "out": str(out) if out else None}
        )  # fmt: skip
        return float(answer["cpu"]), float(answer["wall"])

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def node_available() -> str | None:
    """``None`` if the Node peers can run, else why not (a note to print)."""
    if shutil.which("node") is None:
        return "Node.js không có trên máy: bỏ qua docxtemplater và Carbone (cài Node ≥ 18)."
    if not (PEERS_DIR / "node_modules" / "carbone").is_dir():
        if shutil.which("npm") is None:
            return "Thiếu npm để cài docxtemplater và Carbone: bỏ qua hai engine Node."
        print("installing the Node peers: npm ci in benchmarks/peers …", flush=True)
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS_DIR, capture_output=True, text=True
        )
        if done.returncode:
            return f"npm ci failed ({done.stderr.strip()[-300:]}): skipping the Node peers."
    return None


# ---------------------------------------------------------------------------------------------
# The benchmark


def prepare(
    sizes: Sequence[int],
) -> tuple[dict[str, Path], dict[int, dict[str, object]], dict[int, Path]]:
    """Templates, contexts and the JSON data files for every size."""
    folder = CACHE / "render"
    templates = peer_templates.write_templates(folder / "templates")
    contexts, data_files = {}, {}
    for size in sizes:
        contexts[size] = peer_templates.context(size)
        data_files[size] = folder / f"data-{size}.json"
        peer_templates.write_json(contexts[size], data_files[size])
    return templates, contexts, data_files


def check_same_text(
    sizes: Sequence[int], python: PythonEngines, node: NodePeers | None, folder: Path
) -> None:
    """Render once per engine and size; stop unless every output prints thidua's text."""
    for size in sizes:
        reference_doc = python.render("thidua", size)
        with zipfile.ZipFile(io.BytesIO(reference_doc)) as archive:
            python.floor_parts[size] = archive.read("word/document.xml")
        reference = peer_templates.printed_text(reference_doc)
        outputs = {
            "docxtpl": python.render("docxtpl", size),
            "floor": python.render("floor", size),
        }
        if python.baseline is not None:
            outputs[BASELINE] = python.render(BASELINE, size)
        if node is not None:
            for engine in ("docxtemplater", "carbone"):
                out = folder / f"{engine}-{size}.docx"
                node.timed(engine, size, 1, out)
                outputs[engine] = out.read_bytes()
        for engine, document in outputs.items():
            text = peer_templates.printed_text(document)
            if text != reference:
                expected, got = reference.split("\n"), text.split("\n")
                line = next(
                    (i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
                    min(len(expected), len(got)),
                )
                raise SystemExit(
                    f"{engine} at {size} rows prints other text than thidua, line {line + 1}: "
                    f"{got[line : line + 1]!r} instead of {expected[line : line + 1]!r}"
                )
        lines = reference.count("\n") + 1
        print(
            f"  {size:>6} rows: same text from {len(outputs) + 1} engines ({lines} lines, "
            f"{len(reference)} characters)",
            flush=True,
        )


Timer = Callable[[str, int, int], tuple[float, float]]


def run_rounds(
    engines: Sequence[str], sizes: Sequence[int], timer: Timer, rounds: int, batch_seconds: float
) -> dict[str, dict[int, list[tuple[float, float]]]]:
    """Interleaved rounds; per engine and size, the (CPU, wall) per render of every round."""
    reps: dict[tuple[str, int], int] = {}
    for size in sizes:  # calibrate: how many renders make a batch of about batch_seconds
        for engine in engines:
            _, wall = timer(engine, size, 1)
            reps[engine, size] = max(1, min(5000, math.ceil(batch_seconds / max(wall, 1e-6))))
    results: dict[str, dict[int, list[tuple[float, float]]]] = {
        engine: {size: [] for size in sizes} for engine in engines
    }
    for index in range(-1, rounds):  # round -1 warms up (Node's JIT, caches) and is not counted
        for size in sizes:
            shift = index % len(engines)
            for engine in [*engines[shift:], *engines[:shift]]:
                measured = timer(engine, size, reps[engine, size])
                if index >= 0:
                    results[engine][size].append(measured)
        print(
            f"  round {index + 1}/{rounds} done" if index >= 0 else "  warm-up round done",
            flush=True,
        )
    return results


BASELINE = "thidua-babel"  # thidua with the number filters formatting through babel per call


def _ratios(
    results: dict[str, dict[int, list[tuple[float, float]]]],
    base: str,
    engine: str,
    size: int,
    index: int,
) -> list[float]:
    """Per round: engine's time ÷ base's (how many times faster base is); for the floor, base's
    time ÷ the floor's (how many times slower base is)."""
    pairs = zip(results[base][size], results[engine][size], strict=True)
    if engine == "floor":
        return [mine[index] / other[index] for mine, other in pairs]
    return [other[index] / mine[index] for mine, other in pairs]


def _ratio_table(
    results: dict[str, dict[int, list[tuple[float, float]]]],
    sizes: Sequence[int],
    base: str,
    index: int,
    summary: dict[str, dict[int, float]] | None = None,
) -> str:
    rows = []
    for engine in results:
        if engine == base or (base == BASELINE and engine == "thidua"):
            continue
        per_size = []
        for size in sizes:
            ratios = _ratios(results, base, engine, size, index)
            if summary is not None:
                summary.setdefault(engine, {})[size] = statistics.median(ratios)
            per_size.append(spread(ratios))
        floor = engine == "floor"
        rows.append(
            [f"{base} ÷ floor (×, slower)" if floor else f"{engine} ÷ {base} (×)", *per_size]
        )
    return table(["ratio", *(f"{num(s, 0)} rows" for s in sizes)], rows)


def report(
    results: dict[str, dict[int, list[tuple[float, float]]]], sizes: Sequence[int]
) -> dict[str, Any]:
    """Print the tables; return the ratios (for run.py and the JSON file)."""
    engines = list(results)
    summary: dict[str, Any] = {"ratios": {}, "docs_per_s": {}}
    for kind, index in (("CPU", 0), ("wall", 1)):
        print(f"\nDocuments per second ({kind} time), median (min–max over rounds):\n")
        rows = []
        for engine in engines:
            rates = {size: [1 / t[index] for t in results[engine][size]] for size in sizes}
            summary["docs_per_s"].setdefault(kind, {})[engine] = {
                size: statistics.median(rates[size]) for size in sizes
            }
            rows.append([engine, *(spread(rates[size]) for size in sizes)])
        print(table(["documents/s", *(f"{num(s, 0)} rows" for s in sizes)], rows))
        print(
            f"\nRatios within each round ({kind}): how many times faster thidua is than each "
            "peer; for the floor, how many times slower thidua is than it:\n"
        )
        print(_ratio_table(results, sizes, "thidua", index, summary["ratios"].setdefault(kind, {})))
        if BASELINE in results:
            print(
                f"\nThe same ratios ({kind}) for thidua before the number-formatting change "
                f"({BASELINE}: babel's format_decimal for every number, same rounds):\n"
            )
            before = summary.setdefault("ratios_before", {}).setdefault(kind, {})
            print(_ratio_table(results, sizes, BASELINE, index, before))

    cpu = summary["ratios"]["CPU"]
    print("\nGoals (CPU, medians): ahead of the best peer by ≥ 2×; within 5× of the floor:")
    for size in sizes:
        peers = {e: cpu[e][size] for e in cpu if e in PEERS}
        best = min(peers, key=peers.__getitem__) if peers else None
        parts = []
        if best:
            lead = peers[best]
            parts.append(f"lead over {best} {num(lead)}× ({'met' if lead >= 2 else 'NOT met'})")
        if "floor" in cpu:
            floor = cpu["floor"][size]
            parts.append(f"floor {num(floor)}× ({'met' if floor <= 5 else 'NOT met'})")
        print(f"  {num(size, 0):>6} rows: " + "; ".join(parts))
    return summary


def whole_process(
    engines: Sequence[str], sizes: Sequence[int], runs: int, templates: dict[str, Path],
    data_files: dict[int, Path], folder: Path,
) -> None:  # fmt: skip
    """One document per fresh process, ``runs`` interleaved runs per engine, after a warm-up."""
    print(
        f"\nWhole process: one document per process (start-up, imports, compile included), "
        f"median of {runs} interleaved runs after a warm-up:\n"
    )
    rows = []
    for size in sizes:
        commands = {}
        for engine in engines:
            out = folder / f"once-{engine}-{size}.docx"
            if engine in ("docxtemplater", "carbone"):
                commands[engine] = [
                    "node",
                    str(PEERS_DIR / "worker.js"),
                    "--once",
                    engine,
                    str(templates[engine]),
                    str(data_files[size]),
                    str(out),
                ]
            else:
                commands[engine] = [
                    sys.executable,
                    str(Path(__file__)),
                    "--once",
                    engine,
                    str(size),
                    str(out),
                ]
        measured: dict[str, list[tuple[float, float]]] = {engine: [] for engine in engines}
        for index in range(runs + 1):
            for engine in engines:
                done = run_process(commands[engine], cwd=PEERS_DIR)
                if done.returncode:
                    raise SystemExit(f"{engine} --once failed")
                if index:
                    measured[engine].append((done.cpu, done.wall))
        for engine in engines:
            cpu = [c * 1000 for c, _ in measured[engine]]
            wall = [w * 1000 for _, w in measured[engine]]
            ratio = [
                mine[1] / theirs[1] if engine == "thidua" else theirs[1] / mine[1]
                for mine, theirs in zip(measured["thidua"], measured[engine], strict=True)
            ]
            rows.append(
                [
                    f"{engine}, {num(size, 0)} rows",
                    spread(cpu, 0),
                    spread(wall, 0),
                    "–" if engine == "thidua" else spread(ratio),
                ]
            )
    print(table(["process", "CPU ms", "wall ms", "wall ÷ thidua's"], rows))


def profile(size: int, seconds: float, top: int, babel_numbers: bool = False) -> None:
    """Where thidua's render time goes at ``size`` rows: cProfile over about ``seconds``."""
    from pipeline.documents.engine import CompiledTemplate

    context = peer_templates.context(size)
    templates = peer_templates.write_templates(CACHE / "render" / "templates")
    filters = None
    if babel_numbers:
        from number_format import babel_so

        from pipeline.vi import FILTERS

        filters = {**FILTERS, "so": babel_so}
    compiled = CompiledTemplate.compile(templates["jinja"], filters=filters)
    compiled.render(context)
    start = time.process_time()
    compiled.render(context)
    plain = time.process_time() - start
    reps = max(1, math.ceil(seconds / max(plain, 1e-3)))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(reps):
        compiled.render(context)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"\nProfile of {BASELINE if babel_numbers else 'thidua'}'s render at {num(size, 0)} "
        f"rows: {reps} renders, "
        f"{num(total / reps * 1000)} ms CPU each under the profiler ({num(plain * 1000)} ms "
        f"without it). Top {top} by own time:\n"
    )
    entries = sorted(stats.stats.items(), key=lambda item: -item[1][2])  # type: ignore[attr-defined]
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in entries[:top]:
        where = f"{Path(filename).name}:{line}({name})" if line else name
        rows.append(
            [
                where[:70],
                f"{calls // reps}",
                f"{100 * own / total:.1f} %",
                f"{100 * cumulative / total:.1f} %",
            ]
        )
    print(table(["function", "calls/render", "own", "cumulative"], rows))
    print(
        "\nWhere the render goes (cumulative share; the stages overlap where one calls another):\n"
    )
    rows = []
    for label, file_end, function in _STAGES:
        found = [
            value
            for (filename, _, name), value in stats.stats.items()  # type: ignore[attr-defined]
            if name == function and filename.replace("\\", "/").endswith(file_end)
        ]
        if found:
            cumulative = sum(value[3] for value in found)
            rows.append([label, f"{100 * cumulative / total:.1f} %"])
    print(table(["stage", "share"], rows))


_STAGES = (  # (label, file the function is in, function)
    ("Jinja template code (the parts' root(); filters and escaping inside)", ">", "root"),
    ("  number filter so() (vi.numbers; not called for a value the memo has)", "vi/numbers.py",
     "so"),
    ("    digits: _format()", "vi/numbers.py", "_format"),
    ("    rounding: _round()", "vi/numbers.py", "_round"),
    ("    checking the value: to_decimal()", "vi/numbers.py", "to_decimal"),
    ("  the number filters' wrapper (filtering.bounded_filter)", "documents/filtering.py",
     "bounded"),
    ("  the strict, limited wrapper of other filters (filtering.limited_filter)",
     "documents/filtering.py", "limited"),
    ("  printing a value: print_value()", "documents/printing.py", "print_value"),
    ("    finalize: clean_value()", "documents/printing.py", "clean_value"),
    ("  sandbox attribute access (SandboxedEnvironment.getattr)", "jinja2/sandbox.py", "getattr"),
    ("post-processing (post_process: listing checks)", "documents/finishing.py", "post_process"),
    ("declaration, strict XML parse when needed (finished)", "documents/finishing.py",
     "finished"),
    ("deflate level 1 (deflated_member)", "opc.py", "deflated_member"),
    ("zip assembly (write_zip)", "opc.py", "write_zip"),
)  # fmt: skip


def phases(size: int, seconds: float) -> None:
    """thidua's render at ``size`` rows split into stages, timed without a profiler (CPU).

    The stages: the whole render; the render with the number filter
    replaced by one returning a constant (so the difference is what formatting numbers costs,
    rounding and checks included); the UTF-8 encode of the main part's pieces; and, on the
    rendered ``word/document.xml``,
    a strict ``lxml`` parse (what the engine does to check each part), the same parse into a
    parser target without callbacks (a check that builds no tree) and deflate level 1. The Jinja
    template code (tags, loops, escaping, attribute access, the other filters) is what remains.
    """
    from lxml import etree

    from pipeline.documents import engine
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.vi import FILTERS

    context = peer_templates.context(size)
    templates = peer_templates.write_templates(CACHE / "render" / "templates")
    compiled = CompiledTemplate.compile(templates["jinja"])

    def zero(value: object, le: int | None = None) -> str:
        return "0"

    # The constant takes the number filters' way (a bounded filter, its text kept in the memo).
    bounded = engine.bounded_filters
    engine.bounded_filters = lambda: bounded() | {zero}  # type: ignore[assignment]
    try:
        constant = CompiledTemplate.compile(templates["jinja"], filters={**FILTERS, "so": zero})
    finally:
        engine.bounded_filters = bounded  # type: ignore[assignment]
    document = compiled.render(context)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        xml = archive.read("word/document.xml")
    text = xml.decode("utf-8")

    def deflate() -> None:
        compressor = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
        compressor.compress(xml)
        compressor.flush()

    from pipeline.documents.limits import rendering

    body = compiled._analysis.parts[0].template  # the engine encodes its pieces one by one
    with rendering():
        pieces = list(body.root_render_func(body.new_context(dict(context))))

    class NoTree:  # an lxml parser target without callbacks: libxml2 checks, builds nothing
        def close(self) -> None:
            return None

    def parse_only() -> None:
        etree.fromstring(xml, etree.XMLParser(target=NoTree(), huge_tree=True))

    stages: dict[str, Callable[[], object]] = {
        "render (all)": lambda: compiled.render(context),
        "render, numbers as a constant": lambda: constant.render(context),
        "encode the part (UTF-8)": lambda: b"".join([piece.encode() for piece in pieces]),
        "strict parse, tree built (etree.fromstring)": lambda: etree.fromstring(xml),
        "parse without a tree (lxml parser target)": parse_only,
        "deflate level 1": deflate,
    }
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(5):  # interleaved
        for name, stage in stages.items():
            stage()
            reps, start = 0, time.process_time()
            while reps < 3 or time.process_time() - start < seconds / 5 / len(stages):
                stage()
                reps += 1
            times[name].append((time.process_time() - start) / reps * 1000)
    ms = {name: statistics.median(values) for name, values in times.items()}
    total = ms["render (all)"]
    numbers = total - ms["render, numbers as a constant"]
    # The engine skips the strict parse of a part proven well-formed whatever the values
    # (pipeline.documents.xmlsafe): then it is not part of the render.
    parsed = not all(part.proven for part in compiled._analysis.parts)
    parse_ms = ms["strict parse, tree built (etree.fromstring)"]
    checks = parse_ms if parsed else 0.0
    zipping = ms["deflate level 1"]
    jinja = total - numbers - checks - zipping - ms["encode the part (UTF-8)"]
    print(
        f"\nthidua's render at {num(size, 0)} rows by stage (CPU ms, medians of 5, no profiler; "
        f"document.xml {num(len(xml) / 1e6)} MB, {num(len(text) / 1e6)} M characters):\n"
    )
    rows = [
        ["the whole render", num(total), "100 %"],
        ["number filters (so: checks, rounding, digits)", num(numbers), f"{numbers / total:.0%}"],
        ["Jinja template code, escaping, other filters (the rest)", num(jinja),
         f"{jinja / total:.0%}"],
        ["strict XML parse of the rendered part" + ("" if parsed else " (skipped: proven)"),
         num(parse_ms), f"{checks / total:.0%}" if parsed else "–"],
        ["deflate level 1", num(zipping), f"{zipping / total:.0%}"],
        ["UTF-8 encode (piece by piece, as the engine does)", num(ms["encode the part (UTF-8)"]),
         f"{ms['encode the part (UTF-8)'] / total:.0%}"],
        ["(for comparison) parse without a tree", num(ms[
            "parse without a tree (lxml parser target)"]), "–"],
    ]  # fmt: skip
    print(table(["stage", "ms", "share"], rows))


def once(engine: str, size: int, out: Path) -> None:
    """Render one document in this fresh process (the whole-process view)."""
    templates = CACHE / "render" / "templates"
    context = peer_templates.context(size)
    if engine == "thidua":
        from pipeline.documents.engine import CompiledTemplate

        out.write_bytes(CompiledTemplate.compile(templates / "jinja.docx").render(context))
    elif engine == "docxtpl":
        from docxtpl import DocxTemplate
        from jinja2 import Environment

        env = Environment(autoescape=True)
        env.filters["so"] = peer_templates.babel_so
        template = DocxTemplate(templates / "jinja.docx")
        template.render(context, jinja_env=env)
        template.save(out)
    else:
        raise SystemExit(f"unknown engine {engine}")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--big", action="store_true", help="add 10.000 rows")
    parser.add_argument("--sizes", type=int, nargs="+", help="table sizes (rows) to run")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument(
        "--batch",
        type=float,
        default=0.08,
        help="seconds of renders per engine, size and round (default 0,08)",
    )
    parser.add_argument("--no-node", action="store_true", help="skip docxtemplater and Carbone")
    parser.add_argument(
        "--babel-numbers",
        action="store_true",
        help=f"add {BASELINE}: thidua with babel's format_decimal per number (the former way)",
    )
    parser.add_argument(
        "--process",
        type=int,
        nargs="*",
        metavar="ROWS",
        help="also time whole processes at these sizes (default 100)",
    )
    parser.add_argument("--process-runs", type=int, default=3)
    parser.add_argument(
        "--profile",
        type=int,
        nargs="*",
        metavar="ROWS",
        help="print cProfile of thidua's render at these sizes, then stop",
    )
    parser.add_argument(
        "--phases",
        type=int,
        nargs="*",
        metavar="ROWS",
        help="print thidua's render split into stages (no profiler) at these sizes, then stop",
    )
    parser.add_argument("--json", type=Path, help="write every measurement to this file")
    parser.add_argument(
        "--once", nargs=3, metavar=("ENGINE", "ROWS", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    if args.once:
        once(args.once[0], int(args.once[1]), Path(args.once[2]))
        return {}
    if args.phases is not None:
        for size in args.phases or [1000]:
            phases(size, seconds=4.0)
        return {}
    if args.profile is not None:
        for size in args.profile or [1000]:
            profile(size, seconds=3.0, top=25, babel_numbers=args.babel_numbers)
        return {}

    sizes = tuple(args.sizes or (BIG_SIZES if args.big else DEFAULT_SIZES))
    process_sizes = tuple(args.process or [100]) if args.process is not None else ()
    templates, contexts, data_files = prepare(sorted({*sizes, *process_sizes}))
    contexts = {size: contexts[size] for size in sizes}
    python = PythonEngines(templates, contexts, baseline=args.babel_numbers)
    why_not = "skipped (--no-node)" if args.no_node else node_available()
    node = None if why_not else NodePeers(templates)
    engines = [
        "thidua",
        *([BASELINE] if args.babel_numbers else []),
        "docxtpl",
        *(["docxtemplater", "carbone"] if node else []),
        "floor",
    ]
    print(
        f"Rendering benchmark: {', '.join(engines)}; {', '.join(map(str, sizes))} rows; "
        f"{args.rounds} rounds (thidua's compile: {num(python.compile_seconds * 1000)} ms, once)"
    )
    if why_not:
        print(f"  note: {why_not}")
    if node:
        for size in sizes:
            node.load(size, data_files[size])
        print(f"  Node {node.version}: docxtemplater and Carbone in one long-lived process")
    out_dir = CACHE / "render" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    check_same_text(sizes, python, node, out_dir)

    def timer(engine: str, size: int, reps: int) -> tuple[float, float]:
        if engine in ("docxtemplater", "carbone"):
            assert node is not None
            return node.timed(engine, size, reps)
        return python.timed(engine, size, reps)

    results = run_rounds(engines, sizes, timer, args.rounds, args.batch)
    if node:
        node.close()
    summary = report(results, sizes)
    if args.process is not None:
        process_engines = [e for e in engines if e not in ("floor", BASELINE)]
        whole_process(
            process_engines, process_sizes, args.process_runs, templates, data_files, out_dir
        )
    if args.json:
        args.json.write_text(json.dumps({"results": results, "summary": summary}, indent=1))
    return summary


if __name__ == "__main__":
    main()
