"""The CRM context each dev call is uploaded against, shared by the ASR and insights benchmarks.

A rep uploads a call against an opportunity; the pipeline then knows the account, its contacts and the
rep (transcription.vocab.from_crm) and the insight engine knows the accounts and contacts in the rep's
scope (assistant.insights.writeback.crm_names). Here the demo CRM's named accounts stand in for the
database (crm/demo/vocab.py: the same rows `dealwise demo` seeds): dev01 is Li Ming's call, dev02 Zhao
Lei's, dev03 Sun Yue's.
"""

from __future__ import annotations

from typing import Any

from transcription.correct import name_variants
from transcription.vocab import Vocabulary

CALL_CONTEXT = {"dev01": "liming", "dev02": "zhaolei", "dev03": "sunyue"}


def crm_vocab(base: Vocabulary, username: str) -> Vocabulary:
    """The transcriber's vocabulary for a call uploaded by `username` against their named account."""
    from crm.demo.vocab import NAMED_ACCOUNTS, NAMED_REPS

    rep = NAMED_REPS[username][0]
    name, _ind, _size, city, _owner, contacts = next(a for a in NAMED_ACCOUNTS if a[4] == username)
    variants = [v for person, title, _role in contacts for v in name_variants(person, title)]
    return base.merged(account=name, account_city=city, contacts=variants, rep=rep)


def crm_names() -> Any:
    """The insight engine's CRM dictionaries: the named demo accounts and their contacts (ids by position)."""
    from assistant.insights.types import AccountRef, ContactRef, CrmNames
    from crm.demo.vocab import NAMED_ACCOUNTS

    accounts, contacts = [], []
    for i, (name, _ind, _size, _city, _owner, people) in enumerate(NAMED_ACCOUNTS, start=1):
        accounts.append(AccountRef(id=i, name=name))
        contacts += [ContactRef(id=10 * i + j, name=person, title=title, account_id=i)
                     for j, (person, title, _role) in enumerate(people)]
    return CrmNames(accounts=accounts, contacts=contacts)
