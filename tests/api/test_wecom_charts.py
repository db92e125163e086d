"""Charts for WeCom: PNG with a CJK font when one is installed, otherwise a text table."""

import pytest

from api.wecom.charts import cjk_font, render_png, text_table

OPTION = {"title": {"text": "各销售回款"}, "xAxis": {"type": "category", "data": ["李明", "赵磊"]},
          "series": [{"type": "bar", "name": "回款", "data": [1200.5, 300]}]}
FUNNEL = {"series": [{"type": "funnel", "data": [{"name": "线索", "value": 10}, {"name": "赢单", "value": 2}]}]}


def test_text_table_fallback():
    assert text_table(OPTION) == "各销售回款\n李明: 1,200.5\n赵磊: 300"
    assert text_table(FUNNEL) == "线索: 10\n赢单: 2"
    assert text_table({}) == ""


def test_no_font_means_no_image():
    assert render_png(OPTION, font=None) is None or cjk_font() is not None


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (apt: fonts-noto-cjk)")
def test_png_with_cjk_font():
    png = render_png(OPTION)
    assert png is not None and png.startswith(b"\x89PNG")
    assert render_png(FUNNEL) is not None
