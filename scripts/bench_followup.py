#!/usr/bin/env python3
"""Benchmark: follow-up findings for many matches, older people and conversations.

Prints JSON with the seconds one `follow_up_findings` call takes (the issue's target: 10,000
matches, 50,000 older people and 200,000 conversations in under 5 s). ``--scale`` shrinks every
count, so a test can keep this script from rotting.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time

from sow_sheets.followup.engine import follow_up_findings
from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.model.records import (
    Attendance,
    Conversation,
    Elder,
    Family,
    Match,
    Records,
    Volunteer,
)
from sow_sheets.model.words import ConversationKind, choices

KINDS = choices(ConversationKind)
TODAY = dt.date(2026, 7, 15)  # in the summer season and near a calendar rule: the busy case


def synthetic(matches: int, elders: int, conversations: int, seed: int = 7) -> Records:
    """Records with the requested counts; dates spread over the last few years."""
    rng = random.Random(seed)

    def day(back: int) -> dt.date:
        return TODAY - dt.timedelta(days=rng.randrange(back))

    def person(prefix: str, i: int) -> tuple[str, int, str, str, dt.date, str, bool, None]:
        """The shared Person fields in order: id, row, name, organisation, intake, status..."""
        status = rng.choice(["actief"] * 8 + ["pauze", "gestopt"])
        return (
            f"{prefix}{i}",
            i + 2,
            f"{prefix} {i}",
            f"Org {i % 15}",
            day(1500),
            status,
            rng.random() < 0.9,
            None,
        )

    volunteers = [Volunteer(*person("GO", i), vog_date=day(1200)) for i in range(matches)]
    families = [Family(*person("GZ", i)) for i in range(matches)]
    older = [Elder(*person("OU", i)) for i in range(elders)]
    links = []
    for i in range(matches):
        active = rng.random() < 0.85
        links.append(
            Match(
                key=f"KP{i}",
                row=i + 2,
                volunteer=f"GO{i}",
                family=f"GZ{i}",
                start=day(1400),
                active=active,
                end=None if active else day(200),
            )
        )
    subjects = [m.key for m in links] + [v.id for v in volunteers]
    subjects += [e.id for e in older] * 3  # older people get most of the log
    talks = []
    for i in range(conversations):
        held = day(900)
        planned = held + dt.timedelta(days=rng.randrange(7, 120)) if rng.random() < 0.05 else None
        kind = rng.choice(KINDS)
        talks.append(Conversation(i + 2, held, rng.choice(subjects), kind, next_due=planned))
    visits = [
        Attendance(row=i + 2, date=day(120), elder=f"OU{rng.randrange(elders)}", activity="AC1")
        for i in range(elders // 5)
    ]
    return Records(
        volunteers=volunteers,
        families=families,
        elders=older,
        conversations=talks,
        attendances=visits,
        matches=links,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matches", type=int, default=10_000)
    parser.add_argument("--elders", type=int, default=50_000)
    parser.add_argument("--conversations", type=int, default=200_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = parser.parse_args(argv)
    counts = [
        max(1, round(n * args.scale)) for n in (args.matches, args.elders, args.conversations)
    ]
    records = synthetic(*counts)
    open_volunteers = {v.id for v in records.volunteers[::7]}
    proposed = {p.id for p in records.volunteers[::2]} | {f.id for f in records.families[::2]}
    settings = FollowupSettings()
    times: list[float] = []
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        findings = follow_up_findings(records, TODAY, settings, open_volunteers, proposed)
        times.append(time.perf_counter() - started)
    by_type: dict[str, int] = {}
    for finding in findings:
        by_type[finding.type] = by_type.get(finding.type, 0) + 1
    print(
        json.dumps(
            {
                "benchmark": "follow_up_findings",
                "matches": counts[0],
                "elders": counts[1],
                "conversations": counts[2],
                "attendances": len(records.attendances),
                "rules": len(settings.rules),
                "findings": len(findings),
                "findings_by_type": by_type,
                "seconds": round(min(times), 3),
                "seconds_first_run": round(times[0], 3),
                "target_seconds": 5.0,
            }
        )
    )


if __name__ == "__main__":
    main()
