"""QR codes for screens, drawn as inline SVG by segno (no network, no image files)."""

import segno


def qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(scale=6, border=2, dark="#111")
