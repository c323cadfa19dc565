"""Charts for the evaluation section, drawn with matplotlib as inline SVG (no files, no network)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.evaluation import Evaluation

__all__ = ["funnel_svg", "outcomes_svg"]

STEPS = (("registered", "Registered"), ("completed", "Completed"), ("intends", "Intend to use"), ("used", "Used"))


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(width: float, height: float, columns: int = 1) -> tuple[Any, Any]:
    # the Figure API without pyplot: no global figure state, and a faster start
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = "barriermap"  # stable ids: the same data gives the same SVG
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(1, columns, squeeze=False)


def funnel_svg(e: Evaluation) -> str:
    """Bars of each funnel step's share of those asked, with Wilson 95% intervals and benchmarks."""
    fig, axes = _figure(7, 3.2)
    ax = axes[0][0]
    labels = [label for _, label in STEPS]
    shares = [e.funnel[key].share * 100 for key, _ in STEPS]
    errors = [
        [(e.funnel[k].share - e.funnel[k].low) * 100 for k, _ in STEPS],
        [(e.funnel[k].high - e.funnel[k].share) * 100 for k, _ in STEPS],
    ]
    ax.barh(labels[::-1], shares[::-1], xerr=[errors[0][::-1], errors[1][::-1]], color="#2f6f8f", capsize=3)
    for i, (key, _) in enumerate(STEPS[::-1]):
        p = e.funnel[key]
        label = f"{p.k:,} of {p.n:,} ({p.share:.0%})"
        if p.high > 0.75:  # no room to the right: write it inside the bar
            ax.text(p.low * 100 - 2, i, label, va="center", ha="right", fontsize=9, color="white")
        else:
            ax.text(p.high * 100 + 2, i, label, va="center", fontsize=9)
        if key in e.benchmarks:
            ax.plot([e.benchmarks[key] * 100] * 2, [i - 0.4, i + 0.4], color="#c0392b", linewidth=2)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of those asked (bars: 95% Wilson intervals; red: published benchmark)")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def outcomes_svg(e: Evaluation) -> str:
    """Mean change from baseline per measure and time point, with 95% intervals."""
    measures = list(e.outcomes)
    fig, axes = _figure(7, 2.8, len(measures))
    for ax, measure in zip(axes[0], measures, strict=True):
        changes = [c for c in e.outcomes[measure] if c.n]
        xs = [c.timepoint for c in changes]
        ax.errorbar(
            xs,
            [c.mean for c in changes],
            yerr=[[c.mean - c.low for c in changes], [c.high - c.mean for c in changes]],
            fmt="o",
            color="#2f6f8f",
            capsize=4,
        )
        bench = e.benchmarks.get(f"{measure}_12m")
        if bench is not None:
            ax.axhline(bench, color="#c0392b", linewidth=1, linestyle="--")
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.set_title(f"{measure} (n shown)", fontsize=10)
        for c in changes:
            ax.annotate(
                f"n={c.n}", (c.timepoint, c.high), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=8
            )
        ax.spines[["top", "right"]].set_visible(False)
    axes[0][0].set_ylabel("mean change from baseline")
    return _svg(fig)
