"""The category and answering agency suggested for a report from its text, learnt from the
province's own reports that operators confirmed (``feedback_reports.confirmed``).

A small model that can say why: the report's syllable n-grams (``tokens``) counted by a
scikit-learn ``CountVectorizer``, and a multinomial naive Bayes classifier, one for the category
and one for the agency, per province. Its confidence is the class's probability; below ``FLOOR``
it suggests nothing. Its reasons are the n-grams of the text that weighed most for the class it
chose: those whose log-probability under that class exceeds most their mean under the others.
The category model also learns the categories' own words (their names, descriptions and keywords
in ``categories.toml``), so that a wording no confirmed report used may still be recognised.

scikit-learn and numpy are imported by the first training, never with the app: a process that
never trains (every command, a web app with no confirmed report yet) starts without them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ioc57.feedback import tokens
from ioc57.feedback.categories import categories
from ioc57.feedback.tables import reports
from ioc57.units.tables import unit_successions, units

TARGETS = ("category", "agency")
FLOOR = 0.5  # below this probability, no suggestion: more likely than every other class together
MIN_EXAMPLES = 10  # confirmed reports a model needs (and two classes at least)
MAX_EXAMPLES = 20_000  # the most recent confirmed reports a model learns from (years of 1022)
REASONS = 5  # n-grams shown as the reasons of a suggestion
ALPHA = 0.5  # additive smoothing of the counts
VOCABULARY_WEIGHT = 3.0  # a phrase of a category's own words counts as that many reports


@dataclass(frozen=True)
class Example:
    """A confirmed report: its text, the category and agency (code) it was given."""

    text: str
    category: str
    agency: str | None
    simulated: bool


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float
    because: tuple[str, ...]  # n-grams of the text, as written in it


@dataclass(frozen=True)
class Model:
    """A trained model of one target for one province."""

    target: str
    vectorizer: Any  # sklearn CountVectorizer
    classifier: Any  # sklearn MultinomialNB
    trained_on: int
    simulated: bool  # learnt from simulated reports (dữ liệu mô phỏng)

    def probabilities(self, texts: Sequence[str]) -> Any:
        return self.classifier.predict_proba(self.vectorizer.transform(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely class of each text, however unsure (for measuring accuracy)."""
        return [str(c) for c in self.classifier.predict(self.vectorizer.transform(texts))]

    def labels(self, texts: Sequence[str], floor: float = FLOOR) -> list[str | None]:
        """The class suggested for each text (None: unsure), without reasons, all at once."""
        if not texts:
            return []
        matrix = self.vectorizer.transform(texts)
        probabilities = self.classifier.predict_proba(matrix)
        best, known = probabilities.argmax(axis=1), matrix.getnnz(axis=1)
        return [
            str(self.classifier.classes_[b]) if n and probabilities[i, b] >= floor else None
            for i, (b, n) in enumerate(zip(best, known, strict=True))
        ]

    def suggest(self, text: str, floor: float = FLOOR) -> Suggestion | None:
        """The class suggested for ``text`` with its reasons; None when the model is unsure."""
        row = self.vectorizer.transform([text])
        probabilities = self.classifier.predict_proba(row)[0]
        best = int(probabilities.argmax())
        if row.nnz == 0 or probabilities[best] < floor:
            return None
        label = str(self.classifier.classes_[best])
        return Suggestion(label, round(float(probabilities[best]), 4), self.because(text, best))

    def because(self, text: str, best: int) -> tuple[str, ...]:
        """The n-grams of ``text`` that weighed most for the class at ``best``: the text's
        features by their count times how much more likely the class makes them than the other
        classes do on average; the accented and the folded forms of an n-gram add up."""
        logs = self.classifier.feature_log_prob_
        vocabulary = self.vectorizer.vocabulary_
        others = (logs.sum(axis=0) - logs[best]) / max(len(logs) - 1, 1)
        weights: dict[str, float] = {}
        for feature, written in tokens.surface(text).items():
            column = vocabulary.get(feature)
            if column is not None:
                lift = float(logs[best, column] - others[column])
                weights[written] = weights.get(written, 0.0) + lift
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(gram for gram, weight in ranked[:REASONS] if weight > 0)


def vocabulary(labels: set[str]) -> list[tuple[str, str]]:
    """(phrase, category): the name, description and keywords of each of the categories
    ``labels`` (``categories.toml``), learnt beside the confirmed reports, so that a report worded
    as no confirmed one was still meets its category's words."""
    return [
        (phrase, code)
        for code, kind in categories().items()
        if code in labels
        for phrase in (kind.name, kind.description, *kind.keywords)
        if phrase
    ]


def train(target: str, examples: Sequence[Example]) -> Model | None:
    """A model of ``target`` learnt from ``examples`` (those with a label; for the category, with
    the categories' own words, ``VOCABULARY_WEIGHT`` reports each); None with fewer than
    ``MIN_EXAMPLES`` of them or a single class."""
    labelled = [(e.text, getattr(e, target)) for e in examples if getattr(e, target)]
    labels = {label for _, label in labelled}
    if len(labelled) < MIN_EXAMPLES or len(labels) < 2:
        return None
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
    from sklearn.naive_bayes import MultinomialNB  # type: ignore[import-untyped]

    words = vocabulary(labels) if target == "category" else []
    weights = [1.0] * len(labelled) + [VOCABULARY_WEIGHT] * len(words)
    vectorizer = CountVectorizer(analyzer=tokens.features, binary=True)
    matrix = vectorizer.fit_transform([text for text, _ in labelled + words])
    classifier = MultinomialNB(alpha=ALPHA)
    classifier.fit(matrix, [label for _, label in labelled + words], sample_weight=weights)
    simulated = any(e.simulated for e in examples if getattr(e, target))
    return Model(target, vectorizer, classifier, len(labelled), simulated)


def provinces(conn: Connection) -> dict[str, tuple[str, ...]]:
    """The provinces of today that have reports, each with the province codes its reports carry:
    its own, and those of the provinces it succeeded (a report placed before the 2025
    reorganisation keeps the province of its day: Đồng Tháp's 82 learns from old 87's too)."""
    old, new = aliased(units), aliased(units)
    pairs = conn.execute(
        select(old.c.code, new.c.code)
        .select_from(
            unit_successions.join(old, old.c.id == unit_successions.c.predecessor_id).join(
                new, new.c.id == unit_successions.c.successor_id
            )
        )
        .where(old.c.level == "province", new.c.level == "province")
        .order_by(unit_successions.c.is_default)  # the default successor last: it wins
    )
    successor: dict[str, str] = {old_code: new_code for old_code, new_code in pairs}
    seen = conn.execute(
        select(reports.c.province_code).where(reports.c.province_code != "").distinct()
    ).scalars()
    found: dict[str, list[str]] = {}
    for code in seen:
        today, walked = code, {code}
        while successor.get(today, today) not in walked:
            today = successor[today]
            walked.add(today)
        found.setdefault(successor.get(today, today), []).append(code)
    return {today: tuple(sorted(codes)) for today, codes in sorted(found.items())}


def examples(conn: Connection, codes: Iterable[str], limit: int = MAX_EXAMPLES) -> list[Example]:
    """The confirmed reports of the provinces ``codes`` (a province of today and those it
    succeeded), the most recent first: what its models learn from."""
    rows = conn.execute(
        select(reports.c.text, reports.c.category, units.c.code, reports.c.simulated)
        .select_from(reports.outerjoin(units, units.c.id == reports.c.agency_id))
        .where(reports.c.province_code.in_(list(codes)), reports.c.confirmed.is_(True))
        .order_by(reports.c.received_at.desc(), reports.c.id.desc())
        .limit(limit)
    )
    return [Example(r.text, r.category, r.code, bool(r.simulated)) for r in rows]


class Models:
    """The trained models of a running app, per province of today and target (replaced whole by
    each training, read by the requests), found by any province code a report carries."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, str], Model] = {}
        self._today: dict[str, str] = {}  # a province code a report carries -> today's
        self._lock = threading.Lock()

    def get(self, code: str, target: str) -> Model | None:
        with self._lock:
            return self._models.get((self._today.get(code, code), target))

    def know(self, found: dict[str, tuple[str, ...]]) -> None:
        """The provinces of today and the codes their reports carry (``provinces``)."""
        with self._lock:
            self._today = {code: today for today, codes in found.items() for code in codes}

    def put(self, province: str, target: str, model: Model | None) -> None:
        with self._lock:
            if model is None:
                self._models.pop((province, target), None)
            else:
                self._models[(province, target)] = model
