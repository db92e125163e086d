"""Demo org, regions, teams and users (deterministic)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from crm.demo import vocab


@dataclass
class DemoUser:
    id: int
    username: str
    display_name: str
    role: str
    team_id: int | None
    region_id: int | None
    skill: float = 1.0  # multiplies the odds of winning
    forecast_bias: float = 0.0  # over-forecasters commit (1 + bias) × what they close


@dataclass
class DemoOrg:
    regions: list[dict[str, object]] = field(default_factory=list)
    teams: list[dict[str, object]] = field(default_factory=list)
    users: list[DemoUser] = field(default_factory=list)

    def reps(self) -> list[DemoUser]:
        return [u for u in self.users if u.role == "rep"]


def _person_name(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        name = str(rng.choice(vocab.SURNAMES)) + str(rng.choice(vocab.GIVEN))
        if name not in taken:
            taken.add(name)
            return name


def build_org(rng: np.random.Generator) -> DemoOrg:
    org = DemoOrg()
    taken = {n for n, _ in vocab.NAMED_REPS.values()} | {vocab.NAMED_MANAGER[1]}
    named_by_team: dict[str, list[tuple[str, str]]] = {}
    for uname, (dname, team) in vocab.NAMED_REPS.items():
        named_by_team.setdefault(team, []).append((uname, dname))
    org.users.append(DemoUser(1, "admin", "系统管理员", "admin", None, None))
    uid = 2
    for rid, (region, (n_teams, per_team, _cities, _factor)) in enumerate(vocab.REGIONS.items(), start=1):
        org.regions.append({"id": rid, "name": region})
        for t in range(n_teams):
            team_id = len(org.teams) + 1
            team_name = region + vocab.TEAM_SUFFIX[t]
            if team_name == vocab.NAMED_MANAGER[2]:
                mgr_username, mgr_name = vocab.NAMED_MANAGER[0], vocab.NAMED_MANAGER[1]
            else:
                mgr_name = _person_name(rng, taken)
                mgr_username = f"mgr{team_id:02d}"
            org.users.append(DemoUser(uid, mgr_username, mgr_name, "manager", team_id, rid))
            org.teams.append({"id": team_id, "name": team_name, "region_id": rid, "manager_id": uid})
            uid += 1
            named = named_by_team.get(team_name, [])
            for i in range(per_team):
                if i < len(named):
                    username, dname = named[i]
                else:
                    dname, username = _person_name(rng, taken), f"rep{uid:03d}"
                skill = float(np.exp(rng.normal(0, 0.35)))
                bias = float(rng.uniform(0.25, 0.5)) if rng.random() < 0.2 else float(rng.normal(0, 0.05))
                org.users.append(DemoUser(uid, username, dname, "rep", team_id, rid, skill, bias))
                uid += 1
    return org
