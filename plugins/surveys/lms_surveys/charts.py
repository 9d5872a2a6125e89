"""A question's answers as an SVG bar chart: a picture for sighted readers,
with a title saying that the table under it holds the same numbers."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

ROW = 32
LABEL_WIDTH = 200


def bar_chart(summary) -> SafeString:
    height = len(summary.bars) * ROW + 8
    rows = format_html_join(
        "",
        '<text x="0" y="{}" font-size="14" fill="currentColor">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="24" fill="#2b6cb0"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="currentColor">{}</text>',
        (
            (
                bar.y + 18,
                bar.label if len(bar.label) <= 24 else bar.label[:23] + "…",
                LABEL_WIDTH,
                bar.y,
                bar.width,
                LABEL_WIDTH + bar.width + 6,
                bar.y + 18,
                bar.count,
            )
            for bar in summary.bars
        ),
    )
    return format_html(
        '<svg role="img" aria-labelledby="chart-{key}" viewBox="0 0 560 {height}" '
        'width="100%" focusable="false"><title id="chart-{key}">{title}</title>'
        "{rows}</svg>",
        key=summary.question.key,
        height=height,
        title=_("Answers to “%(question)s”; the table below gives the numbers.")
        % {"question": summary.question.text},
        rows=rows,
    )
