"""Vendor names restored from near-sounding words only where the context names a vendor."""

from __future__ import annotations

from transcription.context_names import VendorContextCorrector
from transcription.correct import NameCorrector
from transcription.pipeline import _corrector
from transcription.vocab import Vocabulary

VENDORS = ["云启科技", "云启", "订货通", "服务通", "云启CRM", "销售易", "纷享销客", "用友", "金蝶"]


def test_vendor_cue_after_or_before_restores_the_name() -> None:
    fix = VendorContextCorrector(VENDORS).correct
    assert fix("预计12月20号左右，又有那边也会来投标。") == "预计12月20号左右，用友那边也会来投标。"
    assert fix("我们现在用的是金的，想换掉") == "我们现在用的是金蝶，想换掉"


def test_name_joined_to_a_known_product_is_restored() -> None:
    fix = VendorContextCorrector(VENDORS).correct
    assert fix("我们的电话通和服务通在物流行业有不少案例") == "我们的订货通和服务通在物流行业有不少案例"
    assert fix("服务通跟电话通都可以试用") == "服务通跟订货通都可以试用"


def test_ordinary_speech_is_left_alone() -> None:
    fix = VendorContextCorrector(VENDORS).correct
    for text in ("我又有一个问题想请教", "我们拥有很多客户", "打电话通知一下采购", "他们又有新的需求了",
                 "用友那边也会来投标", "甚至出现交易几乎停滞的情况"):
        assert fix(text) == text


def test_long_crm_names_may_differ_in_any_one_syllable() -> None:
    vocab = Vocabulary(account="杭州云帆物流科技有限公司", account_city="杭州")
    fix = NameCorrector(vocab.correction_names(), vocab.near_names()).correct
    assert fix("请问是航周云三物流的李总监吗") == "请问是杭州云帆物流的李总监吗"
    assert fix("云三物流") == "云三物流"  # four syllables: the differing one must share its initial


def test_pipeline_corrector_chains_both() -> None:
    vocab = Vocabulary(company="云启科技", aliases=["云启"], products=["订货通", "服务通"], competitors=["用友"])
    assert _corrector(vocab)("我是云起科技的，又有那边也来过") == "我是云启科技的，用友那边也来过"
