"""One worker for many coalitions: config, isolation, pacing, per-target status, no leaks."""

from __future__ import annotations

import datetime as dt
import io
import random
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.pacing import RequestPacer, busiest_minute
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.cli import main
from sow_sheets.commands.fleet import fleet_jobs
from sow_sheets.demo.data import demo_tables
from sow_sheets.model.cells import Cell
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.sheet import Backend
from sow_sheets.service.fleet import Fleet, Job
from sow_sheets.service.logs import RunLog, configure_logging
from sow_sheets.service.runlock import run_lock
from sow_sheets.service.scheduler import DailyAt
from sow_sheets.settings import Settings
from sow_sheets.targets import load_config
from sow_sheets.testing import SheetsEmulator
from tests.helpers import TODAY

Tables = dict[str, list[list[Cell]]]
NOW = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)  # 02:00 in Amsterdam


def fixed_now() -> dt.datetime:
    return NOW


def write_config(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def marked_tables(name: str, seed: int) -> Tables:
    """The demo workbook of one coalition, with values only this coalition has: a volunteer's
    name, phone, e-mail and note carry the target's marker."""
    tables = demo_tables(TODAY, seed)
    rows = tables["Grootouders"]
    header = [str(h) for h in rows[0]]
    marks = {
        "Naam": f"Mrk{name} Achternaam",
        "Telefoon": f"06-{seed:04d}{seed:04d}",
        "E-mail": f"mrk.{name}@voorbeeld.nl",
        "Opmerkingen": f"Mrk{name}notitie",
    }
    for row in rows[1:6]:
        for column, value in marks.items():
            if column in header:
                row[header.index(column)] = value
    return tables


def markers(name: str) -> list[str]:
    return [f"Mrk{name}", f"mrk.{name}@"]


@pytest.fixture
def coalitions(tmp_path: Path) -> dict[str, Path]:
    books = {}
    for seed, name in enumerate(("alfa", "bravo", "charlie"), start=1):
        path = tmp_path / f"{name}.xlsx"
        write_new_workbook(path, marked_tables(name, seed))
        books[name] = path
    return books


def fleet_config(tmp_path: Path, books: dict[str, Path], extra: str = "") -> Path:
    entries = "".join(
        f'\n[[targets]]\nname = "{name}"\n[targets.sheet]\nworkbook = "{path}"\n'
        for name, path in books.items()
    )
    return write_config(tmp_path / "sow.toml", "[fleet]\nparallel = 2\n" + extra + entries)


def all_values(path: Path) -> str:
    from tests.helpers import read_workbook

    return "\n".join(
        str(v) for rows in read_workbook(path).values() for row in rows for v in row if v
    )


# --- config ------------------------------------------------------------------------------


def test_targets_take_shared_defaults_and_their_own_overrides(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "sow.toml",
        """
        [worker]
        at = "02:00"
        [matching]
        vog_max_months = 24

        [[targets]]
        name = "zoetermeer"
        [targets.sheet]
        workbook = "zoetermeer.xlsx"
        [targets.worker]
        at = "03:30"

        [[targets]]
        name = "delft"
        [targets.sheet]
        workbook = "delft.xlsx"
        [targets.matching]
        vog_max_months = 36
        """,
    )
    config = load_config(path)
    by_name = {t.name: t.settings for t in config.targets}
    assert by_name["zoetermeer"] is not None and by_name["delft"] is not None
    assert by_name["zoetermeer"].worker.at == "03:30"
    assert by_name["delft"].worker.at == "02:00"
    assert by_name["zoetermeer"].matching.vog_max_months == 24
    assert by_name["delft"].matching.vog_max_months == 36
    assert config.target("DELFT").name == "delft"


def test_a_bad_target_is_marked_and_the_others_load(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "sow.toml",
        """
        [[targets]]
        name = "goed"
        [targets.sheet]
        workbook = "goed.xlsx"

        [[targets]]
        name = "fout"
        [targets.sheet]
        workbook = "fout.xlsx"
        [targets.matching]
        vog_max_months = "veel"

        [[targets]]
        name = "zonderblad"

        [[targets]]
        name = "dubbelblad"
        [targets.sheet]
        workbook = "goed.xlsx"
        """,
    )
    targets = {t.name: t for t in load_config(path).targets}
    assert targets["goed"].ok
    assert "vog_max_months" in targets["fout"].error and "veel" in targets["fout"].error
    assert "name a workbook or spreadsheet" in targets["zonderblad"].error
    assert "same sheet as target goed" in targets["dubbelblad"].error


def test_a_folder_of_coalition_files_with_one_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "coalities"
    folder.mkdir()
    write_config(folder / "zoetermeer.toml", '[sheet]\nworkbook = "z.xlsx"\n')
    write_config(folder / "leiden.toml", 'name = "leiden-noord"\n[sheet]\nworkbook = "l.xlsx"\n')
    write_config(folder / "gouda.toml", "[sheet\nworkbook = \n")
    path = write_config(
        tmp_path / "sow.toml",
        '[fleet]\ntargets_dir = "coalities"\n[sheet]\ncredentials = "/etc/key.json"\n',
    )
    targets = {t.name: t for t in load_config(path).targets}
    assert sorted(targets) == ["gouda", "leiden-noord", "zoetermeer"]
    assert not targets["gouda"].ok and "not valid TOML" in targets["gouda"].error
    settings = targets["zoetermeer"].settings
    assert settings is not None and settings.sheet.credentials == "/etc/key.json"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[targets]]\nname = "a b"\n', "short name"),
        ('[[targets]]\nname = "a"\n[targets.sheet]\nworkbook = "1"\n' * 2, "used twice"),
        ('[sheet]\nworkbook = "x.xlsx"\n[[targets]]\nname = "a"\n', "each target names"),
        ("[fleet]\nparallel = 0\n", "parallel"),
        ("[fleet]\nparallel = 2\n", "and no targets_dir"),
    ],
)
def test_config_errors_of_the_whole_fleet_name_the_key(
    tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        load_config(write_config(tmp_path / "sow.toml", text))


# --- the command line ----------------------------------------------------------------------


def test_sync_needs_a_target_and_syncs_only_that_one(
    tmp_path: Path, coalitions: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = fleet_config(tmp_path, coalitions)
    before = {name: path.read_bytes() for name, path in coalitions.items()}
    assert main(["sync", "--config", str(config)], out=io.StringIO()) == 2
    assert "choose one with --target" in capsys.readouterr().err
    out = io.StringIO()
    code = main(
        ["sync", "--config", str(config), "--target", "bravo", "--today", TODAY.isoformat()],
        out=out,
    )
    assert code == 0
    assert coalitions["bravo"].read_bytes() != before["bravo"]
    assert coalitions["alfa"].read_bytes() == before["alfa"]
    assert coalitions["charlie"].read_bytes() == before["charlie"]
    assert main(["sync", "--config", str(config), "--target", "echo"], out=io.StringIO()) == 2
    assert "no target called 'echo' (targets: alfa, bravo, charlie)" in capsys.readouterr().err


def test_status_shows_every_target_and_exits_1_when_one_is_unhealthy(
    tmp_path: Path, coalitions: dict[str, Path]
) -> None:
    extra_target = '\n[[targets]]\nname = "delta"\n[targets.matching]\nvog_max_months = "ver"\n'
    config = fleet_config(tmp_path, coalitions)
    for name in coalitions:
        argv = ["sync", "--config", str(config), "--target", name]
        assert main(argv, out=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["status", "--config", str(config)], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "status of 3 targets"
    for name in coalitions:
        (line,) = [x for x in lines if x.strip().startswith(name)]
        assert "healthy" in line and "unhealthy" not in line and "last run" in line
    assert lines[-1] == "3 healthy, 0 unhealthy"

    config.write_text(config.read_text() + extra_target, "utf-8")
    out = io.StringIO()
    assert main(["status", "--config", str(config)], out=out) == 1
    (line,) = [x for x in out.getvalue().splitlines() if x.strip().startswith("delta")]
    assert "configuration error" in line and "vog_max_months" in line
    assert out.getvalue().splitlines()[-1] == "3 healthy, 1 unhealthy"
    one = io.StringIO()
    assert main(["status", "--config", str(config), "--target", "alfa"], out=one) == 0
    assert one.getvalue().splitlines()[0] == "status of workbook alfa.xlsx"  # one target, in full
    assert "bravo" not in one.getvalue() and "next run due" in one.getvalue()


def test_status_of_a_target_never_run_is_unhealthy(
    tmp_path: Path, coalitions: dict[str, Path]
) -> None:
    config = fleet_config(tmp_path, coalitions)
    argv = ["sync", "--config", str(config), "--target", "alfa"]
    assert main(argv, out=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["status", "--config", str(config)], out=out) == 1
    (line,) = [x for x in out.getvalue().splitlines() if x.strip().startswith("bravo")]
    assert "unhealthy" in line and "no runs yet" in line


# --- isolation -----------------------------------------------------------------------------


def _comparable(path: Path) -> dict[str, list[list[Cell]]]:
    """A workbook's tabs without the run-specific Logboek (run time and duration)."""
    from tests.helpers import read_workbook

    return {title: rows for title, rows in read_workbook(path).items() if title != "Logboek"}


def _run_fleet(config_path: Path) -> tuple[Fleet, list[str]]:
    """Every target of the config synced once, two at a time; the fleet and the broken."""
    from sow_sheets.backends import open_backend

    jobs, broken = fleet_jobs(load_config(config_path), lambda s, n: open_backend(s), now=fixed_now)
    fleet = Fleet(jobs, parallel=2, now=fixed_now)
    for job in jobs:
        fleet.fire(job, NOW)
    fleet.join(timeout=120)
    return fleet, [t.name for t in broken]


def test_a_failing_locked_and_misconfigured_target_leave_the_others_unchanged(
    tmp_path: Path, coalitions: dict[str, Path]
) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    solo = {}
    for name, path in coalitions.items():
        copy = alone / path.name
        copy.write_bytes(path.read_bytes())
        solo[name] = copy
    solo_config = fleet_config(alone, {"alfa": solo["alfa"]})
    assert _run_fleet(solo_config)[0].outcomes[0].result == "ok"

    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"this is not a workbook")
    locked = tmp_path / "bezet.xlsx"
    write_new_workbook(locked, marked_tables("bezet", 9))
    books = dict(coalitions) | {"kapot": broken, "bezet": locked}
    extra = '\n[[targets]]\nname = "verkeerd"\n[targets.sheet]\nworkbook = "x.xlsx"\n'
    extra += '[targets.worker]\ntz = "Mars/Olympus"\n'
    config = fleet_config(tmp_path, books)
    config.write_text(config.read_text() + extra, "utf-8")
    busy = load_config(config).target("bezet").settings
    assert busy is not None
    holder = run_lock(busy)
    holder.acquire()
    try:
        fleet, broken_targets = _run_fleet(config)
    finally:
        holder.release()
    assert broken_targets == ["verkeerd"]
    results = {o.name: o.result for o in fleet.outcomes}
    assert results == {
        "alfa": "ok",
        "bravo": "ok",
        "charlie": "ok",
        "kapot": "failed",
        "bezet": "skipped",
    }
    assert broken.read_bytes() == b"this is not a workbook"
    assert _comparable(coalitions["alfa"]) == _comparable(solo["alfa"])


def test_no_value_of_one_target_reaches_another_or_any_log(
    tmp_path: Path, coalitions: dict[str, Path]
) -> None:
    stream = io.StringIO()
    configure_logging(verbose=True, stream=stream)
    try:
        config = fleet_config(tmp_path, coalitions)
        fleet, _ = _run_fleet(config)
        status = io.StringIO()
        main(["status", "--config", str(config)], out=status)
    finally:
        configure_logging()
    assert {o.result for o in fleet.outcomes} == {"ok"}
    logs = stream.getvalue()
    for name in coalitions:
        assert f"target={name}" in logs
        for marker in markers(name):
            assert marker not in logs
            assert marker not in status.getvalue()
        for other, path in coalitions.items():
            if other != name:
                text = all_values(path)
                assert not any(m in text for m in markers(name)), (name, other)
        assert markers(name)[0] in all_values(coalitions[name])  # the search can find one


def test_a_log_file_per_target(
    tmp_path: Path, coalitions: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sow_sheets.commands import fleet as fleet_command

    logs = tmp_path / "logs"
    logs.mkdir()
    config = fleet_config(tmp_path, coalitions, f'[worker]\nlog_file = "{logs}/{{target}}.log"\n')
    started: list[Fleet] = []

    class Quick(Fleet):
        """The command's fleet, looking at its stop flag often, stopped once all ran."""

        def __post_init__(self) -> None:
            super().__post_init__()
            self.max_wait = 0.05
            started.append(self)
            inner = self.wait or self.stop.wait

            def wait(seconds: float) -> None:
                if len(self.outcomes) == len(self.jobs):
                    self.stop.set()
                inner(seconds)

            self.wait = wait

    monkeypatch.setattr(fleet_command, "Fleet", Quick)
    try:
        code = fleet_command.cmd_run_fleet(_run_args(), load_config(config), None, io.StringIO())
    finally:
        configure_logging()
    assert code == 0 and {o.result for o in started[0].outcomes} == {"ok"}
    assert sorted(p.name for p in logs.iterdir()) == ["alfa.log", "bravo.log", "charlie.log"]
    for name in coalitions:
        text = (logs / f"{name}.log").read_text()
        assert f"target={name}" in text and "run finished" in text
        assert all(f"target={o}" not in text for o in coalitions if o != name)


def _run_args() -> Any:
    import argparse

    return argparse.Namespace(
        verbose=False, run_now=True, at=None, every=None, between=None, tz=None, notify=False
    )


# --- the loop ------------------------------------------------------------------------------


class VirtualClock:
    """A clock that only moves when told: ``wait`` jumps ahead."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=max(seconds, 1.0))


def test_each_target_runs_on_its_own_time_once_per_slot() -> None:
    from zoneinfo import ZoneInfo

    clock = VirtualClock(dt.datetime(2026, 11, 26, 23, 0, tzinfo=dt.UTC))
    ran: list[tuple[str, dt.datetime]] = []
    lock = threading.Lock()
    zone = ZoneInfo("Europe/Amsterdam")

    def task_of(name: str) -> Any:
        def task(log: RunLog) -> None:
            with lock:
                ran.append((name, clock.now))

        return task

    jobs = [
        Job("vroeg", DailyAt(dt.time(2, 0), zone), task_of("vroeg")),
        Job("laat", DailyAt(dt.time(4, 30), zone), task_of("laat")),
    ]
    fleet = Fleet(jobs, parallel=1, now=clock, max_wait=600)

    def wait(seconds: float) -> None:
        fleet.join()
        clock.wait(seconds)
        if clock.now >= dt.datetime(2026, 11, 28, 23, 0, tzinfo=dt.UTC):
            fleet.stop.set()

    fleet.wait = wait
    assert fleet.run() == 0
    local = sorted((name, when.astimezone(zone).strftime("%d %H:%M")) for name, when in ran)
    assert local == [
        ("laat", "27 04:30"),
        ("laat", "28 04:30"),
        ("vroeg", "27 02:00"),
        ("vroeg", "28 02:00"),
    ]


def test_a_busy_target_is_not_started_twice_and_parallel_is_bounded() -> None:
    from zoneinfo import ZoneInfo

    release = threading.Event()
    running: list[str] = []
    most = [0]
    lock = threading.Lock()

    def slow(name: str) -> Any:
        def task(log: RunLog) -> None:
            with lock:
                running.append(name)
                most[0] = max(most[0], len(running))
            release.wait(10)
            with lock:
                running.remove(name)

        return task

    zone = ZoneInfo("Europe/Amsterdam")
    jobs = [Job(f"t{i}", DailyAt(dt.time(2, 0), zone), slow(f"t{i}")) for i in range(5)]
    fleet = Fleet(jobs, parallel=2, now=fixed_now)
    assert all(fleet.fire(job, NOW) for job in jobs)
    assert not fleet.fire(jobs[0], NOW)  # still waiting or running: not twice
    threading.Timer(0.5, release.set).start()
    fleet.join(timeout=20)
    assert most[0] == 2
    assert sorted(o.name for o in fleet.outcomes) == [f"t{i}" for i in range(5)]


# --- pacing --------------------------------------------------------------------------------


class SharedTime:
    """Virtual seconds shared by threads: every sleep moves the clock ahead by its length at
    once (more than real time would: the limit must hold all the same)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_the_pacer_keeps_every_minute_under_the_limit_across_threads() -> None:
    time = SharedTime()
    pacer = RequestPacer(
        reads_per_minute=7, writes_per_minute=3, clock=time.clock, sleep=time.sleep
    )
    rng = random.Random(5)
    plans = [[rng.choice(["GET", "POST", "PUT"]) for _ in range(25)] for _ in range(4)]

    def worker(methods: list[str], label: str) -> None:
        for method in methods:
            pacer.acquire(method, label)

    threads = [threading.Thread(target=worker, args=(p, f"t{i}")) for i, p in enumerate(plans)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reads = [when for when, kind, _ in pacer.sent if kind == "read"]
    writes = [when for when, kind, _ in pacer.sent if kind == "write"]
    assert len(reads) + len(writes) == 100
    assert busiest_minute(reads) <= 7 and busiest_minute(writes) <= 3
    assert busiest_minute(writes) == 3  # it did have to wait
    counts = pacer.counts()
    assert sum(c["read"] + c["write"] for c in counts.values()) == 100


def test_busiest_minute_counts_a_sliding_window() -> None:
    assert busiest_minute([]) == 0
    assert busiest_minute([0, 59.9, 60, 119.9]) == 2
    assert busiest_minute([0, 30, 59.9, 61]) == 3
    assert busiest_minute([0, 60, 120]) == 1


def test_google_targets_share_one_budget_and_each_request_is_paced(tmp_path: Path) -> None:
    emulator = SheetsEmulator()
    keys = {f"gemeente{i}": f"sheet-{i}" for i in range(4)}
    for i, key in enumerate(keys.values()):
        emulator.create(demo_tables(TODAY, 10 + i), key)
    time = SharedTime()
    pacer = RequestPacer(
        reads_per_minute=5, writes_per_minute=4, clock=time.clock, sleep=time.sleep
    )
    arrivals: list[str] = []
    emulator.on_request(lambda em, number, name: arrivals.append(name))

    def backend(settings: Settings, name: str) -> Backend:
        http = RetryingHTTPClient.configured(
            pacer=pacer, label=name, sleep=time.sleep, clock=time.clock
        )
        return GoogleBackend(settings.sheet.spreadsheet, client=emulator.client(http))

    entries = "".join(
        f'\n[[targets]]\nname = "{n}"\n[targets.sheet]\nspreadsheet = "{k}"\n'
        for n, k in keys.items()
    )
    config = load_config(write_config(tmp_path / "sow.toml", "[fleet]\nparallel = 3\n" + entries))
    jobs, broken = fleet_jobs(config, backend, now=fixed_now)
    assert not broken
    fleet = Fleet(jobs, parallel=3, now=fixed_now)
    for job in jobs:
        fleet.fire(job, NOW)
    fleet.join(timeout=120)
    assert {o.result for o in fleet.outcomes} == {"ok"}, fleet.outcomes
    assert len(pacer.sent) == len(arrivals)  # every request went through the pacer
    reads = [when for when, kind, _ in pacer.sent if kind == "read"]
    writes = [when for when, kind, _ in pacer.sent if kind == "write"]
    assert busiest_minute(reads) <= 5 and busiest_minute(writes) <= 4
    assert set(pacer.counts()) == set(keys)
    assert time.now > 60  # 4 first syncs need more than a minute of this small budget


def test_a_quota_refusal_of_one_target_does_not_stop_the_others(tmp_path: Path) -> None:
    emulator = SheetsEmulator()
    emulator.create(demo_tables(TODAY, 1), "sheet-ok")
    emulator.create(demo_tables(TODAY, 2), "sheet-quota")
    time = SharedTime()

    def backend(settings: Settings, name: str) -> Backend:
        http = RetryingHTTPClient.configured(sleep=time.sleep, clock=time.clock, max_attempts=2)
        return GoogleBackend(settings.sheet.spreadsheet, client=emulator.client(http))

    config = load_config(
        write_config(
            tmp_path / "sow.toml",
            '[[targets]]\nname = "ok"\n[targets.sheet]\nspreadsheet = "sheet-ok"\n'
            '[[targets]]\nname = "vol"\n[targets.sheet]\nspreadsheet = "sheet-quota"\n',
        )
    )
    jobs, _ = fleet_jobs(config, backend, now=fixed_now)
    by_name = {j.name: j for j in jobs}
    fleet = Fleet(jobs, parallel=1, now=fixed_now)
    emulator.fail_next(2, status=429)  # both attempts of the first request
    fleet.fire(by_name["vol"], NOW)
    fleet.join(timeout=60)
    fleet.fire(by_name["ok"], NOW)
    fleet.join(timeout=60)
    results = {o.name: (o.result, o.error) for o in fleet.outcomes}
    assert results["vol"] == ("failed", "QuotaError")
    assert results["ok"] == ("ok", "")


def test_the_coalitions_example_loads_with_every_target_ready() -> None:
    example = Path(__file__).parent.parent / "config" / "coalitions.example.toml"
    config = load_config(example)
    assert [t.name for t in config.targets] == ["zoetermeer", "delft", "leiden"]
    assert all(t.ok for t in config.targets), [t.error for t in config.targets]
    delft = config.target("delft").settings
    assert delft is not None and delft.worker.at == "03:00"
    assert delft.sheet.credentials == "/etc/sow-sheets/service-account.json"
