"""spaCy pipeline: Chinese with the jieba segmenter, domain words, perfx stages as factories.

- :func:`nlp` — ``spacy.blank("zh")`` with jieba, built once per process.
- The jieba user dictionary is generated from the pattern files (metric names, scope words,
  units), so 基本支出, 调整后预算, 结转和结余, 实有人数 are single tokens;
  ``python -m extractor.spacy_pipeline`` writes it to ``patterns/jieba_userdict.txt``.
- ``nlp.add_pipe("perfx_figures")`` puts the figures of ``doc.text`` in the span group
  ``doc.spans["figures"]`` with extension attributes ``value``, ``unit``, ``kind``,
  ``normalized``; ``nlp.add_pipe("perfx_labels")`` (after it) sets ``label`` and ``metric``.

jieba and spaCy load only when used: plain ``perfx extract`` needs neither unless a label has
to be trimmed to whole words (:func:`word_starts`), which loads jieba alone.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .labels import jieba_tokenizer, userdict_text, userdict_words, word_starts, words  # noqa: F401
from .patterns import builtin_dir, on_change

USERDICT_NAME = "jieba_userdict.txt"


def write_userdict(path: Path | None = None) -> Path:
    """Write the generated jieba user dictionary (default: patterns/jieba_userdict.txt)."""
    path = path or builtin_dir() / USERDICT_NAME
    path.write_text(userdict_text(), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def nlp():
    """The shared pipeline: blank Chinese, jieba segmenter with the domain dictionary."""
    import spacy
    jieba_tokenizer()  # domain words first: spaCy's tokenizer uses the same jieba module
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return pipeline


on_change(nlp.cache_clear)


def tokens(text: str) -> list[str]:
    return [t.text for t in nlp()(text)]


# ---------------------------------------------------------------------------------------
# spaCy factories
# ---------------------------------------------------------------------------------------

def _register() -> None:
    from spacy.language import Language
    from spacy.tokens import Span

    for name in ("value", "unit", "kind", "normalized", "label", "metric", "figure_id"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)

    if "perfx_figures" not in Language.factories:
        @Language.factory("perfx_figures")
        def make_figures(nlp, name):  # noqa: ARG001 - spaCy factory signature
            jieba_tokenizer()  # domain words for the tokenizer of the pipeline it joins
            return FiguresComponent()

    if "perfx_labels" not in Language.factories:
        @Language.factory("perfx_labels")
        def make_labels(nlp, name):  # noqa: ARG001
            jieba_tokenizer()
            return LabelsComponent()


class FiguresComponent:
    """Finds figures in ``doc.text``: span group ``figures`` with value, unit, kind."""

    def __call__(self, doc):
        from .extract import block_figures, to_figure
        from .models import Block
        block = Block(index=0, kind="paragraph", text=doc.text)
        spans = []
        for number, raw in enumerate(block_figures(block), start=1):
            span = doc.char_span(raw.start, raw.end, alignment_mode="expand")
            if span is None:
                continue
            figure = to_figure(raw, block, number)
            span._.value = figure.value
            span._.unit = figure.unit
            span._.kind = figure.kind
            span._.normalized = figure.normalized.value
            span._.figure_id = figure.id
            span._.label = figure.label
            spans.append(span)
        doc.spans["figures"] = spans
        return doc


class LabelsComponent:
    """Labels and canonical metrics for the spans in ``doc.spans["figures"]``."""

    def __call__(self, doc):
        from .extract import block_figures, to_figure
        from .labels import label_figures
        from .metrics import assign_metrics
        from .models import Block, Meta
        block = Block(index=0, kind="paragraph", text=doc.text)
        figures = [to_figure(raw, block, n) for n, raw in enumerate(block_figures(block), start=1)]
        contexts = label_figures([block], figures)
        assign_metrics(figures, contexts, Meta())
        by_start = {(f.location.start, f.location.end): f for f in figures}
        for span in doc.spans.get("figures", []):
            figure = by_start.get((span.start_char, span.end_char))
            if figure is None:
                figure = next((f for f in figures if span.start_char <= f.location.start
                               < span.end_char), None)
            if figure is not None:
                span._.label = figure.label
                span._.metric = figure.metric
        return doc


_register()


def pipeline_with_stages():
    """A fresh blank-Chinese pipeline with both perfx stages added."""
    import spacy
    jieba_tokenizer()
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    pipeline.add_pipe("perfx_figures")
    pipeline.add_pipe("perfx_labels")
    return pipeline


def main(argv: Iterable[str] | None = None) -> int:
    path = write_userdict()
    print(f"wrote {path} ({len(userdict_words())} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
