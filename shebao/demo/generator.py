"""``shebao demo-data``: a realistic pile of legacy records plus the truth a correct system concludes.

First the people are modelled (a true life story each: employers, spells, payments, gaps,
back-payments, flexible work, pension cards), then the rows that the files say are derived
from the model with deliberate mess (``records``), written to files (``writers``), and the
truth is computed from the rows' meanings (``truth``) by the spec's definitions, independently
of the product's code.  Deterministic for a seed: one ``random.Random(seed)``, no clock.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from shebao.demo import writers
from shebao.demo.model import FLEXIBLE, build_model, parse_ym
from shebao.demo.records import CARD_FILE, annual_file, backpay_file, build_rows, inject_mess
from shebao.demo.truth import compute_truth


def generate_bundle(
    out_dir: Path, persons: int, seed: int, as_of: str = "2026-11", pooling_start: str = "1987-01"
) -> dict:
    """Write the bundle to ``out_dir`` and return the truth dict written to ``out_dir/truth.json``."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    model = build_model(rng, persons, parse_ym(as_of), parse_ym(pooling_start))
    rows = build_rows(rng, model)

    employers = {e.name: e for e in model.employers}
    encodings = {annual_file(e.name): e.encoding for e in model.employers}
    encodings[annual_file(FLEXIBLE)] = "gb18030"
    encodings[CARD_FILE] = "utf-8-sig"
    inject_mess(rng, model, rows, encodings)

    by_file: dict[str, list] = defaultdict(list)
    for r in rows:
        if not r.lost:
            by_file[r.file].append(r)
    out_dir.mkdir(parents=True, exist_ok=True)
    for emp in model.employers:
        for roster in emp.rosters:
            writers.write_roster(rng, out_dir, emp, roster, by_file.get(roster.file, []))
    for name in [e.name for e in model.employers] + [FLEXIBLE]:
        file = annual_file(name)
        if by_file.get(file):
            writers.write_annual(rng, out_dir, file, employers.get(name), encodings[file], by_file[file])
        file = backpay_file(name)
        if by_file.get(file):
            writers.write_backpay(rng, out_dir, employers[name], file, by_file[file])
    if by_file.get(CARD_FILE):
        writers.write_card(rng, out_dir, CARD_FILE, by_file[CARD_FILE])

    truth = compute_truth(model, rows)
    (out_dir / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return truth
