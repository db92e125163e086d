"""Text clean-up: Simplified Chinese, Arabic amounts, CER, and pinyin correction of CRM names."""

from __future__ import annotations

from transcription.correct import NameCorrector, company_variants, name_variants
from transcription.textnorm import arabic_amounts, cer, clean_segment_text
from transcription.vocab import Vocabulary


def test_simplified_and_full_width_punctuation() -> None:
    assert clean_segment_text("雲啟科技的報價單,下週發您?") == "云启科技的报价单，下周发您？"


def test_amounts_and_dates_become_digits_but_words_stay() -> None:
    assert arabic_amounts("预算大概是五十万") == "预算大概是50万"
    assert arabic_amounts("采购上限是一百二十万") == "采购上限是120万"
    assert arabic_amounts("十二月八号上午") == "12月8号上午"
    for same in ["一二线城市", "一次产品演示", "千万不要", "下周三下午两点"]:
        assert arabic_amounts(same) == same


def test_cer_normalises_both_sides() -> None:
    assert cer("预算是五十万。", "预算是50万")[0] == 0.0
    assert cer("ab", "ac")[1] == 1


def test_name_correction_restores_known_names_only() -> None:
    vocab = Vocabulary(company="云启科技", aliases=["云启"], products=["订货通", "云启CRM"],
                       competitors=["纷享销客", "用友"], account="杭州云帆物流科技有限公司", account_city="杭州",
                       contacts=name_variants("李娜", "总监") + name_variants("陈刚", "CIO"), rep="赵磊")
    fix = NameCorrector(vocab.correction_names()).correct
    assert fix("我是云起科技的客户经理赵雷") == "我是云启科技的客户经理赵磊"
    assert fix("分享销客也来讲过") == "纷享销客也来讲过"
    assert fix("杭州云方物流的李纳利总监") == "杭州云帆物流的李娜李总监"
    assert fix("另外我们沉总也想听") == "另外我们陈总也想听"
    assert fix("我们拥有很多客户") == "我们拥有很多客户"  # a common word is never overwritten by 用友


def test_company_variants() -> None:
    assert company_variants("杭州云帆物流科技有限公司", "杭州") == ["杭州云帆物流科技有限公司", "杭州云帆物流", "云帆物流"]
