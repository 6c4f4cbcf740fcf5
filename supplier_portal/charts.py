"""Small server-rendered SVG bar charts for the data-health pages: no script, no external asset.

``bars`` draws one bar per week (value 0-100 for "%", hours scaled to the largest value or the threshold for
"h"), the threshold as a dashed line, a breached week in red, a week without samples as a grey tick.
Labels are escaped; the SVG is safe to put in a page as it is.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_TOP, PAD_BOTTOM = 320, 96, 8, 18


@dataclass(frozen=True)
class Bar:
    label: str  # the week, e.g. "W48"
    value: Decimal | None
    breached: bool


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def bars(points: Sequence[Bar], threshold: Decimal, unit: str, title: str) -> Markup:
    """One bar per point; ``unit`` "%" (0-100), "h" or "n" (a count, shown without a suffix)."""
    suffix = "" if unit == "n" else unit
    top = Decimal(100) if unit == "%" else max([threshold, *(p.value for p in points if p.value is not None)])
    top = top or Decimal(1)
    plot = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = WIDTH / max(len(points), 1)
    width = step * 0.62

    def y(v: Decimal) -> float:
        return PAD_TOP + plot * (1 - float(min(v, top) / top))

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" x2="{WIDTH}" y1="{HEIGHT - PAD_BOTTOM}" y2="{HEIGHT - PAD_BOTTOM}" stroke="#b9c3ce"/>',
    ]
    for i, p in enumerate(points):
        x = i * step + (step - width) / 2
        label = escape(p.label)
        if p.value is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM - 2}" width="{width:.1f}" height="2" '
                f'fill="#c9d1da"><title>{label}: —</title></rect>'
            )
        else:
            top_y = y(p.value)
            colour = "#b42318" if p.breached else "#0b6e4f"
            parts.append(
                f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{width:.1f}" '
                f'height="{HEIGHT - PAD_BOTTOM - top_y:.1f}" fill="{colour}" rx="2">'
                f"<title>{label}: {_fmt(p.value)}{escape(suffix)}</title></rect>"
            )
        parts.append(
            f'<text x="{i * step + step / 2:.1f}" y="{HEIGHT - 4}" font-size="9" text-anchor="middle" '
            f'fill="#5b6b7c">{label}</text>'
        )
    ty = y(threshold)
    parts.append(
        f'<line x1="0" x2="{WIDTH}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#9a5b00" stroke-dasharray="4 3"/>'
        f'<text x="{WIDTH - 2}" y="{max(ty - 2, 9):.1f}" font-size="9" text-anchor="end" fill="#9a5b00">'
        f"{_fmt(threshold)}{escape(suffix)}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
