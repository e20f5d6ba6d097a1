"""The category and answering agency suggested for a report from its text, learnt from the
province's own reports that operators confirmed (``feedback_reports.confirmed``).

A small model that can say why: the report's syllable n-grams (``tokens``) counted by a
scikit-learn ``CountVectorizer``, and a multinomial naive Bayes classifier, one for the category
and one for the agency, per province. Its confidence is the class's probability; below ``FLOOR``
it suggests nothing. Its reasons are the n-grams of the text that weighed most for the class it
chose: those whose log-probability under that class exceeds most their mean under the others.

scikit-learn and numpy are imported by the first training, never with the app: a process that
never trains (every command, a web app with no confirmed report yet) starts without them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.feedback import tokens
from ioc57.feedback.tables import reports
from ioc57.units.tables import units

TARGETS = ("category", "agency")
FLOOR = 0.5  # below this probability, no suggestion: more likely than every other class together
MIN_EXAMPLES = 10  # confirmed reports a model needs (and two classes at least)
MAX_EXAMPLES = 50_000  # the most recent confirmed reports a model learns from
REASONS = 5  # n-grams shown as the reasons of a suggestion
ALPHA = 0.5  # additive smoothing of the counts


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


def train(target: str, examples: Sequence[Example]) -> Model | None:
    """A model of ``target`` learnt from ``examples`` (those with a label); None with fewer than
    ``MIN_EXAMPLES`` of them or a single class."""
    labelled = [(e.text, getattr(e, target), e.simulated) for e in examples if getattr(e, target)]
    if len(labelled) < MIN_EXAMPLES or len({label for _, label, _ in labelled}) < 2:
        return None
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
    from sklearn.naive_bayes import MultinomialNB  # type: ignore[import-untyped]

    vectorizer = CountVectorizer(analyzer=tokens.features, binary=True)
    matrix = vectorizer.fit_transform([text for text, _, _ in labelled])
    classifier = MultinomialNB(alpha=ALPHA).fit(matrix, [label for _, label, _ in labelled])
    simulated = any(s for _, _, s in labelled)
    return Model(target, vectorizer, classifier, len(labelled), simulated)


def examples(conn: Connection, province: str, limit: int = MAX_EXAMPLES) -> list[Example]:
    """The province's confirmed reports, the most recent first: what its models learn from."""
    rows = conn.execute(
        select(reports.c.text, reports.c.category, units.c.code, reports.c.simulated)
        .select_from(reports.outerjoin(units, units.c.id == reports.c.agency_id))
        .where(reports.c.province_code == province, reports.c.confirmed.is_(True))
        .order_by(reports.c.received_at.desc(), reports.c.id.desc())
        .limit(limit)
    )
    return [Example(r.text, r.category, r.code, bool(r.simulated)) for r in rows]


class Models:
    """The trained models of a running app, per province and target (replaced whole by each
    training, read by the requests)."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, str], Model] = {}
        self._lock = threading.Lock()

    def get(self, province: str, target: str) -> Model | None:
        with self._lock:
            return self._models.get((province, target))

    def put(self, province: str, target: str, model: Model | None) -> None:
        with self._lock:
            if model is None:
                self._models.pop((province, target), None)
            else:
                self._models[(province, target)] = model
