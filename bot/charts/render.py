"""Draw chart specs to PNG bytes with matplotlib's object API on the Agg canvas.

No pyplot and no global state: every call builds its own Figure and canvas, so renders in one
worker process never share figures, and nothing here touches matplotlib's global backend. This
module runs in the renderer's worker process (bot/charts/pool.py), or inline in benchmarks.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.charts.specs import ChartSpec, DriverSeasonsChart, MarginsChart, ProgressionChart

WIDTH_PX = 800
HEIGHT_PX = 450
DPI = 100
BACKGROUND = "#2b2d31"  # Discord's dark embed background, so the chart sits in the embed
FOREGROUND = "#dbdee1"
GRID = "#4e5058"
# Discord shows an embed's image at about half of 800 px wide, so text is sized for that, not for 800 px.
TITLE_PT, TEXT_PT, SMALL_PT = 15, 11, 9
LABEL_CHARS = 34  # per line of a margin's label
TWO_LINE_BARS = 6
TRACK_KINDS = frozenset({"Speedway", "Superspeedway", "Raceway", "International", "Motor", "Motorplex"})
PALETTE = ("#f2c14e", "#5865f2", "#57f287", "#ed4245", "#eb459e", "#3ba55d", "#faa61a", "#00b0f4", "#9b84ec", "#b5bac1")


def _figure(title: str, source: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_facecolor(BACKGROUND)
    axes.set_title(title, color=FOREGROUND, fontsize=TITLE_PT, loc="left")
    axes.tick_params(colors=FOREGROUND, labelsize=TEXT_PT)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    axes.grid(True, color=GRID, linewidth=0.6, alpha=0.8)
    axes.set_axisbelow(True)
    figure.text(0.01, 0.01, _clip(source, 110), color=FOREGROUND, fontsize=SMALL_PT, alpha=0.8)
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND)
    return buffer.getvalue()


def _legend(axes: Axes) -> None:
    if not axes.get_legend_handles_labels()[0]:
        return  # nothing drawn (an empty chart): no legend box
    legend = axes.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=SMALL_PT, frameon=False, labelcolor=FOREGROUND
    )
    if legend is not None:
        legend.set_in_layout(True)


def draw_progression(spec: ProgressionChart) -> bytes:
    figure, axes = _figure(spec.title, spec.source)
    for index, line in enumerate(spec.lines):
        xs = [x for x, _ in line.points]
        ys = [y for _, y in line.points]
        axes.plot(
            xs, ys, marker="o", markersize=3, linewidth=1.6, color=PALETTE[index % len(PALETTE)], label=line.label
        )
    if spec.marker_x is not None:
        axes.axvline(spec.marker_x, color=FOREGROUND, linestyle="--", linewidth=0.8, alpha=0.7)
        if spec.marker_label:
            axes.annotate(
                spec.marker_label,
                (spec.marker_x, 0.02),
                xycoords=("data", "axes fraction"),
                color=FOREGROUND,
                fontsize=SMALL_PT,
                rotation=90,
                ha="right",
            )
    axes.set_xlabel("after race", color=FOREGROUND, fontsize=TEXT_PT)
    axes.set_ylabel("points", color=FOREGROUND, fontsize=TEXT_PT)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    _legend(axes)
    figure.subplots_adjust(left=0.1, right=0.74, top=0.9, bottom=0.16)
    return _png(figure)


def draw_driver_seasons(spec: DriverSeasonsChart) -> bytes:
    figure, axes = _figure(spec.title, spec.source)
    seasons = [s.season for s in spec.seasons]
    width = 0.4
    axes.bar(
        [x - width / 2 for x in seasons], [s.top_10 for s in spec.seasons], width, color=PALETTE[1], label="top 10s"
    )
    axes.bar([x + width / 2 for x in seasons], [s.wins for s in spec.seasons], width, color=PALETTE[0], label="wins")
    axes.plot(
        seasons,
        [s.starts for s in spec.seasons],
        color=FOREGROUND,
        linewidth=1,
        linestyle=":",
        marker=".",
        label="starts",
    )
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("season", color=FOREGROUND, fontsize=TEXT_PT)
    _legend(axes)
    figure.subplots_adjust(left=0.08, right=0.84, top=0.9, bottom=0.16)
    return _png(figure)


def draw_margins(spec: MarginsChart) -> bytes:
    figure, axes = _figure(spec.title, spec.source)
    # Two lines a label (the race; who beat whom) while they fit; beyond that the race and its winner.
    two_lines = len(spec.margins) <= TWO_LINE_BARS
    labels = [
        f"{_clip(m.race, LABEL_CHARS)}\n{_clip(m.result, LABEL_CHARS)}"
        if two_lines
        else _clip(f"{_short_track(m.race)} · {m.winner}", LABEL_CHARS + 6)
        for m in spec.margins
    ]
    size = SMALL_PT if len(spec.margins) <= 12 else SMALL_PT - 1
    values = [m.seconds for m in spec.margins]
    positions = list(range(len(values)))[::-1]  # the first (closest) finish at the top
    bars = axes.barh(positions, values, color=PALETTE[0], height=0.6)
    axes.set_yticks(positions, labels, fontsize=size)
    axes.bar_label(bars, labels=[f"{v:.3f} s" for v in values], color=FOREGROUND, fontsize=size, padding=3)
    axes.set_xlabel("margin of victory (seconds)", color=FOREGROUND, fontsize=TEXT_PT)
    axes.set_xlim(0, max(values, default=0.01) * 1.25 or 0.01)
    figure.subplots_adjust(left=0.36, right=0.97, top=0.9, bottom=0.16)
    return _png(figure)


def _short_track(race: str) -> str:
    """ "2011 Talladega Superspeedway" → "2011 Talladega": the place, without the kind of track."""
    words = race.split()
    while len(words) > 2 and words[-1] in TRACK_KINDS:
        words.pop()
    return " ".join(words)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes, WIDTH_PX × HEIGHT_PX."""
    if isinstance(spec, ProgressionChart):
        return draw_progression(spec)
    if isinstance(spec, DriverSeasonsChart):
        return draw_driver_seasons(spec)
    return draw_margins(spec)
