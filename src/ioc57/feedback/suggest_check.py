"""How well the suggestion does on reports it did not learn from (``ioc57 feedback model-check``).

The province's confirmed reports are shuffled (a seed, to repeat a measure) and split: the models
learn from one part and suggest for the other (held out), and the share of the held-out reports
whose category (agency) they get right is their accuracy. Beside it, the baseline: the accuracy
of always answering the most frequent class of the training part; a model worth showing beats it.
Also the share of held-out reports the model is sure enough to suggest for (``FLOOR``) and its
accuracy on those, what an operator sees.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ioc57.feedback.suggest import FLOOR, TARGETS, Example, train


def split(examples: Sequence[Example], holdout: float, seed: int) -> tuple[list, list]:
    """The examples shuffled by ``seed``, then (to learn from, held out): ``holdout`` of them,
    at least one, held out."""
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    held = max(1, round(len(shuffled) * holdout)) if shuffled else 0
    return shuffled[held:], shuffled[:held]


def _share(hits: int, of: int) -> float | None:
    return round(hits / of, 4) if of else None


def measure(target: str, learn: Sequence[Example], held: Sequence[Example]) -> dict[str, Any]:
    """The held-out accuracy of a model of ``target`` learnt from ``learn``, and its baseline."""
    tested = [e for e in held if getattr(e, target)]
    labels = [getattr(e, target) for e in learn if getattr(e, target)]
    model = train(target, learn)
    found: dict[str, Any] = {"train": len(labels), "test": len(tested), "classes": len(set(labels))}
    if model is None or not tested:
        return found | {"accuracy": None, "baseline": None, "suggested": None, "precision": None}
    truth = [getattr(e, target) for e in tested]
    guessed = model.predict([e.text for e in tested])
    common = Counter(labels).most_common(1)[0][0]
    sure = model.probabilities([e.text for e in tested]).max(axis=1) >= FLOOR
    kept = [g == t for g, t, s in zip(guessed, truth, sure, strict=True) if s]
    return found | {
        "accuracy": _share(sum(g == t for g, t in zip(guessed, truth, strict=True)), len(truth)),
        "baseline": _share(sum(t == common for t in truth), len(truth)),
        "suggested": _share(len(kept), len(truth)),  # sure enough to suggest (FLOOR)
        "precision": _share(sum(kept), len(kept)),  # right among those suggested
    }


def check(province: str, examples: Sequence[Example], holdout: float, seed: int) -> dict:
    """The held-out measure of both models of a province."""
    learn, held = split(examples, holdout, seed)
    return {
        "province": province,
        "confirmed": len(examples),
        "train": len(learn),
        "test": len(held),
        "holdout": holdout,
        "seed": seed,
        "floor": FLOOR,
        "simulated": any(e.simulated for e in examples),
        **{target: measure(target, learn, held) for target in TARGETS},
    }
